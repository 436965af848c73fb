"""What keeps a public check cheap without changing its verdict (core/usecases/public_checks.py):
the checks of many phones recorded together, each still recorded once and before its page is
answered; a key created after the trust list was kept verifies at once. Both databases."""
from __future__ import annotations

import threading
import time

from sqlalchemy import text

from core.config import Settings
from core.db.engine import WRITE
from core.services.signing.keys import KeyService
from core.services.signing.payload import parse_payload
from core.states import VerdictStatus
from core.usecases import CounterDesk
from tests.desks import make_desk
from tests.factories import add_enterprise
from tests.web.conftest import CLEAN, make_codes, start_server, stop_server, verifications


def web_desk(db, profile, tmp_path) -> CounterDesk:
    return CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter="网页"),
                       KeyService(db, tmp_path / "web-keys", tmp_path / "web-trust.json"))


def hold_write_lock(db):
    """A connection that keeps `verifications` from being written until it is closed."""
    conn = db.engine.connect().execution_options(**{WRITE: True})
    conn.begin()  # on SQLite: BEGIN IMMEDIATE (core/db/engine.py), the database's write lock
    if not db.is_embedded:
        conn.execute(text("LOCK TABLE verifications IN EXCLUSIVE MODE"))
    return conn


def test_checks_arriving_together_are_each_recorded_once_in_one_transaction(db, profile, tmp_path):
    codes = make_codes(db, profile, tmp_path)
    desk = web_desk(db, profile, tmp_path)
    assert desk.verify_public(codes.valid).verdict.status == VerdictStatus.VALID  # the list is kept now
    recorder = desk._public_parts().recorder
    before = recorder.transactions
    scans = [codes.valid, codes.revoked, codes.misread, codes.forged] * 5
    results: list = [None] * len(scans)

    def phone(i: int) -> None:
        results[i] = desk.verify_public(scans[i]).verdict.status

    lock = hold_write_lock(db)  # a counter writing: the first check's insert waits, the rest queue
    phones = [threading.Thread(target=phone, args=(i,)) for i in range(len(scans))]
    try:
        for t in phones:
            t.start()
        recorded = [i for i, code in enumerate(scans) if code != codes.misread]
        deadline = time.monotonic() + 30
        while recorder.waiting < len(recorded) - 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert recorder.waiting == len(recorded) - 1
        assert all(results[i] is None for i in recorded)  # no page is answered before its check is recorded
        # a garbled code is no report's check: answered at once, with no row to wait for
        for i in set(range(len(scans))) - set(recorded):
            phones[i].join(30)
            assert results[i] == VerdictStatus.MALFORMED
    finally:
        lock.rollback()
        lock.close()
    for t in phones:
        t.join(30)

    assert results == [VerdictStatus.VALID, VerdictStatus.REVOKED, VerdictStatus.MALFORMED,
                       VerdictStatus.FORGED] * 5
    assert recorder.transactions - before == 2  # the first check's row, then the other 14 together
    seen = verifications(db)
    assert len(seen) == 1 + len(recorded)
    assert sorted(status for _, _, status, _ in seen[1:]) == sorted(str(results[i]) for i in recorded)
    assert "malformed" not in {status for _, _, status, _ in seen}
    assert {(who, where) for who, where, _, _ in seen} == {("网页核验", "网页")}


def test_a_key_created_after_the_trust_list_was_kept_verifies_at_once(db, profile, tmp_path):
    codes = make_codes(db, profile, tmp_path)
    desk = web_desk(db, profile, tmp_path)
    assert desk.verify_public(codes.valid).verdict.status == VerdictStatus.VALID  # the list is kept now

    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")  # the counter's keys
    new_key = keys.create(user="admin")
    counter = make_desk(db, profile, keys)
    issued = counter.issue(add_enterprise(db, "苏州新钥科技有限公司"), purpose="融资")
    assert parse_payload(issued.issue.qr_digits).claims.key_id == new_key.key_id

    check = desk.verify_public(issued.issue.qr_digits)
    assert check.verdict.status == VerdictStatus.VALID, check.verdict.reason
    assert desk.verify_public(codes.valid).verdict.archived.enterprise_name == CLEAN


def test_two_worker_processes_answer_and_record_every_check(db, profile, tmp_path):
    codes = make_codes(db, profile, tmp_path)
    server = start_server(db.url, tmp_path, "--workers", "2", "--threads", "4")
    try:
        pages = [server.get(f"/V/{codes.valid}") for _ in range(6)]
        assert [p.status for p in pages] == [200] * 6
        assert all("<h1>有效</h1>" in p.text and CLEAN in p.text for p in pages)
        assert server.get(f"/v/{codes.revoked}").text.count("<h1>无效 · 已撤销</h1>") == 1
        assert len(server.access_lines(at_least=8)) >= 8  # /healthz, 6 pages, the revoked one
    finally:
        stop_server(server)
    assert server.process.returncode == 0
    assert [status for _, _, status, _ in verifications(db)] == ["valid"] * 6 + ["revoked"]


def test_a_check_reads_on_one_connection_even_when_its_key_is_unknown(db, profile, tmp_path):
    """A forged code (a key the kept list lacks) re-reads the trust list in the check's own
    transaction: a check never holds one pooled connection while waiting for a second — with
    every server thread doing that at once, a flood of forged codes would starve the pool."""
    from sqlalchemy import event

    codes = make_codes(db, profile, tmp_path)
    desk = web_desk(db, profile, tmp_path)
    assert desk.verify_public(codes.valid).verdict.status == VerdictStatus.VALID  # the list is kept now
    checked_out: list[int] = []
    event.listen(db.engine, "checkout", lambda *_: checked_out.append(db.engine.pool.checkedout()))
    assert desk.verify_public(codes.forged).verdict.status == VerdictStatus.FORGED
    # the check's read transaction, then the recorder's insert: never two at once
    assert checked_out == [1, 1], checked_out


def test_a_flood_of_checks_opens_no_connection_per_check(db, profile, tmp_path, monkeypatch):
    """`creditdesk-web`'s pool keeps a connection for each check thread and one more: under a flood
    no connection is opened for one check and closed after it (on PostgreSQL a new server process
    each time; with SQLAlchemy's default pool of 5, 8 threads did that for every other check)."""
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import event

    from web.cli import open_web_desk

    monkeypatch.setenv("CREDITDESK_HOME", str(tmp_path / "home"))
    codes = make_codes(db, profile, tmp_path)
    desk = open_web_desk(db.url, threads=8)
    opened: list[int] = []
    event.listen(desk.db.engine, "connect", lambda *_: opened.append(1))
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: desk.verify_public(codes.valid).verdict.status, range(400)))
    finally:
        desk.db.dispose()
    assert statuses == [VerdictStatus.VALID] * 400
    assert len(opened) <= 9, len(opened)
    assert [row[0] for row in verifications(db)].count("网页核验") == 400
