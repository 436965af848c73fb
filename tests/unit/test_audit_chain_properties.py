"""Property tests of the audit chain: whatever single edit a hostile DBA makes around the
triggers — to any column of any row, a deletion, a forged insertion, a reordering, or an edit of
the report archive — verify_chain (or a checkpoint, for a cut-off tail) reports it, naming the row
or the report. On an embedded SQLite file, copied from one migrated template per example."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from sqlalchemy import text

from core.db import schema
from core.db.engine import Database
from core.services.people import audit_chain
from core.states import AuditAction
from tests.integration.test_audit_chain import add_report, new_signer, tamper

SETTINGS = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])
START = datetime(2026, 11, 27, 9, 0)
COLUMNS = ("at", "actor", "counter", "action", "subject", "details", "prev_hash", "hash")

words = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | words,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(words, inner, max_size=3), max_leaves=6)
event_specs = st.fixed_dictionaries({
    "actor": words, "counter": words,  # an issue event needs its report: see the archive test
    "action": st.sampled_from([a.value for a in AuditAction if a != AuditAction.ISSUE]),
    "subject": st.none() | words, "details": st.dictionaries(words, json_values, max_size=3),
})
chains = st.lists(event_specs, min_size=2, max_size=6)
hex64 = st.text("0123456789abcdef", min_size=64, max_size=64)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("audit") / "template.sqlite3"
    db = Database(f"sqlite:///{path}")
    schema.upgrade(db)
    db.dispose()
    return path


class Copy:
    """A fresh migrated database for one example."""

    def __init__(self, template: Path):
        self.folder = Path(tempfile.mkdtemp(prefix="cdaudit"))
        shutil.copy(template, self.folder / "db.sqlite3")
        self.db = Database(f"sqlite:///{self.folder / 'db.sqlite3'}")

    def __enter__(self) -> Database:
        return self.db

    def __exit__(self, *exc) -> None:
        self.db.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def build(db: Database, specs: list[dict]) -> list[audit_chain.AuditEvent]:
    events = []
    for i, spec in enumerate(specs):
        with db.session(write=True) as s:
            events.append(audit_chain.append(s, at=START + timedelta(seconds=i), **spec))
    check = audit_chain.verify_chain(db)
    assert check.ok and check.count == len(specs), check.problem
    return events


def row(db: Database, seq: int) -> dict:
    with db.engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM audit_events WHERE seq = :s"), {"s": seq}).mappings().one())


def insert_forged(db: Database, *, seq: int, prev: str, spec: dict, at: datetime) -> None:
    """A row whose own hash is computed correctly, as a forger who read the code would."""
    actor, subject = spec["actor"] or "匿名", spec["subject"] or None
    details = audit_chain._plain(spec["details"])
    digest = audit_chain.event_hash(seq=seq, at=at, actor=actor, counter=spec["counter"],
                                    action=spec["action"], subject=subject, details=details, prev=prev)
    tamper(db, "INSERT INTO audit_events (seq, at, actor, counter, action, subject, details, prev_hash, hash) "
               "VALUES (:seq, :at, :actor, :counter, :action, :subject, :details, :prev, :hash)",
           params=dict(seq=seq, at=at, actor=actor, counter=spec["counter"], action=spec["action"],
                       subject=subject, details=audit_chain.canonical(details), prev=prev, hash=digest))


def broken(db: Database) -> audit_chain.ChainCheck:
    check = audit_chain.verify_chain(db)
    assert not check.ok and check.problem, "the edit went unnoticed"
    return check


# -- the chain ---------------------------------------------------------------------------------

@SETTINGS
@given(specs=chains, data=st.data())
def test_any_change_to_any_column_of_any_row_is_named(template, specs, data):
    with Copy(template) as db:
        build(db, specs)
        seq = data.draw(st.integers(1, len(specs)), label="seq")
        column = data.draw(st.sampled_from(COLUMNS), label="column")
        old = row(db, seq)[column]
        if column == "at":  # stored as text on SQLite, written back in the same form
            shift = data.draw(st.sampled_from([timedelta(seconds=1), timedelta(seconds=-3600),
                                               timedelta(microseconds=250), timedelta(days=1)]))
            new = (datetime.fromisoformat(old) + shift).strftime("%Y-%m-%d %H:%M:%S.%f")
        elif column in ("prev_hash", "hash"):
            new = data.draw(hex64)
        elif column == "details":
            new = data.draw(st.dictionaries(words, json_values, max_size=3).map(audit_chain.canonical)
                            | words | st.just(old.replace(",", ", ").replace("{}", "{ }")))
        elif column == "subject":
            new = data.draw(st.none() | words)
        else:
            new = data.draw(words)
        assume(new != old)
        tamper(db, f"UPDATE audit_events SET {column} = :new WHERE seq = :seq", params={"new": new, "seq": seq})
        check = broken(db)
        assert check.broken_seq == seq and f"第 {seq} 条" in check.problem, check


@SETTINGS
@given(specs=chains, data=st.data())
def test_a_renumbered_row_is_named(template, specs, data):
    with Copy(template) as db:
        build(db, specs)
        n = len(specs)
        seq = data.draw(st.integers(1, n), label="seq")
        new = data.draw(st.integers(n + 1, n + 100) | st.integers(-5, 0), label="new seq")
        tamper(db, "UPDATE audit_events SET seq = :new WHERE seq = :seq", params={"new": new, "seq": seq})
        check = broken(db)
        assert check.broken_seq == (new if new <= 0 else seq), check


@SETTINGS
@given(specs=chains, data=st.data())
def test_a_deleted_row_is_named_and_a_cut_off_tail_fails_the_checkpoint(template, specs, data):
    with Copy(template) as db:
        build(db, specs)
        n = len(specs)
        signer, trusted = new_signer()
        mark = audit_chain.checkpoint(db, signer)
        seq = data.draw(st.integers(1, n), label="seq")
        renumber = data.draw(st.booleans(), label="renumber the rows after it")
        statements = ["DELETE FROM audit_events WHERE seq = :seq"]
        if renumber:  # close the gap, through negative numbers so the key never collides
            statements += ["UPDATE audit_events SET seq = -(seq - 1) WHERE seq > :seq",
                           "UPDATE audit_events SET seq = -seq WHERE seq < 0"]
        tamper(db, *statements, params={"seq": seq})
        if seq == n:  # the newest event: the rest is a sound chain, only the checkpoint knows
            assert audit_chain.verify_chain(db).ok
        else:
            assert broken(db).broken_seq == seq
        check = audit_chain.check_checkpoint(db, mark, [trusted])
        assert not check.ok and check.problem


@SETTINGS
@given(specs=chains, forged=event_specs, data=st.data())
def test_a_forged_row_is_caught_by_its_links(template, specs, forged, data):
    with Copy(template) as db:
        events = build(db, specs)
        n = len(specs)
        how = data.draw(st.sampled_from(["between", "after a gap", "wrong link"]), label="how")
        at = START + timedelta(minutes=30)
        if how == "between":  # make room at position p, link the forgery to row p-1
            p = data.draw(st.integers(1, n), label="position")
            tamper(db, "UPDATE audit_events SET seq = -(seq + 1) WHERE seq >= :p",
                   "UPDATE audit_events SET seq = -seq WHERE seq < 0", params={"p": p})
            prev = events[p - 2].hash if p > 1 else audit_chain.GENESIS
            insert_forged(db, seq=p, prev=prev, spec=forged, at=at)
            expected = p + 1
        elif how == "after a gap":
            gap = data.draw(st.integers(1, 50), label="gap")
            insert_forged(db, seq=n + 1 + gap, prev=events[-1].hash, spec=forged, at=at)
            expected = n + 1
        else:  # appended, but claiming to follow an older event
            j = data.draw(st.integers(0, n - 1), label="claimed predecessor")
            prev = events[j - 1].hash if j else audit_chain.GENESIS
            insert_forged(db, seq=n + 1, prev=prev, spec=forged, at=at)
            expected = n + 1
        assert broken(db).broken_seq == expected


@SETTINGS
@given(specs=chains, data=st.data())
def test_two_swapped_rows_are_named(template, specs, data):
    with Copy(template) as db:
        build(db, specs)
        i, j = sorted(data.draw(st.lists(st.integers(1, len(specs)), min_size=2, max_size=2, unique=True)))
        tamper(db, "UPDATE audit_events SET seq = -1 WHERE seq = :i",
               "UPDATE audit_events SET seq = :i WHERE seq = :j",
               "UPDATE audit_events SET seq = :j WHERE seq = -1", params={"i": i, "j": j})
        check = broken(db)
        assert check.broken_seq == i, check


# -- the archive -----------------------------------------------------------------------------------

ARCHIVE_EDITS = {
    "status": ("UPDATE reports SET status = :new WHERE report_no = :no",
               st.sampled_from(["有效", "已撤销", "作废", ""])),
    "content_sha256": ("UPDATE reports SET content_sha256 = :new WHERE report_no = :no", hex64),
    "pdf_sha256": ("UPDATE reports SET pdf_sha256 = :new WHERE report_no = :no", hex64),
    "content_json": ("UPDATE reports SET content_json = :new WHERE report_no = :no", words),
    "uscc": ("UPDATE reports SET uscc = :new WHERE report_no = :no",
             st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18)),
    "pdf": ("UPDATE report_files SET pdf = :new WHERE report_id = "
            "(SELECT id FROM reports WHERE report_no = :no)", st.binary(max_size=64)),
}


@SETTINGS
@given(revoked=st.lists(st.booleans(), min_size=1, max_size=3), before=st.integers(0, 3),
       field=st.sampled_from(sorted(ARCHIVE_EDITS)), data=st.data())
def test_an_archive_edit_names_the_report(template, revoked, before, field, data):
    with Copy(template) as db:
        build(db, [{"actor": "clerk", "counter": "三号窗口", "action": "login", "subject": None,
                    "details": {}}] * (before + 1))
        numbers = [f"SZ-2026-{i + 1:08d}" for i in range(len(revoked))]
        for number, is_revoked in zip(numbers, revoked):
            add_report(db, number, revoked=is_revoked)
        assert audit_chain.verify_chain(db).ok
        pick = data.draw(st.integers(0, len(numbers) - 1), label="report")
        statement, values = ARCHIVE_EDITS[field]
        with db.engine.connect() as conn:
            old = conn.execute(text(
                "SELECT r.status, r.content_sha256, r.pdf_sha256, r.content_json, r.uscc, f.pdf "
                "FROM reports r JOIN report_files f ON f.report_id = r.id WHERE r.report_no = :no"),
                {"no": numbers[pick]}).mappings().one()
        new = data.draw(values, label="new value")
        assume(new != old[field] and not (field == "pdf" and hashlib.sha256(new).digest() ==
                                          hashlib.sha256(old["pdf"]).digest()))
        tamper(db, statement, params={"new": new, "no": numbers[pick]})
        check = broken(db)
        assert check.report_no == numbers[pick] and numbers[pick] in check.problem, check
