"""Demo data: what someone trying the program would notice — real-looking Suzhou enterprises,
records in every domain, nothing inconsistent, and the same data for the same seed."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from core import search_text, uscc
from core.db.engine import Database
from core.db.schema import upgrade
from core.errors import InvalidRequest
from core.policy import load_profile
from core.services.demo.generate import generate_demo
from core.services.records.lookup import LookupService
from tests.factories import add_enterprise

TODAY = date(2026, 11, 27)
SUZHOU = {"320505", "320506", "320507", "320508", "320509", "320571", "320581", "320582",
          "320583", "320585", "320502", "320503", "320504", "320584"}
TABLES = ("enterprises", "enterprise_names", "penalties", "arrears", "credit_repairs",
          "enforcements", "dishonest_lists", "criminal_judgments")
OTHER_KINDS = (("enforcement", "enforcements", "enforcements"),  # batch kind, table, summary field
               ("dishonest_lists", "dishonest_lists", "listings"),
               ("criminal", "criminal_judgments", "criminal"))


def _new_db(path) -> Database:
    db = Database(f"sqlite:///{path}")
    upgrade(db)
    return db


def _rows(db: Database, sql: str, **params) -> list:
    with db.engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def _dump(db: Database) -> str:
    digest = hashlib.sha256()
    for table in TABLES:
        for row in _rows(db, f"SELECT * FROM {table} ORDER BY id"):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    db = _new_db(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    seen: list[tuple[str, int, int]] = []
    summary = generate_demo(db, load_profile(), enterprises=3000, seed=7, today=TODAY,
                            progress=lambda stage, done, total: seen.append((stage, done, total)))
    yield db, summary, seen
    db.dispose()


def test_same_seed_same_data_other_seed_other_data(tmp_path):
    profile = load_profile()
    dumps = []
    for i, seed in enumerate((11, 11, 12)):
        db = _new_db(tmp_path / f"d{i}.sqlite3")
        generate_demo(db, profile, enterprises=400, seed=seed, today=TODAY)
        dumps.append(_dump(db))
        db.dispose()
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_summary_counts_what_was_written_and_progress_reaches_the_end(demo):
    db, summary, seen = demo
    counts = [_rows(db, f"SELECT count(*) FROM {t}")[0][0]
              for t in ("enterprises", "penalties", "arrears", "credit_repairs", "enforcements",
                        "dishonest_lists", "criminal_judgments")]
    assert counts == [summary.enterprises, summary.penalties, summary.arrears, summary.repairs,
                      summary.enforcements, summary.listings, summary.criminal]
    assert summary.enterprises == 3000 and summary.seconds > 0
    last = {stage: (done, total) for stage, done, total in seen}
    assert list(last) == ["企业", "行政处罚", "欠缴信息", "信用修复", "其他记录"]
    assert all(done == total for done, total in last.values())


def test_credit_codes_are_valid_suzhou_codes_of_the_right_kind(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT uscc, division, kind FROM enterprises")
    assert len({r.uscc for r in rows}) == len(rows)
    for code, division, kind in rows:
        assert uscc.validate(code) == code
        assert division == code[2:8] and division in SUZHOU
        assert uscc.kind_of(code) == kind
    share = Counter(r.kind for r in rows)
    assert 0.80 < share["企业"] / len(rows) < 0.90
    assert 0.09 < share["个体工商户"] / len(rows) < 0.17
    assert 0.005 < share["农民专业合作社"] / len(rows) < 0.04
    assert {"320502", "320503", "320504", "320584"} & {r.division for r in rows}


def test_names_look_local_and_are_unique(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT name, kind, division, address, reg_authority, legal_rep, "
                     "founded_on, reg_status, source_unit FROM enterprises")
    for r in rows:
        if r.kind == "企业":
            assert re.search(r"(公司|厂|经营部|合伙企业（有限合伙）)$", r.name), r.name
        elif r.kind == "农民专业合作社":
            assert r.name.endswith("专业合作社"), r.name
        assert r.address.endswith(("号", "室")) and re.search("[区市]", r.address)
        assert r.reg_authority.endswith("市场监督管理局")
        assert 2 <= len(r.legal_rep) <= 3
        assert date(1995, 1, 1) <= date.fromisoformat(str(r.founded_on)) <= TODAY
        assert r.source_unit == "苏州市市场监督管理局"
    assert any(r.name.startswith("昆山") for r in rows)
    statuses = Counter(r.reg_status for r in rows)
    assert statuses.most_common(1)[0][0] == "存续" and {"注销", "吊销"} <= set(statuses)
    names = _rows(db, "SELECT name FROM enterprise_names")
    assert len({n.name for n in names}) == len(names)


def test_former_names_are_in_the_name_index(demo):
    db, _, _ = demo
    ents = _rows(db, "SELECT id, name, former_names FROM enterprises")
    index: dict[int, list] = {}
    for row in _rows(db, "SELECT enterprise_id, name, is_current FROM enterprise_names"):
        index.setdefault(row.enterprise_id, []).append((row.name, bool(row.is_current)))
    with_former = 0
    for ent in ents:
        former = ent.former_names.split("；") if ent.former_names else []
        with_former += bool(former)
        assert sorted(index[ent.id]) == sorted([(ent.name, True)] + [(f, False) for f in former])
    assert 0.06 < with_former / len(ents) < 0.15


def test_initials_and_grams_are_what_search_text_makes(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT name, initials, grams FROM enterprise_names")
    for name, inits, grams in rows:
        assert inits == search_text.initials(name), name
        assert grams == search_text.grams(name, inits), name


def test_full_text_search_finds_demo_names(demo):
    db, _, _ = demo
    q = " AND ".join(search_text.query_tokens("科技"))
    found = _rows(db, "SELECT n.name FROM enterprise_names_fts f JOIN enterprise_names n "
                      "ON n.id = f.rowid WHERE enterprise_names_fts MATCH :q", q=q)
    assert len(found) > 20 and all("科技" in r.name for r in found)
    name = _rows(db, "SELECT name FROM enterprises WHERE former_names IS NULL LIMIT 1")[0].name
    assert name in [h.name for h in LookupService(db).search(name)]


def test_penalties_spread_over_all_domains_with_realistic_fields(demo):
    db, summary, _ = demo
    profile = load_profile()
    rows = _rows(db, "SELECT p.*, e.name AS ent_name, e.founded_on, e.legal_rep AS rep "
                     "FROM penalties p JOIN enterprises e ON e.uscc = p.uscc")
    assert len(rows) == summary.penalties
    assert 0.25 < len(rows) / summary.enterprises < 0.42
    assert {r.domain for r in rows} == set(profile.domain_codes)
    by_domain = Counter(r.domain for r in rows)
    assert by_domain[15] > by_domain[17] and by_domain[4] > by_domain[6]
    per_ent = Counter(r.uscc for r in rows)
    assert max(per_ent.values()) >= 3 and len(per_ent) < summary.enterprises * 0.3
    n = len(rows)
    assert 0.18 < sum(r.procedure == "简易程序" for r in rows) / n < 0.32
    assert 0.02 < sum(r.decision_kind == "不予处罚" for r in rows) / n < 0.09
    assert sum(r.status == "已撤销" for r in rows) / n < 0.05
    assert {r.procedure for r in rows} == {"简易程序", "普通程序"}
    assert {r.status for r in rows} == {"有效", "已撤销"}
    for r in rows:
        decided = date.fromisoformat(str(r.decision_date))
        assert max(date(2021, 1, 1), date.fromisoformat(str(r.founded_on))) <= decided <= TODAY
        assert (r.party_name, r.legal_rep) == (r.ent_name, r.rep)
        assert r.organ == r.source_unit
        assert profile.domains_for_unit(r.organ) == (r.domain,), r.organ
        assert re.fullmatch(r".+〔20\d\d〕(第)?\d+号", r.decision_no), r.decision_no
        assert str(decided.year) in r.decision_no
        assert r.violation_type and r.facts.startswith("经查") and r.basis.startswith("《")
        if r.fine_amount is not None:
            yuan = Decimal(str(r.fine_amount)) * 10000
            assert f"罚款人民币{yuan:.0f}元" in r.content
            assert "罚款" in r.penalty_kind.split("；")
    assert len({r.decision_no for r in rows}) == n
    assert Counter(r.penalty_kind for r in rows).most_common(1)[0][0] == "罚款"


def test_arrears_recent_months_unique_per_source(demo):
    db, summary, _ = demo
    rows = _rows(db, "SELECT a.* FROM arrears a JOIN enterprises e ON e.uscc = a.uscc")
    assert len(rows) == summary.arrears
    assert 1 / 80 < len(rows) / summary.enterprises < 1 / 25
    keys = [(r.uscc, r.kind, r.period, r.source_unit) for r in rows]
    assert len(set(keys)) == len(keys)
    assert {r.kind for r in rows} <= set(load_profile().arrears_kinds)
    earliest = f"{TODAY.year - 2}-{TODAY.month:02d}"
    for r in rows:
        assert earliest <= r.period < f"{TODAY:%Y-%m}"
        assert TODAY - timedelta(days=60) < date.fromisoformat(str(r.as_of)) <= TODAY
        assert Decimal(str(r.amount)) > 0
    assert 0.5 < sum(r.status == "欠缴" for r in rows) / len(rows) < 0.9
    assert {r.status for r in rows} == {"欠缴", "已补缴"}


def test_repairs_follow_counted_penalties_a_year_old(demo):
    db, _, _ = demo
    rows = _rows(db, "SELECT r.*, p.uscc AS p_uscc, p.decision_date, p.procedure, "
                     "p.decision_kind, p.status FROM credit_repairs r "
                     "JOIN penalties p ON p.decision_no = r.decision_no")
    assert rows and len(rows) == _rows(db, "SELECT count(*) FROM credit_repairs")[0][0]
    for r in rows:
        decided = date.fromisoformat(str(r.decision_date))
        assert decided < date.fromisoformat(str(r.repair_date)) < TODAY
        assert decided <= TODAY - timedelta(days=365)
        assert r.uscc == r.p_uscc
        assert (r.procedure, r.decision_kind, r.status) == ("普通程序", "给予处罚", "有效")
        assert r.organ == r.source_unit == "苏州市发展和改革委员会"
        assert re.fullmatch(r"苏发改信修〔20\d\d〕\d{4}号", r.document_no)
    eligible = _rows(db, "SELECT count(*) FROM penalties WHERE procedure = '普通程序' AND "
                         "decision_kind = '给予处罚' AND status = '有效' AND decision_date <= :d",
                     d=TODAY - timedelta(days=365))[0][0]
    assert 0.06 < len(rows) / eligible < 0.2
    assert len({r.document_no for r in rows}) == len(rows)


def test_every_record_points_at_its_demo_batch(demo):
    db, summary, _ = demo
    every = _rows(db, "SELECT * FROM import_batches WHERE kind <> 'penalties'")
    batches = {b.kind: b for b in every}
    assert set(batches) == {"enterprises", "arrears", "repairs", "enforcement",
                            "dishonest_lists", "criminal"}
    checksum = hashlib.sha256(b"demo:7:3000").hexdigest()
    for kind, table, count in (("enterprises", "enterprises", summary.enterprises),
                               ("arrears", "arrears", summary.arrears),
                               ("repairs", "credit_repairs", summary.repairs),
                               *((k, t, getattr(summary, f)) for k, t, f in OTHER_KINDS)):
        b = batches[kind]
        assert (b.file_name, b.checksum, b.unit, b.imported_by) == (
            "demo-seed-7", checksum, "演示数据", "demo")
        assert b.total_rows == b.accepted == count
        assert _rows(db, f"SELECT DISTINCT batch_id FROM {table}") == [(b.id,)]


def test_refuses_a_database_that_already_has_enterprises(demo):
    db, summary, _ = demo
    with pytest.raises(InvalidRequest, match="数据库中已有企业数据，演示数据只能写入空数据库"):
        generate_demo(db, load_profile(), enterprises=10, seed=1, today=TODAY)
    assert _rows(db, "SELECT count(*) FROM enterprises")[0][0] == summary.enterprises
    assert _rows(db, "SELECT count(*) FROM import_batches")[0][0] == 6 + 20


def test_rejects_a_non_positive_count(tmp_path):
    db = _new_db(tmp_path / "e.sqlite3")
    with pytest.raises(InvalidRequest):
        generate_demo(db, load_profile(), enterprises=0, seed=1, today=TODAY)


def test_later_writes_continue_after_demo_ids(db, profile):
    """On both databases: after a demo, adding an enterprise by hand still works."""
    summary = generate_demo(db, profile, enterprises=200, seed=3, today=TODAY)
    code = add_enterprise(db, "苏州演示后新增测试有限公司")
    found = LookupService(db).search("演示后新增")
    assert [h.uscc for h in found] == [code]
    assert LookupService(db).get(code).name == "苏州演示后新增测试有限公司"
    assert summary.enterprises == 200


def test_the_national_kinds_go_to_enterprises_with_penalties_and_look_real(demo):
    db, summary, _ = demo
    # 3,000 enterprises: about 8% / 2% / 0.6% of the ~470 with penalties
    assert 15 <= summary.enforcements <= 70 and 2 <= summary.listings <= 25
    assert summary.criminal >= 1
    penalised = {u for (u,) in _rows(db, "SELECT DISTINCT uscc FROM penalties")}
    names = dict(_rows(db, "SELECT uscc, name FROM enterprises"))
    for table in ("enforcements", "dishonest_lists", "criminal_judgments"):
        for code, party in _rows(db, f"SELECT uscc, party_name FROM {table}"):
            assert code in penalised and names[code] == party
    for e in _rows(db, "SELECT * FROM enforcements"):
        assert re.fullmatch(r"苏[^〔]+〔20\d\d〕\d{4}号", e.decision_no), e.decision_no
        assert "2021-01-01" <= e.decision_date <= TODAY.isoformat() and e.organ.startswith(("苏州市", "国家税务总局苏州市"))
    for x in _rows(db, "SELECT * FROM dishonest_lists"):
        assert x.removed_on is None or x.listed_on < x.removed_on <= TODAY.isoformat()
    for c in _rows(db, "SELECT * FROM criminal_judgments"):
        assert re.fullmatch(r"（20\d\d）苏05\d*刑初\d+号", c.case_no), c.case_no
        assert c.charge in c.sentence and c.court.endswith("人民法院")


def test_penalties_come_in_one_batch_per_domain_in_the_name_of_its_unit(demo):
    """So the report's 数据更新至 shows each domain's delivery date, as after real imports."""
    db, summary, _ = demo
    profile = load_profile()
    batches = _rows(db, "SELECT * FROM import_batches WHERE kind = 'penalties' ORDER BY id")
    assert len(batches) == 20
    by_domain = {profile.domains_for_unit(b.unit): b for b in batches}
    assert sorted(by_domain) == [(code,) for code in range(1, 21)]
    for (code,), b in by_domain.items():
        stored = _rows(db, "SELECT count(*), count(DISTINCT batch_id) FROM penalties WHERE domain = :c", c=code)
        assert stored[0][0] == b.total_rows == b.accepted and stored[0][1] in (0, 1)
        assert _rows(db, "SELECT count(*) FROM penalties WHERE batch_id = :b AND domain <> :c",
                     b=b.id, c=code)[0][0] == 0
    assert sum(b.total_rows for b in batches) == summary.penalties

