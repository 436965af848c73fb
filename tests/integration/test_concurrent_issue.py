"""Issuing against the shared database: two processes at the same moment never share a number,
and a process killed while issuing leaves no report, no used number and no gap in the chain."""
from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import date

from sqlalchemy import func, select

from core.db.models_audit import AuditEventRow
from core.db.models_reports import IssuedReport
from core.policy import load_profile
from core.services.people import audit_chain
from core.services.people.roles import Role
from core.services.people.setup import Account, create_first_people
from core.services.people.users import add_user
from core.services.signing.keys import KeyService
from tests.desks import record_test_profile
from tests.factories import add_enterprise

PER_PROCESS = 100
PASSWORD = "worker-pass-1"

WORKER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from core.config import Settings
    from core.db.engine import Database
    from core.policy import load_profile
    from core.services.reports.request import ReportRequest
    from core.services.signing.keys import KeyService
    from core.usecases import CounterDesk

    url, key_dir, cache, uscc, count, password = sys.argv[1:7]
    db = Database(url)
    keys = KeyService(db, Path(key_dir), Path(cache))
    desk = CounterDesk(db, load_profile(), Settings(db_url=url, profile_id="suzhou-2024"), keys)
    session = desk.login("worker", password)
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for _ in range(int(count)):
        print(desk.issue(session, ReportRequest(uscc)).report_no, flush=True)
""")


def _prepare(db, tmp_path) -> tuple[str, list[str]]:
    code = add_enterprise(db)
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2020, 1, 1))
    create_first_people(db, "test", Account("admin", "管理员", PASSWORD))
    with db.session(write=True) as s:
        add_user(s, "worker", PASSWORD, Role.CLERK)
    record_test_profile(db, load_profile("suzhou-2024"))  # the deployment's profile, extended for tests
    return code, [sys.executable, "-c", WORKER, db.url, str(tmp_path / "keys"), str(tmp_path / "trust.json"),
                  code]


def _start(args, count: int) -> subprocess.Popen:
    proc = subprocess.Popen([*args, str(count), PASSWORD], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    return proc


def test_two_processes_get_distinct_numbers(db, tmp_path):
    _, args = _prepare(db, tmp_path)
    per_process = PER_PROCESS if db.dialect == "postgresql" else 40
    procs = [_start(args, per_process) for _ in range(2)]
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=300) for p in procs]
    numbers = [line for out, _ in outputs for line in out.split()]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outputs]
    assert len(numbers) == len(set(numbers)) == 2 * per_process
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials == list(range(1, 2 * per_process + 1))  # no number lost, none shared
    with db.session() as s:
        assert s.scalar(select(func.count(func.distinct(IssuedReport.report_no)))) == 2 * per_process
    assert audit_chain.verify_chain(db).ok


def test_killed_while_issuing_leaves_no_report_and_no_gap(db, tmp_path):
    code, args = _prepare(db, tmp_path)
    proc = _start(args, 1000)
    proc.stdin.write("go\n")
    proc.stdin.flush()
    for _ in range(5):  # let it issue a few, then kill it in the middle of the next one
        assert proc.stdout.readline().startswith("SZ-")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    check = audit_chain.verify_chain(db)
    assert check.ok, check.problem
    with db.session() as s:
        numbers = sorted(s.scalars(select(IssuedReport.report_no)))
        issue_events = s.scalar(select(func.count()).select_from(AuditEventRow)
                                .where(AuditEventRow.action == "issue"))
        seqs = list(s.scalars(select(AuditEventRow.seq).order_by(AuditEventRow.seq)))
    serials = [int(n.rsplit("-", 1)[1]) for n in numbers]
    assert serials == list(range(1, len(numbers) + 1)) and len(numbers) >= 5
    assert issue_events == len(numbers)  # every report has its event, no event without a report
    assert seqs == list(range(1, len(seqs) + 1))

    # The counter goes on with the next number.
    finisher = _start(args, 1)
    finisher.stdin.write("go\n")
    finisher.stdin.flush()
    out, err = finisher.communicate(timeout=60)
    assert out.split() == [f"SZ-{date.today().year}-{len(numbers) + 1:08d}"], err
