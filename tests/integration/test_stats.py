"""统计 (issue 11): the numbers of a week at two counters, on SQLite and PostgreSQL, and
`creditdesk-admin stats --json` giving the same numbers for the same period."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from core.cli import main
from core.errors import InvalidRequest, PermissionDenied
from core.services.people.roles import Role
from tests.desks import NAMES, PASSWORD
from tests.stats_data import ECOLOGY, MARKET, TODAY, WEEK, a_week


@pytest.fixture
def week(db, profile, tmp_path, write_csv):
    return a_week(db, profile, tmp_path, write_csv)


def test_the_week_in_numbers(week):
    data = week.desk.statistics(week.as_(Role.SUPERVISOR), *WEEK).to_json()
    reports = data["reports"]
    assert reports["total"] == 4  # the report of ten days ago is outside the week
    assert reports["by_day"] == [{"date": (TODAY - timedelta(days=2)).isoformat(), "count": 1},
                                 {"date": (TODAY - timedelta(days=1)).isoformat(), "count": 1},
                                 {"date": TODAY.isoformat(), "count": 2}]
    assert reports["by_counter"] == [{"counter": "一号窗口", "count": 3}, {"counter": "二号窗口", "count": 1}]
    assert reports["by_purpose"] == [{"purpose": "招投标", "count": 3}, {"purpose": "融资", "count": 1}]
    # 恒达's two reports each show two 生态环境 penalties and one more of domain 1
    assert [(d["domain"], d["violations"]) for d in data["domains"]] == [(4, 4), (1, 2)]
    assert data["domains"][0]["name"] == "生态环境"
    assert data["verifications"] == {"total": 5, "by_status": {"valid": 2, "malformed": 2, "forged": 1,
                                                               "revoked": 0, "expired": 0}}
    assert data["objections"] == {"by_state": {"已登记": 2}, "overdue": 1}
    units = {u["unit"]: u for u in data["units"]}
    assert (units[MARKET]["rows"], units[MARKET]["rejected"], units[MARKET]["late"]) == (3, 1, False)
    assert (units[ECOLOGY]["rows"], units[ECOLOGY]["late"]) == (0, True)
    assert units[ECOLOGY]["last_import"].startswith((TODAY - timedelta(days=60)).isoformat())


def test_a_wider_period_takes_in_more_and_a_unit_is_late_only_after_the_limit(week):
    sup = week.as_(Role.SUPERVISOR)
    month = week.desk.statistics(sup, TODAY - timedelta(days=40), TODAY).to_json()
    assert month["reports"]["total"] == 5 and month["objections"]["by_state"] == {"已登记": 3}
    then = week.desk.statistics(sup, TODAY - timedelta(days=70), TODAY - timedelta(days=50)).to_json()
    assert then["reports"]["total"] == 0 and then["domains"] == []
    assert [(u["unit"], u["rows"], u["late"]) for u in then["units"]] == [(ECOLOGY, 40, False)]


def test_only_a_supervisor_sees_the_numbers_and_the_period_must_be_in_order(week):
    for role in (Role.CLERK, Role.VERIFIER, Role.ADMIN):
        with pytest.raises(PermissionDenied, match="主管"):
            week.desk.statistics(week.as_(role), *WEEK)
    with pytest.raises(InvalidRequest, match="晚于"):
        week.desk.statistics(week.as_(Role.SUPERVISOR), TODAY, TODAY - timedelta(days=1))


def test_the_command_gives_the_same_numbers(week, db, capsys, monkeypatch):
    monkeypatch.setenv("CREDITDESK_PASSWORD", PASSWORD)
    args = ["--db", db.url, "--user", NAMES[Role.SUPERVISOR],
            "stats", "--from", WEEK[0].isoformat(), "--to", WEEK[1].isoformat()]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == week.desk.statistics(week.as_(Role.SUPERVISOR), *WEEK).to_json()
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "出具报告 4 份" in text and "逾期 1 件" in text and f"{ECOLOGY}：" in text and "逾期未更新" in text
