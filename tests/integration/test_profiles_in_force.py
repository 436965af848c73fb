"""Profiles in force (issue 9): each profile's period, an extension, going back to the published
period — on SQLite and PostgreSQL. Outside the period issuing and previewing are refused with one
sentence naming the profile and its end, and nothing is numbered."""
from __future__ import annotations

import re
from datetime import date, datetime

import pypdfium2
import pytest
from sqlalchemy import text

from core.errors import InvalidRequest, PermissionDenied
from core.policy import PolicyError, load_profile
from core.services.people import audit_chain
from core.services.people.roles import Role
from core.services.reports.request import ReportRequest
from core.services.signing.keys import KeyService
from tests.desks import make_desk
from tests.factories import add_enterprise

EXTENSION = "苏府办〔2026〕12号"


@pytest.fixture
def desk(db, profile, tmp_path):
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    keys.create(user="admin", label="一号窗口", today=date(2024, 1, 1))
    made = make_desk(db, profile, keys)
    made.code = add_enterprise(db, "苏州恒达精密机械有限公司")
    return made


def use(desk, profile_id, extended_by=None, until=None):
    return desk.desk.use_profile(desk.as_(Role.ADMIN), profile_id, extended_by, until)


def issue_on(desk, day: date):
    return desk.issue(desk.code, now=datetime.combine(day, datetime.min.time()).replace(hour=10))


def preview_on(desk, day: date) -> bytes:
    request = ReportRequest(desk.code)
    return desk.desk.preview(desk.as_(Role.CLERK), request,
                             now=datetime.combine(day, datetime.min.time()).replace(hour=10))


def reports_count(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM reports")).scalar()


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    return re.sub(r"\s+", "", "".join(page.get_textpage().get_text_range() for page in document))


# (profile, extension, day, in force?) — the edges of each published period, and of an extension
CASES = [
    ("suzhou-2024", None, date(2024, 2, 29), False),  # the day before it starts
    ("suzhou-2024", None, date(2024, 3, 1), True),  # the first day
    ("suzhou-2024", None, date(2026, 2, 28), True),  # the last day as published
    ("suzhou-2024", None, date(2026, 3, 1), False),  # the day after
    ("suzhou-2024", None, date(2026, 11, 27), False),  # today: the trial has ended
    ("national-2025", None, date(2025, 6, 30), False),  # the day before it starts
    ("national-2025", None, date(2025, 7, 1), True),  # the first day
    ("national-2025", None, date(2026, 11, 27), True),  # no end date
    ("suzhou-2024", date(2026, 12, 31), date(2026, 3, 1), True),  # the day after, now extended
    ("suzhou-2024", date(2026, 12, 31), date(2026, 12, 31), True),  # the extension's last day
    ("suzhou-2024", date(2026, 12, 31), date(2027, 1, 1), False),  # past the extension
    ("suzhou-2024", date(2026, 12, 31), date(2024, 2, 29), False),  # an extension moves no start
]


@pytest.mark.parametrize(("profile_id", "until", "day", "in_force"), CASES,
                         ids=[f"{c[0]}-{'ext' if c[1] else 'published'}-{c[2]}" for c in CASES])
def test_issue_and_preview_only_inside_the_period(desk, db, profile_id, until, day, in_force):
    use(desk, profile_id, EXTENSION if until else None, until)
    before = reports_count(db)
    if in_force:
        assert preview_on(desk, day).startswith(b"%PDF")
        result = issue_on(desk, day)
        assert result.report_no
        assert reports_count(db) == before + 1
        return
    published = load_profile(profile_id)
    for attempt in (preview_on, issue_on):
        with pytest.raises(InvalidRequest) as refused:
            attempt(desk, day)
        sentence = str(refused.value)
        assert published.name in sentence and published.document in sentence
        if day < published.valid_from:
            assert f"自 {published.valid_from} 起施行" in sentence
        elif until:
            assert f"经{EXTENSION}延长至 {until}" in sentence
        else:
            assert f"有效期已于 {published.valid_to} 结束" in sentence
    assert reports_count(db) == before  # nothing numbered, nothing archived
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'issue'")).scalar() == 0


def test_extension_is_cited_and_use_alone_goes_back_to_the_published_period(desk, db):
    today = date(2026, 11, 27)
    info = use(desk, "suzhou-2024", EXTENSION, date(2027, 2, 28))
    assert (info.extended_by, info.extended_until, info.in_force) == (EXTENSION, date(2027, 2, 28), True)
    pdf_words = pdf_text(issue_on(desk, today).pdf)
    assert f"苏府规字〔2024〕1号，经{EXTENSION}延长至2027-02-28" in pdf_words

    info = use(desk, "suzhou-2024")  # as published: the extension is dropped
    assert (info.extended_by, info.extended_until, info.in_force) == (None, None, False)
    assert "有效期已于 2026-02-28 结束" in info.reason
    with pytest.raises(InvalidRequest, match="2026-02-28"):
        issue_on(desk, today)

    listed = {p.id: p for p in desk.desk.profiles(desk.as_(Role.CLERK), today)}
    assert listed["suzhou-2024"].in_use and listed["suzhou-2024"].recorded
    assert not listed["national-2025"].in_use and listed["national-2025"].in_force
    with db.session() as s:
        events = audit_chain.events_for(s, action="profile", subject="suzhou-2024")
    assert [e.details for e in events][-2:] == [
        {"profile": "suzhou-2024", "extended_by": EXTENSION, "until": "2027-02-28"},
        {"profile": "suzhou-2024", "extended_by": None, "until": None}]


def test_another_counter_follows_the_deployments_choice(desk, db, tmp_path):
    """The choice lives in the shared database: a second desk (another counter) obeys it."""
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust-list.json")
    other = make_desk(db, load_profile("national-2025"), keys, counter="二号窗口")  # records national
    assert other.desk.profile.id == "national-2025"
    use(desk, "suzhou-2024")
    with pytest.raises(InvalidRequest, match="苏府规字〔2024〕1号"):
        other.issue(desk.code, now=datetime(2026, 11, 27, 10))


def test_nothing_chosen_falls_back_to_the_configured_profile(desk, db):
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM deployment_settings"))
    info = desk.desk.profile_in_force(desk.as_(Role.CLERK), date(2026, 11, 27))
    assert (info.id, info.recorded, info.in_force) == ("suzhou-2024", False, False)


@pytest.mark.parametrize(("args", "words"), [
    (("suzhou-2024", "  ", date(2027, 2, 28)), "延长有效期的文件"),
    (("suzhou-2024", EXTENSION, date(2026, 2, 28)), "应晚于"),
    (("suzhou-2024", EXTENSION, None), "同时给出"),
    (("national-2025", EXTENSION, date(2030, 1, 1)), "没有截止日期"),
    (("beijing-2030", None, None), "未找到政策配置"),
])
def test_refused_changes_say_why_and_change_nothing(desk, args, words):
    before = desk.desk.profile_in_force(desk.as_(Role.CLERK))
    with pytest.raises((PolicyError, InvalidRequest), match=words):
        use(desk, *args)
    assert desk.desk.profile_in_force(desk.as_(Role.CLERK)) == before


def test_only_an_administrator_changes_the_profile(desk):
    for role in (Role.CLERK, Role.SUPERVISOR, Role.VERIFIER):
        with pytest.raises(PermissionDenied, match="管理员"):
            desk.desk.use_profile(desk.as_(role), "national-2025")
