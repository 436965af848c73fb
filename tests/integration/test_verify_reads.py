"""A check reads less but judges the same (issue 12, the web's cost per check).

The verifier reads the archive row with the report's issue and revoke events in one query (plain
columns, statements built once), the penalties since only for a verdict that shows them, the
issue events once; the web keeps what a code says and whether its signature holds. None of that
may change a verdict: the web and the counter agree on every code, and what the database says
about a report — its row, its revocation, its events — is read anew on every check. Both databases.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, text

from core.config import Settings
from core.services.people import audit_chain
from core.services.people.roles import Role
from core.services.reports.verify import VerificationService
from core.services.signing.keys import KeyService
from core.services.signing.payload import MalformedPayload
from core.states import AuditAction, VerdictStatus as V
from core.usecases import CounterDesk
from core.usecases.public_checks import KeptSignatures
from tests.desks import make_desk
from tests.integration.test_audit_chain import tamper
from tests.web.conftest import make_codes, verifications


def web_desk(db, profile, tmp_path) -> CounterDesk:
    return CounterDesk(db, profile, Settings(db_url=db.url, profile_id=profile.id, counter="网页"),
                       KeyService(db, tmp_path / "web-keys", tmp_path / "web-trust.json"))


def judged(verdict) -> tuple:
    """What a verifier is shown."""
    return (verdict.status, verdict.reason, verdict.new_violations, verdict.corrections,
            verdict.archived.enterprise_name if verdict.archived else None)


@pytest.fixture
def site(db, profile, tmp_path):
    codes = make_codes(db, profile, tmp_path)
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")  # make_codes' keys
    counter = VerificationService(db, keys, web_desk(db, profile, tmp_path).settings.validity_days)
    return codes, keys, counter, web_desk(db, profile, tmp_path)


def both(counter, web, code) -> tuple:
    """The counter's and the web's verdicts, the web asked twice (its kept signature in play)."""
    at_counter = judged(counter.verify(code, user="核验员", counter="二号窗口"))
    first, again = (judged(web.verify_public(code).verdict) for _ in range(2))
    assert first == again == at_counter
    return at_counter


def test_the_web_and_the_counter_agree_on_every_code(db, site):
    codes, _keys, counter, web = site
    statuses = [both(counter, web, getattr(codes, name))[0]
                for name in ("valid", "newer", "revoked", "expired", "forged", "misread")]
    assert statuses == [V.VALID, V.VALID, V.REVOKED, V.EXPIRED, V.FORGED, V.MALFORMED]
    assert both(counter, web, codes.newer)[2] == (codes.newer_penalty,)
    web_rows = [row for row in verifications(db) if row[0] == "网页核验"]
    # every check of a report's code recorded, the kept signatures notwithstanding; the misread
    # code checked no report and wrote no row (the counter records its misread scan)
    assert len(web_rows) == 2 * 6 and "malformed" not in {row[2] for row in web_rows}
    assert "malformed" in {row[2] for row in verifications(db) if row[0] == "核验员"}


def test_what_the_database_says_is_read_anew_on_every_check(db, profile, site, tmp_path):
    codes, keys, counter, web = site
    assert both(counter, web, codes.valid)[0] == V.VALID

    # the archive row changed by hand after the web checked it: the next check sees it
    with db.session(write=True) as s:
        s.execute(text("UPDATE reports SET valid_until = :d WHERE report_no = :no"),
                  {"d": web.verify_public(codes.valid).verdict.claims.valid_until + timedelta(days=1),
                   "no": codes.valid_no})
    status, reason, *_ = both(counter, web, codes.valid)
    assert status == V.FORGED and "有效期" in reason

    # a revocation shows on the very next check
    desk = make_desk(db, profile, keys)
    newer_no = web.verify_public(codes.newer).verdict.report_no
    desk.desk.revoke(desk.as_(Role.SUPERVISOR), newer_no, "出具后发现企业名称有误")
    status, reason, *_ = both(counter, web, codes.newer)
    assert status == V.REVOKED and "出具后发现企业名称有误" in reason

    # a second issue event in the chain for a report: the archive no longer matches the chain
    expired_no = web.verify_public(codes.expired).verdict.report_no
    with db.session(write=True) as s:
        (issued,) = audit_chain.events_for(s, action=AuditAction.ISSUE, subject=expired_no)
        audit_chain.append(s, actor="某人", counter="一号窗口", action=AuditAction.ISSUE,
                           subject=expired_no, details=issued.details)
    status, reason, *_ = both(counter, web, codes.expired)
    assert status == V.FORGED and "审计链" in reason

    # the archive row deleted: its issue event remains, and says so
    tamper(db, "DELETE FROM report_files WHERE report_id IN (SELECT id FROM reports WHERE report_no = :no)",
           "DELETE FROM reports WHERE report_no = :no", params={"no": codes.revoked_no})
    status, reason, *_ = both(counter, web, codes.revoked)
    assert (status, reason) == (V.FORGED, "档案中的该报告已被删除")


def test_a_check_reads_the_report_and_its_events_in_one_query(db, site):
    codes, _keys, _counter, web = site
    web.verify_public(codes.valid)  # the trust list and the validity are kept now
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()).lower())

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        for name in ("valid", "newer", "revoked", "expired"):
            statements.clear()
            web.verify_public(getattr(codes, name))
            reads = [s for s in statements if s.startswith("select")]
            assert [s for s in reads if "audit_events" in s] == [reads[0]], name  # with the row
            assert "from reports left outer join audit_events" in reads[0], name
            penalties = [s for s in reads if "from penalties" in s]
            assert len(penalties) == (1 if name in ("valid", "newer") else 0), name  # only for 有效
            assert len(reads) <= 3, (name, reads)  # + corrections, only for a report showing records
            assert len([s for s in statements if s.startswith("insert into verifications")]) == 1, name
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def test_kept_signatures_are_answers_about_the_digits_only(db, site):
    codes, keys, _counter, _web = site
    kept = KeptSignatures(size=2)
    key = keys.trust_list()[0]
    for code, holds in ((codes.valid, True), (codes.forged, False), (codes.newer, True)):
        for _ in range(2):
            signed = kept.parse(code)
            assert kept.holds(code, signed, key) is holds
    assert len(kept) == 2  # the oldest forgotten
    with pytest.raises(MalformedPayload):
        kept.parse(codes.misread)
    assert len(kept) == 2  # a malformed code is not kept
