"""Statements and round trips of the counter's look-up and report paths, run by hand.

    .venv/bin/python -m tests.bench.bench_roundtrips                      # SQLite and PostgreSQL
    .venv/bin/python -m tests.bench.bench_roundtrips --pg postgresql+psycopg://postgres@127.0.0.1:5432/test

Builds a throw-away database (a temporary SQLite file; a schema of its own on PostgreSQL, dropped
afterwards), one enterprise without records and one with records in all 20 domains, then counts
what each counter path sends (tests/integration/test_statement_counts.py's Counter: SQLAlchemy's
statements, libpq's trace for round trips) and times it serially. Prints a Markdown table for
docs/performance.md with the load average.
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from core.db import schema
from core.db.engine import Database
from core.policy import load_profile
from core.services.people.roles import Role
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise
from tests.integration.test_statement_counts import Counter, busy_enterprise

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def paths(env, clerk, quiet: str, busy: str) -> dict:
    desk = env.desk
    now = datetime.now().replace(microsecond=0)
    return {
        "search (typed code)": lambda: desk.search(clerk, busy),
        "enterprise (code)": lambda: desk.enterprise(clerk, busy),
        "overview, no records": lambda: desk.overview(clerk, quiet),
        "overview, 60 records / 20 domains": lambda: desk.overview(clerk, busy),
        "content (preview's data), 60 records": lambda: desk.content(clerk, ReportRequest(busy)),
        "preview (with PDF), 60 records": lambda: desk.preview(clerk, ReportRequest(busy), now=now),
    }


def measure(url: str, repeat: int) -> list[tuple]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-roundtrips-"))
    os.environ.setdefault("CREDITDESK_HOME", str(tmp / "home"))
    db = Database(url)
    counter = Counter(db.engine)
    schema.upgrade(db)
    keys = KeyService(db, tmp / "keys", tmp / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    env = make_desk(db, load_profile("suzhou-2024"), keys)
    quiet, busy = add_enterprise(db, "苏州安静无记录有限公司"), busy_enterprise(db)
    rows = []
    try:
        for label, fn in paths(env, env.as_(Role.CLERK), quiet, busy).items():
            n = max(2, repeat // 10) if "PDF" in label else repeat
            for _ in range(6):  # psycopg prepares a statement on its fifth use
                fn()
            with counter:
                fn()
            times = []
            for _ in range(n):
                t0 = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t0) * 1000)
            rows.append((db.dialect, label, len(counter.statements),
                         counter.round_trips if counter.postgres else None,
                         counter.pings if counter.postgres else None, statistics.median(times)))
    finally:
        db.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default=PG, help="PostgreSQL URL (a schema of its own is made and dropped)")
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    rows = measure(f"sqlite:///{tempfile.mkdtemp(prefix='bench-rt-')}/bench.sqlite3", args.repeat)
    if not args.no_pg:
        name = f"bench_rt_{uuid.uuid4().hex[:8]}"
        admin = create_engine(args.pg)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            sep = "&" if "?" in args.pg else "?"
            rows += measure(f"{args.pg}{sep}options=-csearch_path%3D{name}", args.repeat)
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
            admin.dispose()
    print(f"load average: {open('/proc/loadavg').read().split()[:3]}\n")
    print("| database | path | statements | round trips (of which pre-ping) | median ms (serial) |")
    print("|---|---|---:|---:|---:|")
    for dialect, label, statements, trips, pings, ms in rows:
        rt = "—" if trips is None else f"{trips} ({pings})"
        print(f"| {dialect} | {label} | {statements} | {rt} | {ms:.1f} |")


if __name__ == "__main__":
    main()
