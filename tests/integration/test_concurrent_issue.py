"""Two processes issuing at the same moment against the shared database never share a number."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date

from sqlalchemy import func, select

from core.db.models_reports import IssuedReport
from core.services.signing.keys import KeyService
from tests.factories import add_enterprise

PER_PROCESS = 200

WORKER = textwrap.dedent("""
    import sys
    from datetime import datetime
    from pathlib import Path
    from core.config import Settings
    from core.db.engine import Database
    from core.policy import load_profile
    from core.services.reports import issuing
    from core.services.signing.keys import KeyService

    url, key_dir, cache, uscc, count = sys.argv[1:6]
    db = Database(url)
    keys = KeyService(db, Path(key_dir), Path(cache))
    issuer = issuing.ReportIssuer(db, load_profile(), keys, Settings(db_url=url, profile_id="suzhou-2024"))
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for _ in range(int(count)):
        print(issuer.issue(uscc, user="worker").report_no, flush=True)
""")


def test_two_processes_get_distinct_numbers(pg_url, tmp_path):
    from core.db.engine import Database
    from sqlalchemy import text

    db = Database(pg_url)
    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE reports, report_files, verifications, signing_keys, enterprises, "
                          "enterprise_names RESTART IDENTITY CASCADE"))
    code = add_enterprise(db)
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2020, 1, 1))
    args = [sys.executable, "-c", WORKER, pg_url, str(tmp_path / "keys"), str(tmp_path / "trust.json"),
            code, str(PER_PROCESS)]
    procs = [subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=300) for p in procs]
    numbers = [line for out, _ in outputs for line in out.split()]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert len(numbers) == 2 * PER_PROCESS
    assert len(set(numbers)) == 2 * PER_PROCESS
    with db.session() as s:
        assert s.scalar(select(func.count(func.distinct(IssuedReport.report_no)))) == 2 * PER_PROCESS
    db.dispose()
