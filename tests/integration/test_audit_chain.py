"""The audit chain on both databases: appends chain up, the triggers refuse edits, and any edit
made around them (by a hostile DBA) is found and named by verify_chain or a checkpoint."""
from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from core.db.engine import Database
from core.db.models_reports import IssuedReport, ReportFile, SigningKey
from core.services.people import audit_chain
from core.services.signing.keys import Signer, TrustedKey
from core.services.signing.payload import key_id_for
from core.states import AuditAction, ReportStatus

NOW = datetime(2026, 11, 27, 10, 0)
KEY_ID = "0a1b2c3d"
SQLITE_TRIGGERS = [f"{t}_no_{v}" for t in ("audit_events", "verifications", "report_files")
                   for v in ("update", "delete")]


# -- helpers (also used by tests/unit/test_audit_chain_properties.py) ----------------------------

def add_events(db: Database, n: int, *, start: datetime = NOW, actor: str = "clerk") -> list:
    events = []
    for i in range(n):
        with db.session(write=True) as s:
            events.append(audit_chain.append(
                s, actor=actor, counter="三号窗口", action=AuditAction.LOOKUP,
                subject=f"91320506MA1{i:07d}", details={"name": f"企业{i}", "n": i},
                at=start + timedelta(minutes=i)))
    return events


def add_report(db: Database, report_no: str, *, pdf: bytes | None = None, revoked: bool = False,
               at: datetime = NOW, events: bool = True) -> None:
    """An archived report and its issue (and revoke) events, as the issuing code writes them."""
    pdf = pdf or f"%PDF-1.4 {report_no}".encode()
    content = f'{{"report_no":"{report_no}"}}'
    content_sha, pdf_sha = (hashlib.sha256(content.encode()).hexdigest(), hashlib.sha256(pdf).hexdigest())
    uscc = "91320506MA1XY2Z3A4"
    with db.session(write=True) as s:
        if s.get(SigningKey, KEY_ID) is None:
            s.add(SigningKey(key_id=KEY_ID, public_key="00" * 32, created_by="admin", created_at=at,
                             valid_from=date(2026, 1, 1)))
            s.flush()
        row = IssuedReport(
            report_no=report_no, uscc=uscc, enterprise_name="苏州恒达精密机械有限公司", domains="1,4",
            period_from=date(2023, 11, 27), period_to=date(2026, 11, 26), purpose="融资",
            profile_id="suzhou-2024", content_json=content, content_sha256=content_sha, pdf_sha256=pdf_sha,
            key_id=KEY_ID, qr_payload="123", violations=0, has_arrears=False, issued_by="clerk",
            counter="三号窗口", issued_at=at, valid_until=at.date() + timedelta(days=30),
            status=ReportStatus.REVOKED if revoked else ReportStatus.ISSUED, print_count=0)
        s.add(row)
        s.flush()
        s.add(ReportFile(report_id=row.id, pdf=pdf))
        if not events:
            return
        audit_chain.append(s, actor="clerk", counter="三号窗口", action=AuditAction.ISSUE, subject=report_no,
                           at=at, details={"report_no": report_no, "uscc": uscc, "content_sha256": content_sha,
                                           "pdf_sha256": pdf_sha, "key_id": KEY_ID, "domains": [1, 4],
                                           "period": [date(2023, 11, 27), date(2026, 11, 26)],
                                           "purpose": "融资"})
        if revoked:
            audit_chain.append(s, actor="boss", counter="三号窗口", action=AuditAction.REVOKE,
                               subject=report_no, details={"reason": "企业申请"}, at=at)


def tamper(db: Database, *statements: str, params: dict | None = None) -> None:
    """Run SQL as a hostile DBA would: with the append-only triggers out of the way."""
    with db.engine.begin() as conn:
        if db.dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for name in SQLITE_TRIGGERS:
                conn.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
        for statement in statements:
            conn.execute(text(statement), params or {})


def new_signer() -> tuple[Signer, TrustedKey]:
    private = Ed25519PrivateKey.generate()
    raw = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = key_id_for(private.public_key())
    return Signer(key_id, private), TrustedKey(key_id, raw.hex(), date(2000, 1, 1), None, None)


# -- appending ---------------------------------------------------------------------------------

def test_append_chains_events_and_verify_accepts_them(db):
    assert audit_chain.verify_chain(db) == audit_chain.ChainCheck(True, 0, "0" * 64)
    first, second, third = add_events(db, 3)
    assert (first.seq, first.prev_hash) == (1, "0" * 64)
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    with db.session(write=True) as s:
        event = audit_chain.append(
            s, actor="", counter="核验台", action="verify", subject="SZ-2026-00000009" + "x" * 300,
            details={"when": date(2026, 11, 1), "amount": Decimal("12.50"),
                     "domains": (1, 4)}, at=NOW.replace(microsecond=123))
    assert event.actor == "匿名" and len(event.subject) == 200 and event.at == NOW
    assert event.details == {"when": "2026-11-01", "amount": "12.50", "domains": [1, 4]}

    check = audit_chain.verify_chain(db)
    assert check.to_json() == {"ok": True, "count": 4, "head_hash": event.hash, "problem": None,
                               "broken_seq": None, "report_no": None}
    newest = audit_chain.recent(db, limit=2)
    assert [e.seq for e in newest] == [4, 3] and newest[0] == event
    assert [e.seq for e in audit_chain.recent(db, actor="clerk")] == [3, 2, 1]
    assert [e.seq for e in audit_chain.recent(db, action=AuditAction.VERIFY)] == [4]
    with db.session() as s:
        assert audit_chain.events_for(s, action="lookup", subject="91320506MA10000001") == [second]


def test_unknown_action_is_refused(db):
    with pytest.raises(ValueError), db.session(write=True) as s:
        audit_chain.append(s, actor="clerk", counter="三号窗口", action="coffee")


def test_an_event_rolls_back_with_its_unit_of_work(db):
    add_events(db, 1)
    with pytest.raises(RuntimeError), db.session(write=True) as s:
        audit_chain.append(s, actor="clerk", counter="三号窗口", action="issue", subject="SZ-2026-00000001")
        raise RuntimeError("the report could not be archived")
    assert audit_chain.verify_chain(db).count == 1


def test_concurrent_appends_make_one_consecutive_chain(db):
    errors = []

    def writer(name: str) -> None:
        try:
            for i in range(50):
                with db.session(write=True) as s:
                    audit_chain.append(s, actor=name, counter=name, action="lookup", subject=str(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"clerk{n}",)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    check = audit_chain.verify_chain(db)
    assert check.ok and check.count == 100, check.problem
    assert sorted(e.seq for e in audit_chain.recent(db, limit=1000)) == list(range(1, 101))


# -- the triggers --------------------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor = 'mallory'",
    "DELETE FROM audit_events",
    "UPDATE verifications SET status = 'valid'",
    "DELETE FROM verifications",
    "UPDATE report_files SET pdf = pdf",
    "DELETE FROM report_files",
])
def test_append_only_tables_refuse_update_and_delete(db, statement):
    add_events(db, 2)
    add_report(db, "SZ-2026-00000001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO verifications (report_no, status, \"offline\", verified_by, counter, "
                          "verified_at) VALUES ('SZ-2026-00000001', 'valid', false, 'checker', '核验台', "
                          ":at)"), {"at": NOW})
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    assert audit_chain.verify_chain(db).ok


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_postgresql_refuses_truncating_the_chain(db):
    add_events(db, 1)
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_events"))


# -- tampering found ---------------------------------------------------------------------------

@pytest.mark.parametrize("statements, broken, words", [
    (["UPDATE audit_events SET actor = 'mallory' WHERE seq = 3"], 3, "第 3 条事件被改动"),
    (["UPDATE audit_events SET details = :spaced WHERE seq = 3"], 3, "被改动"),  # same JSON, spaced out
    (["DELETE FROM audit_events WHERE seq = 2"], 2, "在第 1 条之后缺少事件"),
    (["DELETE FROM audit_events WHERE seq = 1"], 1, "开头缺少事件"),
    (["UPDATE audit_events SET seq = -1 WHERE seq = 2", "UPDATE audit_events SET seq = 2 WHERE seq = 4",
      "UPDATE audit_events SET seq = 4 WHERE seq = -1"], 2, "第 2 条事件被改动"),
])
def test_verify_names_the_first_broken_event(db, statements, broken, words):
    add_events(db, 5)
    tamper(db, *statements, params={"spaced": '{"n": 2, "name": "企业2"}'})
    check = audit_chain.verify_chain(db)
    assert not check.ok and check.broken_seq == broken and words in check.problem, check


def test_a_time_moved_by_less_than_a_second_is_found(db):
    """The hash covers whole seconds; a stored fraction is itself the sign of an edit."""
    add_events(db, 4)
    tamper(db, "UPDATE audit_events SET at = at + interval '250 microseconds' WHERE seq = 3"
           if db.dialect == "postgresql" else
           "UPDATE audit_events SET at = substr(at, 1, 19) || '.000250' WHERE seq = 3")
    check = audit_chain.verify_chain(db)
    assert (check.ok, check.broken_seq) == (False, 3)


def test_archive_matches_the_chain_until_edited(db):
    add_events(db, 2)
    add_report(db, "SZ-2026-00000001")
    add_report(db, "SZ-2026-00000002", revoked=True)
    assert audit_chain.verify_chain(db).ok

    tamper(db, "UPDATE reports SET status = '有效' WHERE report_no = 'SZ-2026-00000002'")
    check = audit_chain.verify_chain(db)
    assert (check.ok, check.report_no) == (False, "SZ-2026-00000002")
    assert check.problem == "报告 SZ-2026-00000002 在档案中为有效，但审计链记录了撤销"

    tamper(db, "UPDATE reports SET status = '已撤销' WHERE report_no = 'SZ-2026-00000002'",
           "UPDATE report_files SET pdf = :pdf WHERE report_id = "
           "(SELECT id FROM reports WHERE report_no = 'SZ-2026-00000001')", params={"pdf": b"%PDF-1.4 forged"})
    check = audit_chain.verify_chain(db)
    assert check.problem == "报告 SZ-2026-00000001 的存档 PDF 与出具时的散列不符"
    assert check.report_no == "SZ-2026-00000001" and check.broken_seq == 3


def test_an_issue_event_without_its_report(db):
    add_report(db, "SZ-2026-00000001")
    tamper(db, "DELETE FROM report_files", "DELETE FROM reports")
    check = audit_chain.verify_chain(db)
    assert check.problem == "审计链第 1 条事件记录出具了报告 SZ-2026-00000001，但档案中没有这份报告"
    assert (check.broken_seq, check.report_no) == (1, "SZ-2026-00000001")


def test_an_issue_event_without_a_report_number(db):
    add_events(db, 1)
    with db.session(write=True) as s:
        audit_chain.append(s, actor="clerk", counter="三号窗口", action="issue", details={"uscc": "x"})
    check = audit_chain.verify_chain(db)
    assert (check.problem, check.broken_seq) == ("审计链第 2 条事件记录了出具，但没有报告编号", 2)


def test_a_report_without_its_issue_event(db):
    add_report(db, "SZ-2026-00000001")
    add_report(db, "SZ-2026-00000002", events=False)
    check = audit_chain.verify_chain(db)
    assert check.problem == "报告 SZ-2026-00000002 在审计链中没有出具记录"
    assert check.report_no == "SZ-2026-00000002"


# -- checkpoints ---------------------------------------------------------------------------------

def test_checkpoint_holds_while_the_chain_only_grows(db):
    signer, trusted = new_signer()
    add_events(db, 4)
    mark = audit_chain.checkpoint(db, signer)
    assert mark["format"] == "creditdesk-audit-checkpoint/1" and mark["count"] == 4
    assert mark["key_id"] == signer.key_id and len(mark["signature"]) == 128
    assert audit_chain.check_checkpoint(db, mark, [trusted]).ok
    add_events(db, 2, start=NOW + timedelta(hours=1))
    assert audit_chain.check_checkpoint(db, mark, [trusted]).ok

    _, other = new_signer()
    assert audit_chain.check_checkpoint(db, mark, [other]).problem == \
        f"检查点的签名密钥 {signer.key_id} 不在信任列表中"
    forged = {**mark, "count": 6, "head_hash": audit_chain.recent(db, limit=1)[0].hash}
    assert audit_chain.check_checkpoint(db, forged, [trusted]).problem == "检查点签名无效"
    flipped = {**mark, "signature": ("1" if mark["signature"][0] == "0" else "0") + mark["signature"][1:]}
    assert audit_chain.check_checkpoint(db, flipped, [trusted]).problem == "检查点签名无效"
    assert audit_chain.check_checkpoint(db, {"format": "x"}, [trusted]).problem == "检查点文件格式无法识别"


def test_checkpoint_catches_a_rebuilt_or_shortened_chain(db):
    signer, trusted = new_signer()
    add_events(db, 5)
    mark = audit_chain.checkpoint(db, signer)

    tamper(db, "DELETE FROM audit_events WHERE seq = 5")
    assert audit_chain.verify_chain(db).ok  # cutting off the newest event leaves a sound chain ...
    check = audit_chain.check_checkpoint(db, mark, [trusted])  # ... which the checkpoint catches
    assert check.problem == "审计链只有 4 条事件，少于检查点记录的 5 条" and not check.ok

    tamper(db, "DELETE FROM audit_events")
    add_events(db, 5, actor="mallory")
    assert audit_chain.verify_chain(db).ok
    check = audit_chain.check_checkpoint(db, mark, [trusted])
    assert check.problem == "审计链第 5 条事件与检查点不符：审计链被重建" and check.broken_seq == 5


def test_checkpoint_refuses_to_vouch_for_a_broken_chain(db):
    from core.errors import IntegrityBroken

    signer, _ = new_signer()
    add_events(db, 3)
    tamper(db, "UPDATE audit_events SET counter = '五号窗口' WHERE seq = 2")
    with pytest.raises(IntegrityBroken, match="第 2 条事件被改动"):
        audit_chain.checkpoint(db, signer)


# -- PostgreSQL roles ------------------------------------------------------------------------------

@pytest.fixture
def login_as(db):
    """A Database connected as a new LOGIN role that is a member of the given group role."""
    made: list[tuple[str, Database]] = []

    def login(group: str) -> Database:
        name = f"cdtest_login_{uuid.uuid4().hex[:8]}"
        with db.engine.begin() as conn:
            conn.execute(text(f"CREATE ROLE {name} LOGIN IN ROLE {group}"))
        member = Database(make_url(db.url).set(username=name).render_as_string(hide_password=False))
        made.append((name, member))
        return member

    yield login
    for name, member in made:
        member.dispose()
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP ROLE {name}"))


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_counter_role_appends_but_cannot_rewrite_the_chain(db, login_as):
    add_events(db, 2)
    add_report(db, "SZ-2026-00000001")
    counter = login_as("creditdesk_counter")
    with counter.session(write=True) as s:
        audit_chain.append(s, actor="clerk", counter="三号窗口", action="login")
        s.execute(text("UPDATE reports SET print_count = print_count + 1"))
        s.execute(text("UPDATE report_counters SET value = value + 1 WHERE name = 'report'"))
    for statement in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events",
                      "TRUNCATE audit_events", "DELETE FROM reports", "UPDATE verifications SET status = 'x'",
                      "DROP TRIGGER audit_events_no_update_delete ON audit_events"):
        with pytest.raises(DBAPIError, match="permission denied|must be owner"), counter.engine.begin() as conn:
            conn.execute(text(statement))
    assert audit_chain.verify_chain(counter).ok and audit_chain.verify_chain(db).count == 4


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_readonly_role_reads_and_records_verifications_only(db, login_as):
    add_report(db, "SZ-2026-00000001")
    reader = login_as("creditdesk_readonly")
    with reader.session(write=True) as s:
        s.execute(text("INSERT INTO verifications (report_no, status, \"offline\", verified_by, counter, "
                       "verified_at) VALUES ('SZ-2026-00000001', 'valid', false, '匿名', 'web', :at)"),
                  {"at": NOW})
        audit_chain.append(s, actor="匿名", counter="web", action="verify", subject="SZ-2026-00000001")
    assert audit_chain.verify_chain(reader).ok
    with pytest.raises(DBAPIError, match="permission denied"), reader.engine.begin() as conn:
        conn.execute(text("UPDATE reports SET status = '已撤销'"))


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_roles_survive_a_second_schema(db):
    """Roles are cluster-wide: migrating another schema neither fails nor takes this one's grants."""
    from core.db import schema
    from tests.conftest import PG_BASE

    name = f"cdtest_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    other = Database(f"{PG_BASE}?options=-csearch_path%3D{name}")
    try:
        schema.upgrade(other)
        from tests.integration.test_migrations import _run
        _run(other, "downgrade", "0003")  # revokes there; the roles stay, as this schema uses them
    finally:
        other.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()
    with db.engine.connect() as conn:
        assert conn.execute(text(
            "SELECT has_table_privilege('creditdesk_counter', 'audit_events', 'INSERT'), "
            "has_table_privilege('creditdesk_counter', 'audit_events', 'UPDATE')")).one() == (True, False)
