"""Core benchmark, run by hand (not part of the test suite).

    .venv/bin/python -m tests.bench.bench_core --db sqlite:////tmp/bench.sqlite3 --enterprises 3000000
    .venv/bin/python -m tests.bench.bench_core --db postgresql+psycopg://postgres@127.0.0.1:5432/bench ...

Generates demo data if the database is empty, then measures lookup, report assembly and
penalty import, and prints a Markdown table for docs/performance.md.
"""
from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time

from pathlib import Path

from sqlalchemy import func, select, text

from core.db import schema
from core.db.engine import Database
from core.db.models import Enterprise, EnterpriseName, Penalty
from core.policy import load_profile
from core.services.reports.assemble import ReportAssembler
from core.services.demo.generate import generate_demo
from core.services.records.ingest.importer import ImportService
from core.services.records.lookup import LookupService


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t0 = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def samples(db: Database, rng: random.Random, n: int):
    with db.session() as s:
        max_id = s.scalar(select(func.max(Enterprise.id)))
        ids = [rng.randint(1, max_id) for _ in range(n)]
        rows = s.execute(select(Enterprise.uscc, Enterprise.name).where(Enterprise.id.in_(ids))).all()
        inits = s.scalars(select(EnterpriseName.initials).where(EnterpriseName.enterprise_id.in_(ids))).all()
        with_records = s.scalars(select(Penalty.uscc).where(Penalty.id.in_(ids))).all()
    codes = [r.uscc for r in rows]
    fragments = []
    for _, name in rows:
        k = rng.randint(2, 4)
        start = rng.randint(0, max(0, len(name) - k))
        fragments.append(name[start:start + k])
    initials = [i[: rng.randint(3, 5)] for i in inits]
    return codes, fragments, initials, with_records


def bench_import(db: Database, profile, codes: list[str], rows: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "penalties.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
                        "处罚机关", "数据来源单位", "领域", "罚款金额（万元）", "处罚内容"])
            for i in range(rows):
                w.writerow(["苏州基准测试有限公司", codes[i % len(codes)], f"苏基准罚〔2025〕{i}号", "罚款",
                            "2025-03-01", "苏州市生态环境局", "苏州市生态环境局", "4", "0.2", "罚款人民币2000元"])
        t0 = time.perf_counter()
        result = ImportService(db, profile).import_file("penalties", path, user="bench")
        seconds = time.perf_counter() - t0
        assert result.accepted == rows, result.rejected[:3]
    with db.session() as s:  # leave the database as it was
        s.execute(text("DELETE FROM penalties WHERE decision_no LIKE '苏基准罚%'"))
    return rows / seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--enterprises", type=int, default=3_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--import-rows", type=int, default=100_000)
    args = ap.parse_args()

    db = Database(args.db)
    schema.upgrade(db)
    profile = load_profile()
    with db.session() as s:
        have = s.scalar(select(func.count()).select_from(Enterprise))
    if not have:
        t0 = time.perf_counter()
        summary = generate_demo(db, profile, enterprises=args.enterprises, seed=args.seed)
        print(f"demo: {summary} in {time.perf_counter() - t0:.0f} s")
    with db.session() as s:
        n_ent = s.scalar(select(func.count()).select_from(Enterprise))
        n_pen = s.scalar(select(func.count()).select_from(Penalty))

    rng = random.Random(42)
    codes, fragments, initials, with_records = samples(db, rng, args.queries)
    lookup = LookupService(db)
    assembler = ReportAssembler(db, profile)
    for q in fragments[:20]:  # warm caches as a counter that has run for a while would be
        lookup.search(q)
    results = {
        "lookup by USCC": (timed(lookup.search, [(c,) for c in codes]), 5),
        "lookup by 2–4 characters of a name (top 50)": (timed(lookup.search, [(f,) for f in fragments]), 50),
        "lookup by pinyin initials (top 50)": (timed(lookup.search, [(i,) for i in initials]), 50),
        "report content, any enterprise": (timed(assembler.assemble, [(c,) for c in codes]), 20),
        "report content, enterprise with records": (timed(assembler.assemble, [(c,) for c in with_records]), 20),
    }
    rate = bench_import(db, profile, codes, args.import_rows)

    print(f"\n{db.dialect}: {n_ent:,} enterprises, {n_pen:,} penalties, {args.queries} queries each\n")
    print("| measure | p50 ms | p95 ms | target p95 ms | met |")
    print("|---|---:|---:|---:|---|")
    for label, (ms, target) in results.items():
        print(f"| {label} | {statistics.median(ms):.1f} | {p95(ms):.1f} | {target} | {'yes' if p95(ms) <= target else 'NO'} |")
    print(f"\npenalty import: {rate:,.0f} rows/s ({args.import_rows:,} rows, target ≥ 20,000 on SQLite)")


if __name__ == "__main__":
    main()
