"""creditdesk-admin end to end: a real process, real files, each kind of database."""
from __future__ import annotations

import random
import re
import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from core import uscc
from tests.e2e.conftest import Cli

REPORT_DATE = "2026-01-15"  # inside suzhou-2024's validity; the default period starts 2023-01-16
CJK = re.compile(r"[\u4e00-\u9fff]")

_rng = random.Random(20240301)
HENGDA, LVYUAN, YANHUA = (uscc.generate(_rng, division="320506") for _ in range(3))
UNKNOWN = uscc.generate(_rng, division="320508")
BAD_CHECK = HENGDA[:17] + ("0" if HENGDA[17] != "0" else "1")

ENTERPRISES = [
    ["统一社会信用代码", "企业名称", "法定代表人", "成立日期", "登记状态", "曾用名"],
    [HENGDA, "苏州恒达精密机械有限公司", "张伟", "2015-03-02", "存续", "苏州恒达机械厂"],
    [LVYUAN, "吴中区绿源环保科技有限公司", "李娜", "2018-07-19", "存续", ""],
    [YANHUA, "苏州䶮华电子有限公司", "王芳", "2010-01-01", "存续", ""],
]

PENALTY_HEADERS = {
    "chinese": ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别",
                "处罚决定日期", "处罚机关", "数据来源单位", "领域", "程序类型"],
    "codes": ["CF_XDR_MC", "CF_XDR_SHXYM", "CF_WSH", "CF_CFLB", "CF_JDRQ", "CF_CFJG", "CF_SJLY",
              "领域", "程序类型"],
}
ENV_UNIT = "苏州市生态环境局"
MSA_UNIT = "苏州市市场监督管理局"
PENALTY_ROWS = [
    ["苏州恒达精密机械有限公司", HENGDA, "苏环行罚〔2025〕101号", "罚款", "2025-05-10", ENV_UNIT, ENV_UNIT, "4", "普通程序"],
    ["苏州恒达精密机械有限公司", BAD_CHECK, "苏环行罚〔2025〕102号", "罚款", "2025-05-11", ENV_UNIT, ENV_UNIT, "4", "普通程序"],
    ["苏州恒达精密机械有限公司", HENGDA, "苏市监罚〔2025〕7号", "警告", "2025-13-45", MSA_UNIT, MSA_UNIT, "15", "普通程序"],
    ["苏州恒达精密机械有限公司", HENGDA, "苏市监罚〔2025〕8号", "罚款", "2025-06-01", MSA_UNIT, MSA_UNIT, "15", "普通程序"],
    ["苏州恒达精密机械有限公司", HENGDA, "苏市监简罚〔2025〕9号", "警告", "2025-07-01", MSA_UNIT, MSA_UNIT, "15", "简易程序"],
]
GOOD_DECISIONS = ["苏环行罚〔2025〕101号", "苏市监罚〔2025〕8号", "苏市监简罚〔2025〕9号"]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    text = "\n".join(",".join("" if c is None else str(c) for c in row) for row in rows) + "\n"
    path.write_bytes(text.encode(encoding))
    return path


def report(cli: Cli, code: str, *extra: str) -> dict:
    """What the clerk at the counter previews."""
    return cli.clerk.ok("report", "content", "--uscc", code, "--date", REPORT_DATE, "--json", *extra).json()


def assert_one_line_error(run) -> None:
    assert run.code != 0, f"{run.args} succeeded: {run.out}"
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1, run.err
    assert CJK.search(run.err_lines[0]), run.err


@pytest.fixture
def with_enterprises(cli, tmp_path) -> Cli:
    result = cli.admin.ok("import", "enterprises", write_csv(tmp_path / "ent.csv", ENTERPRISES), "--json").json()
    assert (result["accepted"], result["rejected"]) == (3, [])
    return cli


# --- init and where the database lives ------------------------------------------------------


def test_init_default_database_lands_in_creditdesk_home(home):
    tool = Cli(home)
    first, second = tool("init"), tool("init")
    assert (first.code, second.code) == (0, 0), first.err + second.err
    assert (home / "creditdesk.sqlite3").is_file()
    assert "已创建" in first.out
    assert "已是最新" in second.out and "已是最新" not in first.out


def test_init_on_explicit_sqlite_file(home, tmp_path):
    path = tmp_path / "nested" / "desk.sqlite3"
    tool = Cli(home, ["--db", f"sqlite:///{path}"])
    assert "已创建" in tool.ok("init").out
    assert "已是最新" in tool.ok("init").out
    assert path.is_file() and not (home / "creditdesk.sqlite3").exists()


def test_init_on_postgresql_is_idempotent(home, fresh_pg_url, people):
    tool = Cli(home, ["--db", fresh_pg_url])
    lookup_before = tool.clerk("lookup", "恒达")
    assert_one_line_error(lookup_before)  # a shared database is not created behind one's back
    assert "init" in lookup_before.err
    assert "已创建" in tool.ok("init").out
    assert "已是最新" in tool.ok("init").out
    people(tool)
    assert tool.clerk.ok("lookup", "恒达", "--json").json() == []


def test_creditdesk_db_env_chooses_the_database_and_db_option_wins(home, tmp_path):
    by_env = tmp_path / "env.sqlite3"
    by_option = tmp_path / "option.sqlite3"
    tool = Cli(home, extra_env={"CREDITDESK_DB": f"sqlite:///{by_env}"})
    tool.ok("init")
    assert by_env.is_file() and not (home / "creditdesk.sqlite3").exists()
    tool.ok("--db", f"sqlite:///{by_option}", "init")
    assert by_option.is_file()


# --- uscc ------------------------------------------------------------------------------------


def test_uscc_normalises_full_width_input(home):
    run = Cli(home)("uscc", "９１３５０１００Ｍ０００１００Ｙ４３")
    assert (run.code, run.out.strip()) == (0, "91350100M000100Y43")


def test_uscc_explains_a_wrong_check_character(home):
    run = Cli(home)("uscc", "91350100M000100Y44")
    assert run.code == 1
    assert "第18位" in run.out + run.err


# --- import and lookup -----------------------------------------------------------------------


def test_gb18030_enterprise_file_imports_and_names_are_searchable(cli, tmp_path):
    path = write_csv(tmp_path / "市场主体.csv", ENTERPRISES, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    assert cli.admin.ok("import", "enterprises", path, "--json").json()["accepted"] == 3
    hits = cli.clerk.ok("lookup", "绿源环保", "--json").json()
    assert [(h["uscc"], h["name"]) for h in hits] == [(LVYUAN, "吴中区绿源环保科技有限公司")]
    hits = cli.clerk.ok("lookup", "䶮华", "--json").json()  # a character outside GBK
    assert [h["name"] for h in hits] == ["苏州䶮华电子有限公司"]


def test_lookup_by_code_and_by_former_name(with_enterprises):
    cli = with_enterprises.clerk
    by_code = cli.ok("lookup", HENGDA.lower(), "--json").json()
    assert [(h["uscc"], h["match"]) for h in by_code][:1] == [(HENGDA, "uscc")]
    by_former = cli.ok("lookup", "机械厂", "--json").json()
    assert [(h["uscc"], h["name"], h["matched_name"]) for h in by_former] == [
        (HENGDA, "苏州恒达精密机械有限公司", "苏州恒达机械厂")
    ]
    plain = cli.ok("lookup", "机械厂")
    assert "曾用名" in plain.out and HENGDA in plain.out
    nothing = cli.ok("lookup", "不存在的企业名称")
    assert "未找到" in nothing.out


def test_lookup_by_current_name_reports_the_current_name(with_enterprises):
    clerk = with_enterprises.clerk
    hits = clerk.ok("lookup", "恒达", "--json").json()
    assert [(h["uscc"], h["matched_name"]) for h in hits] == [(HENGDA, "苏州恒达精密机械有限公司")]
    assert "曾用名" not in clerk.ok("lookup", "恒达").out


def test_penalty_import_rejects_bad_rows_and_reimport_updates(with_enterprises, tmp_path):
    cli = with_enterprises
    path = write_csv(tmp_path / "penalties.csv", [PENALTY_HEADERS["chinese"], *PENALTY_ROWS])
    first = cli.admin.ok("import", "penalties", path, "--json").json()
    assert set(first) >= {"batch_id", "accepted", "updated", "rejected"}
    assert (first["accepted"], first["updated"]) == (3, 0)
    assert [(r["row"], r["column"]) for r in first["rejected"]] == [(3, "统一社会信用代码"), (4, "处罚决定日期")]
    assert all(CJK.search(r["reason"]) for r in first["rejected"])
    assert "第18位" in first["rejected"][0]["reason"]

    again = cli.admin.ok("import", "penalties", path, "--json").json()
    assert again["batch_id"] != first["batch_id"]
    assert (again["accepted"], again["updated"]) == (3, 3)
    assert again["rejected"] == first["rejected"]

    content = report(cli, HENGDA)
    assert [v["decision_no"] for v in content["violations"]] == GOOD_DECISIONS[:2]  # simplified: excluded


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_penalty_import_accepts_national_data_item_codes(with_enterprises, tmp_path):
    path = write_csv(tmp_path / "cf.csv", [PENALTY_HEADERS["codes"], *PENALTY_ROWS])
    result = with_enterprises.admin.ok("import", "penalties", path, "--json").json()
    assert result["accepted"] == 3
    assert [(r["row"], r["column"]) for r in result["rejected"]] == [(3, "CF_XDR_SHXYM"), (4, "CF_JDRQ")]
    content = report(with_enterprises, HENGDA)
    assert [v["decision_no"] for v in content["violations"]] == GOOD_DECISIONS[:2]


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_plain_import_summary_names_rejected_rows(with_enterprises, tmp_path):
    path = write_csv(tmp_path / "penalties.csv", [PENALTY_HEADERS["chinese"], *PENALTY_ROWS])
    out = with_enterprises.admin.ok("import", "penalties", path).out
    assert "接受 3 行" in out and "拒绝 2 行" in out
    assert "第 3 行" in out and "第 4 行" in out


def _garbage(p: Path) -> Path:
    p.write_bytes(bytes(range(256)) * 8)
    return p


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda d: d / "missing.csv", id="missing-file"),
        pytest.param(lambda d: _garbage(d / "garbage.csv"), id="binary-garbage"),
        pytest.param(lambda d: _garbage(d / "garbage.xlsx"), id="not-an-xlsx"),
        pytest.param(lambda d: write_csv(d / "nocode.csv", [["企业名称"], ["苏州某公司"]]),
                     id="missing-required-column"),
        pytest.param(lambda d: write_csv(d / "old.xls", ENTERPRISES), id="xls"),
        pytest.param(lambda d: write_csv(d / "empty.csv", []), id="empty"),
    ],
)
@pytest.mark.parametrize("cli", ["embedded"], indirect=True)  # reading the file comes before the database
def test_unreadable_import_file_is_one_line_error(cli, tmp_path, make):
    run = cli.admin("import", "enterprises", make(tmp_path), "--json")
    assert_one_line_error(run)
    assert run.out == ""
    assert cli.clerk.ok("lookup", "苏州", "--json").json() == []


@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_missing_column_error_names_the_column(cli, tmp_path):
    run = cli.admin("import", "enterprises", write_csv(tmp_path / "e.csv", [["企业名称"], ["苏州某公司"]]))
    assert_one_line_error(run)
    assert "统一社会信用代码" in run.err


# --- report content --------------------------------------------------------------------------


@pytest.fixture
def with_records(with_enterprises, tmp_path) -> Cli:
    cli = with_enterprises
    admin = cli.admin
    admin.ok("import", "penalties", write_csv(tmp_path / "p.csv", [PENALTY_HEADERS["chinese"], *PENALTY_ROWS]))
    arrears = [
        ["统一社会信用代码", "欠缴类别", "所属期", "欠缴金额（元）", "数据来源单位", "状态", "统计日期"],
        [HENGDA, "社会保险", "2025-08", "1234.50", "苏州市人力资源和社会保障局", "欠缴", "2025-10-31"],
        [HENGDA, "住房公积金", "2025-07", "800", "苏州市住房公积金管理中心", "已补缴", "2025-10-31"],
    ]
    result = admin.ok("import", "arrears", write_csv(tmp_path / "a.csv", arrears), "--json").json()
    assert (result["accepted"], result["rejected"]) == (2, [])
    repairs = [
        ["统一社会信用代码", "行政处罚决定书文号", "修复日期", "修复机关", "修复文书号"],
        [HENGDA, "苏环行罚〔2025〕101号", "2025-09-01", "苏州市发展和改革委员会", "苏发改信修〔2025〕3号"],
        [LVYUAN, "苏市监罚〔2025〕8号", "2025-09-02", "苏州市发展和改革委员会", "苏发改信修〔2025〕4号"],
        [HENGDA, "苏环行罚〔2099〕1号", "2025-09-03", "苏州市发展和改革委员会", "苏发改信修〔2025〕5号"],
    ]
    result = admin.ok("import", "repairs", write_csv(tmp_path / "r.csv", repairs), "--json").json()
    assert result["accepted"] == 1
    assert [(r["row"], r["column"]) for r in result["rejected"]] == [
        (3, "统一社会信用代码"), (4, "行政处罚决定书文号")
    ]
    return cli


def test_report_content_json_domains_and_period(with_records):
    content = report(with_records, HENGDA)
    assert (content["uscc"], content["enterprise_name"]) == (HENGDA, "苏州恒达精密机械有限公司")
    assert content["period"] == {"from": "2023-01-16", "to": "2026-01-15"}
    assert content["domains"] == list(range(1, 21))
    assert content["violations"] == [
        {"decision_no": "苏环行罚〔2025〕101号", "domain": 4, "decision_date": "2025-05-10", "repaired": True,
         "objection": None},
        {"decision_no": "苏市监罚〔2025〕8号", "domain": 15, "decision_date": "2025-06-01", "repaired": False,
         "objection": None},
    ]
    assert content["arrears"] == [{"kind": "社会保险", "period": "2025-08", "amount": 1234.5}]
    assert content["repairs"] == [{"decision_no": "苏环行罚〔2025〕101号", "repair_date": "2025-09-01"}]

    only_market = report(with_records, HENGDA, "--domains", "15")
    assert only_market["domains"] == [15]
    assert [v["decision_no"] for v in only_market["violations"]] == ["苏市监罚〔2025〕8号"]
    assert only_market["repairs"] == []
    narrow = report(with_records, HENGDA, "--domains", "1,4,15", "--from", "2025-05-20", "--to", REPORT_DATE)
    assert narrow["domains"] == [1, 4, 15]
    assert narrow["period"] == {"from": "2025-05-20", "to": REPORT_DATE}
    assert [v["decision_no"] for v in narrow["violations"]] == ["苏市监罚〔2025〕8号"]
    clean = report(with_records, YANHUA)
    assert (clean["violations"], clean["arrears"], clean["repairs"]) == ([], [], [])
    assert "无违法记录" in with_records.clerk.ok("report", "content", "--uscc", YANHUA, "--date", REPORT_DATE).out


# --- every error: one plain line, non-zero, no traceback -------------------------------------


def test_report_for_unknown_enterprise(with_enterprises):
    run = with_enterprises.clerk("report", "content", "--uscc", UNKNOWN, "--date", REPORT_DATE, "--json")
    assert_one_line_error(run)
    assert UNKNOWN in run.err and run.out == ""


@pytest.mark.parametrize(
    "args, says",
    [
        (["--uscc", UNKNOWN], UNKNOWN),
        (["--uscc", HENGDA, "--from", "2022-06-01"], "3 年"),
        (["--uscc", HENGDA, "--from", "2025-01-01", "--to", "2025-12-31"], "必须截至出具日 2026-01-15"),
        (["--uscc", HENGDA, "--domains", "1,x"], "领域"),
        (["--uscc", HENGDA, "--domains", "99"], "99"),
        (["--uscc", HENGDA, "--from", "2025/01/01"], "YYYY-MM-DD"),
        (["--uscc", HENGDA, "--date", "2025-02-30"], "YYYY-MM-DD"),
        (["--uscc", HENGDA, "--from", "2026-06-01"], "2026-06-01"),
        (["--uscc", BAD_CHECK], "第18位"),
    ],
    ids=["unknown-uscc", "over-3-years", "window-in-the-past", "bad-domains", "unknown-domain", "bad-date-format",
         "impossible-date", "start-after-report-date", "invalid-uscc"],
)
@pytest.mark.parametrize("cli", ["embedded"], indirect=True)
def test_report_content_errors(with_enterprises, args, says):
    run = with_enterprises.clerk("report", "content", "--date", REPORT_DATE, *args, "--json")
    assert_one_line_error(run)
    assert says in run.err
    assert run.out == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["--db", "postgresql+psycopg://postgres@127.0.0.1:1/x", "lookup", "恒达"],
        ["--db", "postgresql+psycopg://postgres@127.0.0.1:1/x", "init"],
        ["--db", "not a database url", "lookup", "恒达"],
        ["--db", "mysql://root@127.0.0.1/x", "init"],
        ["frobnicate"],
        ["report", "content"],
        ["import", "fines", "x.csv"],
    ],
    ids=["unreachable-db", "unreachable-db-init", "malformed-url", "unsupported-db",
         "unknown-command", "missing-uscc", "unknown-import-kind"],
)
def test_usage_and_database_errors(home, argv):
    run = Cli(home)(*argv)
    assert_one_line_error(run)
    assert run.out == ""


def test_unusable_sqlite_location_is_a_database_error_not_an_internal_one(home, tmp_path):
    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x")
    run = Cli(home, ["--db", f"sqlite:///{not_a_folder / 'desk.sqlite3'}"])("init")
    assert_one_line_error(run)
    assert "内部错误" not in run.err and run.code != 70


@pytest.mark.parametrize(
    "argv", [["frobnicate"], ["report", "content"], ["lookup"]], ids=["unknown-command", "missing-option", "missing-query"]
)
def test_usage_errors_are_written_in_chinese(home, argv):
    run = Cli(home)(*argv)
    assert run.code != 0
    english = re.findall(r"invalid choice|the following arguments are required|argument ", run.err)
    assert english == [], run.err


# --- demo data -------------------------------------------------------------------------------
# Demo records are dated relative to today, so these runs use the default report date.

DEMO_SIZE = 300


def _demo(tool: Cli, seed: int, people) -> list[tuple[str, str]]:
    """Initialise (with its people), run demo as the administrator; return the counts it reports
    (企业, 行政处罚, 欠缴, 信用修复)."""
    people(tool)
    run = tool.admin.ok("demo", "--enterprises", DEMO_SIZE, "--seed", seed)
    counts = re.findall(r"(企业|行政处罚|欠缴|信用修复) (\d+) ", run.out)
    assert counts[0] == ("企业", str(DEMO_SIZE)), run.out
    return counts


def _penalised(sqlite_file: Path, n: int = 3) -> list[str]:
    """Enterprises with penalties (picked from the file; what they show is asked of the tool)."""
    with closing(sqlite3.connect(sqlite_file)) as conn:
        rows = conn.execute(
            "SELECT DISTINCT uscc FROM penalties WHERE status = '有效' AND procedure = '普通程序'"
            " AND decision_kind = '给予处罚' AND decision_date > ? ORDER BY uscc LIMIT ?",
            ((date.today() - timedelta(days=3 * 365 - 30)).isoformat(), n),
        ).fetchall()
    assert rows, "demo data should hold recent penalties"
    return [r[0] for r in rows]


def _snapshot(tool: Cli, codes: list[str]) -> dict:
    """What the clerk finds and previews."""
    tool = tool.clerk
    hits = tool.ok("lookup", "公司", "--json", "--limit", "20").json()
    assert hits, "demo data should contain companies"
    reports = [
        tool.ok("report", "content", "--uscc", code, "--json").json()
        for code in [*codes, hits[0]["uscc"]]
    ]
    assert any(r["violations"] for r in reports)
    return {"hits": hits, "reports": reports}


def test_demo_same_seed_gives_same_data(home, tmp_path, people):
    files = {name: tmp_path / f"{name}.sqlite3" for name in ("one", "two", "other")}
    one, two, other = (Cli(home, ["--db", f"sqlite:///{f}"]) for f in files.values())
    summary = _demo(one, 7, people)
    assert _demo(two, 7, people) == summary
    _demo(other, 8, people)
    codes = _penalised(files["one"])
    snapshot = _snapshot(one, codes)
    assert snapshot == _snapshot(two, codes)
    assert one.clerk.ok("lookup", "公司", "--json").json() != other.clerk.ok("lookup", "公司", "--json").json()
    again = one.admin("demo", "--enterprises", DEMO_SIZE, "--seed", 8)  # demo fills an empty database only
    assert "Traceback" not in again.err
    assert _snapshot(one, codes) == snapshot


def test_demo_on_postgresql_matches_sqlite(home, tmp_path, clean_pg_url, people):
    on_sqlite = Cli(home, ["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}"])
    on_pg = Cli(home, ["--db", clean_pg_url])
    assert _demo(on_sqlite, 5, people) == _demo(on_pg, 5, people)
    codes = _penalised(tmp_path / "demo.sqlite3")
    assert _snapshot(on_sqlite, codes) == _snapshot(on_pg, codes)
