"""Report benchmark, run by hand (not part of the test suite).

    .venv/bin/python -m tests.bench.bench_reports --db sqlite:////tmp/benchr.sqlite3
    psql -h 127.0.0.1 -U postgres -d test -c 'CREATE SCHEMA IF NOT EXISTS benchr'
    .venv/bin/python -m tests.bench.bench_reports \
        --db 'postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dbenchr'

Sets up two enterprises (no records; 50 penalties over 20 domains) and a signing key in a
temporary folder, then measures issuing (content + PDF + signature + archive), verifying a
valid code, and the bare rendering beside a plain reportlab document with the same table rows
and fonts. Prints a Markdown table for docs/performance.md. `--profile-issue N` and
`--profile-verify N` print the cProfile hot spots of N issues / verifications (50-record report).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from core import uscc
from core.config import Settings
from core.db import schema
from core.db.engine import Database
from core.domain import ReportContent
from core.policy import load_profile
from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from core.services.reports.render import font_paths, render_pdf
from core.services.reports.render.fonts import HEI, SONG
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

TARGETS = {"clean": 300.0, "records": 800.0, "verify": 20.0}


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def setup(db: Database, profile, records: int) -> tuple[str, str]:
    """A clean enterprise and one with `records` penalties spread over every domain."""
    rng = random.Random()  # fresh codes each run: the database may hold earlier runs
    clean = add_enterprise(db, "苏州基准洁净电子有限公司", code=uscc.generate(rng, division="320506"))
    busy = add_enterprise(db, "苏州基准多记录精密机械制造有限公司", code=uscc.generate(rng, division="320506"))
    domains = profile.domains
    today = date.today()
    for i in range(records):
        d = domains[i % len(domains)]
        day = today - timedelta(days=30 + i * 19)  # inside the default 3-year period
        add_penalty(
            db, busy, day, domain=d.code, organ=d.responsible, source_unit=d.responsible,
            decision_no=f"苏基准罚〔{day.year}〕{busy[-6:]}-{i + 1:03d}号",
            penalty_kind="罚款" if i % 3 else "警告；罚款", fine_amount=Decimal(i + 1) / 10,
            content=f"未按规定履行相关义务，责令改正并罚款人民币{(i + 1) * 1000}元",
        )
    return clean, busy


def plain_document(content: ReportContent, paragraphs: bool) -> bytes:
    """The same tables (rows, columns, text, fonts) as the report, with minimal styling."""
    font_paths()
    cell = ParagraphStyle("c", fontName=SONG, fontSize=9, leading=12.5, wordWrap="CJK")
    ent = content.enterprise
    tables = [
        [["企业名称", ent.name, "", ""], ["统一社会信用代码", ent.uscc, "法定代表人", ent.legal_rep or "—"],
         ["住所", ent.address or "—", "", ""]],
        [["核查领域", "、".join(d.name for d in content.domains), "", ""], ["查询期间", "", "", ""],
         ["报告用途", "", "", ""], ["出具依据", "", "", ""]],
        [["序号", "领域", "核查结论", "责任单位"],
         *([str(d.code), d.name, d.conclusion, d.responsible] for d in content.domains)],
    ]
    if content.violations:
        tables.append([["序号", "领域", "处罚决定书文号", "决定日期", "处罚机关", "处罚类别", "处罚内容", "信用修复"],
                       *([str(i), str(v.domain), v.decision_no, v.decision_date.isoformat(), v.organ,
                          v.penalty_kind, v.content or "—", "—"]
                         for i, v in enumerate(content.violations, 1))])
    story = [Paragraph("专用信用报告", ParagraphStyle("t", fontName=HEI, fontSize=20, leading=28))]
    width = A4[0] - 40 * mm
    for rows in tables:
        cols = len(rows[0])
        data = [[Paragraph(t, cell) for t in row] if paragraphs else row for row in rows]
        table = Table(data, colWidths=[width / cols] * cols, repeatRows=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), SONG), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                   ("GRID", (0, 0), (-1, -1), 0.5, "#9A9A9A")]))
        story.append(table)
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(story)
    return buffer.getvalue()


def hot_spots(fn, runs: int, top: int = 18) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    stats = io.StringIO()
    pstats.Stats(profiler, stream=stats).sort_stats("tottime").print_stats(top)
    return out.getvalue() + stats.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--records", type=int, default=50)
    ap.add_argument("--profile-issue", type=int, default=0, metavar="N")
    ap.add_argument("--profile-verify", type=int, default=0, metavar="N")
    args = ap.parse_args()

    db = Database(args.db)
    schema.upgrade(db)
    profile = load_profile()
    tmp = Path(tempfile.mkdtemp(prefix="benchr-"))  # the private key lives here; removed at the end
    try:
        bench(args, db, profile, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        db.dispose()


def bench(args, db: Database, profile, tmp: Path) -> None:
    keys = KeyService(db, tmp / "keys", tmp / "trust-list.json")
    keys.create(user="bench", label="基准测试")
    settings = Settings(db_url=args.db, profile_id=profile.id, counter="基准窗口")
    counter = make_desk(db, profile, keys, counter=settings.counter)
    clerk, checker = counter.as_(Role.CLERK), counter.as_(Role.VERIFIER)

    class issuer:  # the issue use case, as the counter calls it
        issue = staticmethod(lambda code: counter.issue(code))

    class verifier:
        verify = staticmethod(lambda digits: counter.desk.verify(checker, digits))
    clean, busy = setup(db, profile, args.records)

    t0 = time.perf_counter()
    issuer.issue(clean)  # fonts were parsed at import; this warms the rest
    cold = (time.perf_counter() - t0) * 1000
    sample = {name: issuer.issue(code) for name, code in (("clean", clean), ("records", busy))}
    assert len(sample["records"].content.violations) == args.records, len(sample["records"].content.violations)
    for r in sample.values():
        assert verifier.verify(r.issue.qr_digits).status == "valid"
    pages = {name: len(r.pdf) for name, r in sample.items()}

    results: dict[str, list[float]] = {}
    for name, code in (("clean", clean), ("records", busy)):
        results[f"issue {name}"] = timed(lambda c=code: issuer.issue(c), args.runs)
    for name, r in sample.items():
        digits = r.issue.qr_digits
        results[f"verify {name}"] = timed(
            lambda d=digits: verifier.verify(d), args.runs)
    for name, r in sample.items():
        content, info = r.content, r.issue
        results[f"render {name}"] = timed(lambda c=content, i=info: render_pdf(c, i, profile), args.runs)
        results[f"plain para {name}"] = timed(lambda c=content: plain_document(c, True), args.runs)
        results[f"plain {name}"] = timed(lambda c=content: plain_document(c, False), args.runs)

    med = {k: statistics.median(v) for k, v in results.items()}
    rows = [
        ("issue, enterprise with no records", "issue clean", TARGETS["clean"]),
        (f"issue, enterprise with {args.records} penalties", "issue records", TARGETS["records"]),
        ("verify a valid code (no records)", "verify clean", TARGETS["verify"]),
        (f"verify a valid code ({args.records} penalties)", "verify records", TARGETS["verify"]),
        ("render_pdf only, no records", "render clean", None),
        (f"render_pdf only, {args.records} penalties", "render records", None),
        ("plain reportlab, Paragraph cells, no records", "plain para clean", None),
        (f"plain reportlab, Paragraph cells, {args.records} rows", "plain para records", None),
        ("plain reportlab, string cells, no records", "plain clean", None),
        (f"plain reportlab, string cells, {args.records} rows", "plain records", None),
    ]
    print(f"\n{db.dialect}: {args.runs} runs each after 3 warm-up issues; first issue after import "
          f"{cold:.0f} ms; PDF {pages['clean'] / 1024:.0f} KB / {pages['records'] / 1024:.0f} KB\n")
    print("| measure | p50 ms | p95 ms | target p95 ms | met |")
    print("|---|---:|---:|---:|---|")
    for label, key, target in rows:
        ms = results[key]
        met = "" if target is None else ("yes" if p95(ms) <= target else f"NO (+{p95(ms) - target:.0f} ms)")
        print(f"| {label} | {med[key]:.1f} | {p95(ms):.1f} | {target or '—'} | {met} |")
    print("\n| ratio (p50) | no records | " f"{args.records} penalties |")
    print("|---|---:|---:|")
    for label, top, bottom in (
        ("issue ÷ render_pdf (DB, content, signing, archive)", "issue", "render"),
        ("render_pdf ÷ plain reportlab, Paragraph cells", "render", "plain para"),
        ("render_pdf ÷ plain reportlab, string cells", "render", "plain"),
        ("plain Paragraph cells ÷ plain string cells", "plain para", "plain"),
    ):
        print(f"| {label} | {med[f'{top} clean'] / med[f'{bottom} clean']:.2f} | "
              f"{med[f'{top} records'] / med[f'{bottom} records']:.2f} |")
    if args.profile_issue:
        print(f"\ncProfile of {args.profile_issue} issues of the {args.records}-penalty report:\n")
        print(hot_spots(lambda: issuer.issue(busy), args.profile_issue))
    if args.profile_verify:
        digits = sample["records"].issue.qr_digits
        print(f"\ncProfile of {args.profile_verify} verifications of the {args.records}-penalty code:\n")
        print(hot_spots(lambda: verifier.verify(digits, user="bench", counter="基准窗口"), args.profile_verify))


if __name__ == "__main__":
    main()
