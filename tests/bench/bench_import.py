"""Import benchmark (by hand, issue 8): speed against a bare insert, and peak memory.

    .venv/bin/python -m tests.bench.bench_import --db sqlite:////tmp/bench_import/bi.sqlite3 --rows 200000
    .venv/bin/python -m tests.bench.bench_import --db postgresql+psycopg://postgres@127.0.0.1:5432/bench_import --rows 200000
    .venv/bin/python -m tests.bench.bench_import --memory --rows 1000000
    .venv/bin/python -m tests.bench.bench_import --db sqlite:////tmp/bench_import/bi.sqlite3 --rows 100000 --ceiling

Speed: one penalties CSV (the national columns a department sends) goes into an empty database
by the bare baseline — `csv.reader` → `sqlite3` `executemany` in one transaction, or
`COPY … FROM STDIN` through psycopg on PostgreSQL, no checks at all — and then into another
empty database by the project (`ImportService.import_file`: every check, duplicate and identity
checks — into an empty table through the insert's unique identity, otherwise by look-ups — the
batch record). Each is timed from opening the file to the commit; the two alternate `--runs`
times and the medians (and the median of the pairwise ratios) are printed, with the load average.
`--ceiling` (SQLite) adds two more bare runs per round: without the table's plain indexes (what
the insert alone costs on this machine) and with them built after the insert.

The embedded database goes in a folder of its own (created when missing), never straight into
/tmp or /dev/shm: the engine makes a database's folder owner-only. Each run's CPU time is
printed too: on a shared machine it varies less than the wall-clock time.

Memory: a child process imports the file into an empty SQLite database and reports its peak
resident set size (`ru_maxrss`); the figure includes the interpreter and every module loaded.
"""
from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from core import uscc
from core.db import schema
from core.db.engine import Database

HEADER = ["行政相对人名称", "统一社会信用代码", "法定代表人", "行政处罚决定书文号", "违法行为类型", "违法事实",
          "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚机关", "数据来源单位",
          "程序类型", "决定类型"]
# The baseline writes the same values, already in the table's columns.
COLUMNS = ["party_name", "uscc", "legal_rep", "decision_no", "violation_type", "facts", "basis",
           "penalty_kind", "content", "fine_amount", "decision_date", "organ", "source_unit",
           "procedure", "decision_kind", "domain", "status"]
ORGANS = [("苏州市生态环境局", "罚款"), ("苏州市市场监督管理局", "警告；罚款"),
          ("苏州市应急管理局", "罚款"), ("苏州市交通运输局", "罚款；没收违法所得")]


def write_file(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    codes = [uscc.generate(rng) for _ in range(min(rows, 50_000))]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            organ, kind = ORGANS[i % len(ORGANS)]
            w.writerow([f"苏州基准{i % 997}号科技有限公司", codes[i % len(codes)], "张三",
                        f"苏基准罚〔2025〕{i}号", "未按规定报送", "经查，当事人于2024年违反有关规定……",
                        "《中华人民共和国环境保护法》第六十三条", kind, "罚款人民币2000元", "0.2",
                        f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", organ, organ, "普通程序", "给予处罚"])


def _fresh(url: str) -> Database:
    if url.startswith("sqlite"):
        file = Path(url.split("///", 1)[1])
        if file.parent in (Path("/tmp"), Path("/dev/shm")):
            raise SystemExit(f"put the benchmark database in a folder of its own, not in {file.parent}")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.unlink(missing_ok=True)
    else:
        db = Database(url)
        with db.engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        db.dispose()
    db = Database(url)
    with db.creating():
        schema.upgrade(db)
    return db


def _baseline_rows(path: Path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for r in reader:
            yield (*r, 4, "有效")


# The ceiling variants (--ceiling, SQLite): the same bare insert with the table's plain indexes
# dropped first and never built ("no plain indexes": what the insert alone costs here), or built
# again after the insert in the same transaction ("plain indexes built after", what CreditDesk does
# with an import that at least doubles the table).
VARIANTS = {"bare": None, "no plain indexes": False, "plain indexes built after": True}


def baseline(url: str, path: Path, cpu: list[float] | None = None, rebuild: bool | None = None) -> float:
    db = _fresh(url)
    placeholders = ", ".join("?" * len(COLUMNS))
    t0, c0 = time.perf_counter(), time.process_time()
    if db.is_embedded:
        import sqlite3

        con = sqlite3.connect(str(db.file))
        with con:
            plain = []
            if rebuild is not None:
                plain = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                    "AND tbl_name = 'penalties' AND sql IS NOT NULL").fetchall()
                for name, _ in plain:
                    con.execute(f'DROP INDEX "{name}"')
            con.executemany(f"INSERT INTO penalties ({', '.join(COLUMNS)}) VALUES ({placeholders})",
                            _baseline_rows(path))
            if rebuild:
                for _, sql in plain:
                    con.execute(sql)
        con.close()
    else:
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cur, cur.copy(f"COPY penalties ({', '.join(COLUMNS)}) FROM STDIN") as cp:
                for row in _baseline_rows(path):
                    cp.write_row(row)
            raw.commit()
        finally:
            raw.close()
    seconds = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    db.dispose()
    return seconds


def project(url: str, path: Path, cpu: list[float] | None = None) -> float:
    from core.policy import load_profile
    from core.services.records.ingest.importer import ImportService

    db = _fresh(url)
    t0, c0 = time.perf_counter(), time.process_time()
    result = ImportService(db, load_profile()).import_file("penalties", path, user="bench")
    seconds = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    assert not result.rejected, result.rejected[:3]
    db.dispose()
    return seconds


def memory_child(path: str, url: str) -> None:
    from core.policy import load_profile
    from core.services.records.ingest.importer import ImportService

    db = _fresh(url)
    t0 = time.perf_counter()
    result = ImportService(db, load_profile()).import_file("penalties", Path(path), user="bench")
    seconds = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{result.accepted} {len(result.rejected)} {seconds:.1f} {peak_mb:.0f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="sqlite:////tmp/bench_import/bi.sqlite3")
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory", action="store_true", help="peak memory of one import in a child process")
    ap.add_argument("--ceiling", action="store_true",
                    help="SQLite: also the bare insert without the plain indexes, and with them built after")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        memory_child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "penalties.csv"
        write_file(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        if args.memory:
            out = subprocess.run([sys.executable, "-m", "tests.bench.bench_import", "--child", str(path), args.db],
                                 check=True, capture_output=True, text=True).stdout.split()
            accepted, rejected, seconds, peak = out
            print(f"memory: {args.rows:,} rows ({size_mb:.0f} MB CSV): accepted {int(accepted):,}, "
                  f"rejected {rejected}, {seconds} s, peak RSS {peak} MB (cap 300 MB)")
            return
        cpu: list[float] = []
        bare_cpu: list[float] = []
        variants = {k: v for k, v in VARIANTS.items() if v is None or (args.ceiling and "sqlite" in args.db)}
        extra: dict[str, list[tuple[float, float]]] = {k: [] for k in variants if variants[k] is not None}
        loads: list[float] = []
        pairs = []
        for _ in range(args.runs):
            loads.append(_load())
            pairs.append((baseline(args.db, path, bare_cpu), project(args.db, path, cpu)))
            for name in extra:
                spent: list[float] = []
                extra[name].append((baseline(args.db, path, spent, variants[name]), spent[0]))
        loads.append(_load())
    dialect = "SQLite" if args.db.startswith("sqlite") else "PostgreSQL"
    base = statistics.median(b for b, _ in pairs)
    mine = statistics.median(m for _, m in pairs)
    ratio = statistics.median(b / m for b, m in pairs)
    print("| database | rows | bare rows/s | CreditDesk rows/s | CreditDesk ÷ bare |")
    print("|---|---:|---:|---:|---:|")
    print(f"| {dialect} | {args.rows:,} | {args.rows / base:,.0f} | {args.rows / mine:,.0f} | {ratio:.2f} |")
    print(f"CreditDesk CPU time per run: {', '.join(f'{c:.2f}' for c in cpu)} s "
          f"(wall {', '.join(f'{m:.2f}' for _, m in pairs)} s; bare wall {', '.join(f'{b:.2f}' for b, _ in pairs)} s, "
          f"CPU {', '.join(f'{c:.2f}' for c in bare_cpu)} s)")
    for name, runs in extra.items():
        wall = statistics.median(w for w, _ in runs)
        print(f"bare, {name}: {args.rows / wall:,.0f} rows/s (wall {', '.join(f'{w:.2f}' for w, _ in runs)} s; "
              f"CPU {', '.join(f'{c:.2f}' for _, c in runs)} s)")
    print(f"load average (1 min) before each round and at the end: {', '.join(f'{x:.2f}' for x in loads)}")


def _load() -> float:
    try:
        with open("/proc/loadavg") as fh:
            return float(fh.read().split()[0])
    except OSError:  # not Linux
        return float("nan")


if __name__ == "__main__":
    main()
