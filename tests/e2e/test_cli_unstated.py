"""`creditdesk-admin penalties unstated` (issue 9): the supervisor lists the penalties whose file
left 程序类型 / 决定类型 blank, so the providing unit can complete them; on each kind of database."""
from __future__ import annotations

import random

from core import uscc
from tests.e2e.conftest import Cli
from tests.e2e.test_cli import CJK, write_csv

_rng = random.Random(909)
HENGDA, LVYUAN = (uscc.generate(_rng, division="320506") for _ in range(2))
ENV = "苏州市生态环境局"
MSA = "苏州市市场监督管理局"
HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
          "处罚机关", "数据来源单位", "程序类型", "决定类型"]
ROWS = [
    ["苏州恒达精密机械有限公司", HENGDA, "苏环行罚〔2025〕1号", "罚款", "2025-03-01", ENV, ENV, "", ""],
    ["苏州恒达精密机械有限公司", HENGDA, "苏环行罚〔2025〕2号", "罚款", "2025-03-02", ENV, ENV, "普通程序", "给予处罚"],
    ["吴中区绿源环保科技有限公司", LVYUAN, "苏市监罚〔2025〕3号", "警告", "2025-04-01", MSA, MSA, "", "给予处罚"],
    ["吴中区绿源环保科技有限公司", LVYUAN, "宁市监罚〔2025〕4号", "警告", "2025-04-01", "南京市市场监督管理局", MSA, "", ""],
]


def _prepare(cli: Cli, tmp_path) -> dict:
    cli.admin.ok("import", "enterprises", write_csv(tmp_path / "ent.csv", [
        ["统一社会信用代码", "企业名称"], [HENGDA, "苏州恒达精密机械有限公司"], [LVYUAN, "吴中区绿源环保科技有限公司"]]))
    return cli.admin.ok("import", "penalties", write_csv(tmp_path / "p.csv", [HEADER, *ROWS]), "--json").json()


def test_supervisor_lists_unstated_penalties_for_the_providing_unit(cli, tmp_path):
    result = _prepare(cli, tmp_path)
    assert (result["accepted"], result["rejected_rows"]) == (3, 1)
    assert result["rejected"][0]["reason"] == "处罚机关“南京市市场监督管理局”不是苏州市的行政机关，本报告不采集"
    assert result["warnings"] == [
        {"column": "程序类型", "reason": "共 2 行未注明程序类型，已记为“未注明”；请数据提供单位补全"},
        {"column": "决定类型", "reason": "共 1 行未注明决定类型，已记为“未注明”；请数据提供单位补全"},
    ]

    listed = cli.supervisor.ok("penalties", "unstated", "--json").json()
    assert listed == [  # by source unit
        {"uscc": LVYUAN, "decision_no": "苏市监罚〔2025〕3号", "organ": MSA, "source_unit": MSA,
         "missing": ["程序类型"]},
        {"uscc": HENGDA, "decision_no": "苏环行罚〔2025〕1号", "organ": ENV, "source_unit": ENV,
         "missing": ["程序类型", "决定类型"]},
    ]
    only = cli.supervisor.ok("penalties", "unstated", "--unit", MSA, "--json").json()
    assert [p["decision_no"] for p in only] == ["苏市监罚〔2025〕3号"]
    assert cli.supervisor.ok("penalties", "unstated", "--unit", "苏州市税务局", "--json").json() == []

    text = cli.supervisor.ok("penalties", "unstated", "--unit", ENV).out
    assert "苏环行罚〔2025〕1号" in text and "未注明：程序类型、决定类型" in text
    assert "共 1 条" in text and "苏市监罚" not in text


def test_only_the_supervisor_may_list_them(cli, tmp_path):
    for person in (cli.clerk, cli.verifier, cli.admin):
        run = person("penalties", "unstated", "--json")
        assert run.code == 2 and run.out == ""
        assert CJK.search(run.err) and "主管" in run.err and "Traceback" not in run.err
