"""How many statements and round trips a look-up and a report's content cost, on both databases.

A clerk types a credit code: the counter runs `search` (the code names one enterprise), then
`overview`. The look-up is one SQL statement, and on PostgreSQL one round trip: no BEGIN, no
COMMIT, no pre-ping (core/db/liveness.py pings a pooled connection only when in doubt). The
overview, the preview's content and an issued report read a fixed number of statements, however
many records the enterprise has (no query per record or per domain).

What is counted:
- statements: the SQL statements SQLAlchemy sends (its `before_cursor_execute` event), without
  BEGIN/COMMIT/ROLLBACK; the same on both databases.
- round trips (PostgreSQL only): libpq's own protocol trace (PQtrace) of every pooled connection;
  each ReadyForQuery the server sends ends one round trip, whatever caused it (psycopg's implicit
  BEGIN, a COMMIT, the pool's pre-ping, a statement being prepared). Nothing is mocked or guessed.
- pings: a liveness ping of a pooled connection (psycopg's empty query ";"); core/db/liveness.py
  sends one only for a connection idle over 30 s or one the server has closed, so none here.
"""
from __future__ import annotations

import os
import tempfile
import weakref
from datetime import date, datetime

import pytest
from sqlalchemy import event

from core.policy import load_profile
from core.services.people.roles import Role
from core.services.reports.assemble import ReportAssembler
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from tests.desks import make_desk, record_test_profile
from tests.factories import add_arrear, add_enterprise, add_penalty, add_repair

_TRANSACTION = ("BEGIN", "COMMIT", "ROLLBACK")
BOTH = pytest.mark.parametrize(
    "db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)


class Counter:
    """`with counter: ...` counts what the block sends to the database (see the module's doc).

    Attach it before the pool's connections are first checked out (or warm them up once inside
    an unmeasured block): a PostgreSQL connection is traced from its next checkout on."""

    def __init__(self, engine):
        self.postgres = engine.dialect.name == "postgresql"
        self.statements: list[str] = []
        self.round_trips = self.pings = 0
        self.trace: list[str] = []
        self._conns: weakref.WeakSet = weakref.WeakSet()
        self._dir = tempfile.mkdtemp(prefix="creditdesk-roundtrips-")
        self._fd: int | None = None
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "connect", self._seen)
        event.listen(engine, "checkout", self._seen)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        if self._fd is not None and statement.split(None, 1)[0].upper() not in _TRANSACTION:
            self.statements.append(statement)

    def _seen(self, dbapi_conn, *_args) -> None:
        if hasattr(dbapi_conn, "pgconn") and dbapi_conn not in self._conns:
            self._conns.add(dbapi_conn)
            if self._fd is not None:
                self._trace(dbapi_conn)

    def _trace(self, dbapi_conn) -> None:
        from psycopg import pq

        dbapi_conn.pgconn.trace(self._fd)
        dbapi_conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)

    def __enter__(self) -> "Counter":
        self.statements = []
        path = os.path.join(self._dir, f"trace-{len(os.listdir(self._dir))}")
        self._path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        for conn in list(self._conns):
            if not conn.closed:
                self._trace(conn)
        return self

    def __exit__(self, *_exc) -> None:
        for conn in list(self._conns):
            if not conn.closed:
                conn.pgconn.untrace()  # flushes libpq's buffered trace
        os.close(self._fd)
        self._fd = None
        with open(self._path, encoding="utf-8", errors="replace") as f:
            self.trace = f.read().splitlines()
        self.round_trips = sum(1 for t in self.trace if t.startswith("B\t") and "\tReadyForQuery" in t)
        self.pings = sum(1 for t in self.trace if t.startswith("F\t") and t.endswith('\tQuery\t ";"'))

    @property
    def sent(self) -> int:
        """Round trips besides liveness pings (0 on SQLite: it has none)."""
        return self.round_trips - self.pings


def measured(counter: Counter, fn, warm: int = 6):
    """The result of `fn()`, counted after `warm` unmeasured calls (psycopg prepares a statement
    on its fifth use, which costs one round trip once per connection)."""
    for _ in range(warm):
        fn()
    with counter:
        return fn()


@pytest.fixture
def counter(db):
    return Counter(db.engine)


@pytest.fixture
def desk(db, counter, profile, tmp_path, monkeypatch):
    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=date(2026, 1, 1))
    return make_desk(db, profile, keys)


def busy_enterprise(db, name: str = "苏州恒达精密机械有限公司") -> str:
    """An enterprise with records in every one of the 20 domains (three penalties each, some
    repaired) and outstanding arrears: what would show an N+1 at once."""
    code = add_enterprise(db, name, former=("吴县恒达机械厂", "苏州恒达机械有限公司"))
    for domain in range(1, 21):
        for k in range(3):
            no = add_penalty(db, code, date(2025, 1 + k, domain), domain=domain)
            if k == 0:
                add_repair(db, code, no, date(2025, 9, domain))
    for month in range(1, 7):
        add_arrear(db, code, period=f"2026-{month:02d}")
    return code


def assert_one_statement(db, counter: Counter) -> None:
    assert len(counter.statements) == 1, counter.statements
    if counter.postgres:
        assert counter.round_trips == 1, counter.trace  # no ping, BEGIN, COMMIT or rollback on return


@BOTH
def test_a_typed_credit_code_is_one_statement(db, counter, desk):
    code = add_enterprise(db, "苏州恒达精密机械有限公司", former=("吴县恒达机械厂",), legal_rep="王芳")
    clerk = desk.as_(Role.CLERK)
    typed = " ".join(code[i:i + 6] for i in range(0, 18, 6)).lower()  # as a clerk may type it

    (hit,) = measured(counter, lambda: desk.desk.search(clerk, typed))
    assert (hit.uscc, hit.name, hit.matched_name, hit.legal_rep, hit.reg_status, hit.match) == (
        code, "苏州恒达精密机械有限公司", "苏州恒达精密机械有限公司", "王芳", "存续", "uscc")
    assert_one_statement(db, counter)

    info = measured(counter, lambda: desk.desk.enterprise(clerk, code))
    assert (info.uscc, info.name, info.former_names, info.legal_rep, info.reg_status, info.division) == (
        code, "苏州恒达精密机械有限公司", ("吴县恒达机械厂",), "王芳", "存续", code[2:8])
    assert_one_statement(db, counter)


@BOTH
def test_a_code_that_names_no_enterprise_is_still_searched_as_text(db, counter, desk):
    add_enterprise(db, "苏州恒达精密机械有限公司")
    clerk = desk.as_(Role.CLERK)
    assert desk.desk.search(clerk, "苏州恒达精密机械有限公司一二三四五六") == []  # 18 characters
    assert [h.name for h in desk.desk.search(clerk, "恒达精密")] == ["苏州恒达精密机械有限公司"]


@BOTH
def test_the_overview_and_report_content_do_not_grow_with_the_records(db, counter, desk):
    clerk = desk.as_(Role.CLERK)
    quiet = add_enterprise(db, "苏州安静无记录有限公司")
    busy = busy_enterprise(db)
    now = datetime.now().replace(microsecond=0)
    paths = {
        "overview": lambda code: desk.desk.overview(clerk, code),
        "content": lambda code: desk.desk.content(clerk, ReportRequest(code)),
        "preview": lambda code: desk.desk.preview(clerk, ReportRequest(code), now=now),
        "issue": lambda code: desk.issue(code, now=now),
    }
    for name, run in paths.items():
        warm = 1 if name in ("preview", "issue") else 6  # rendering a PDF is slow; counts stay exact
        measured(counter, lambda: run(quiet), warm)
        few, few_trips = len(counter.statements), counter.round_trips
        result = measured(counter, lambda: run(busy), warm)
        many, many_trips = len(counter.statements), counter.round_trips
        assert many == few, (name, counter.statements)
        if name != "issue":  # issuing a report writes and numbers it: counted, not bounded here
            assert many <= 12, (name, counter.statements)
        if counter.postgres and warm > 1:
            assert many_trips == few_trips, (name, counter.trace)
        if name in ("overview", "content"):
            assert len(result.violations) == 60 and len(result.repairs) == 20
            assert len(result.domains) == 20 and len(result.arrears) == 6


@BOTH
def test_national_record_kinds_cost_a_fixed_number_of_statements(db, counter):
    national = load_profile("national-2025")
    record_test_profile(db, national)
    today = date.today()
    quiet, busy = add_enterprise(db, "苏州安静无记录有限公司"), busy_enterprise(db)
    assembler = ReportAssembler(db, national)
    measured(counter, lambda: assembler.assemble(quiet, report_date=today))
    few = len(counter.statements)
    content = measured(counter, lambda: assembler.assemble(busy, report_date=today))
    assert len(counter.statements) == few <= 10, counter.statements
    assert content.unsourced == ("criminal",) and len(content.violations) == 60


@BOTH
def test_a_phone_check_is_two_reads_and_one_recorded_insert(db, counter, desk):
    """`creditdesk-web`'s check of a valid report: the report row with its issue and revoke events,
    the penalties recorded since, and the check recorded. On PostgreSQL three round trips: the
    reads run without BEGIN/COMMIT (each statement reads its own snapshot under READ COMMITTED
    anyway) and a lone insert commits by itself."""
    from tests.web.conftest import verifications

    code = add_enterprise(db, "苏州恒达精密机械有限公司")
    digits = desk.issue(code).issue.qr_digits
    check = measured(counter, lambda: desk.desk.verify_public(digits))
    assert check.verdict.status == "valid" and check.verdict.archived.uscc == code
    assert [s.split(None, 1)[0].upper() for s in counter.statements] == ["SELECT", "SELECT", "INSERT"], \
        counter.statements
    if counter.postgres:
        assert counter.round_trips == 3, counter.trace
    assert [row[0] for row in verifications(db)].count("网页核验") == 7  # every check recorded
