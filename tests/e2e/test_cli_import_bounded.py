"""`creditdesk-admin import` of a file with more bad rows than are listed: every refused row is
counted, the first 10,000 problems are listed, the good rows are stored (each kind of database)."""
from __future__ import annotations

import csv
import random
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from core import uscc
from tests.bench.bench_import import HEADER, ORGANS
from tests.e2e.conftest import Cli

_rng = random.Random(15000)
CODES = [uscc.generate(_rng, division="320506") for _ in range(50)]
TOTAL, GOOD_EVERY = 17_000, 17  # rows i with i % 17 < 2 are good: 2,000 good, 15,000 bad


def write_penalties(path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for i in range(TOTAL):
            organ, kind = ORGANS[i % len(ORGANS)]
            day = f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}" if i % GOOD_EVERY < 2 else "2025-02-30"
            out.writerow([f"苏州基准{i % 997}号科技有限公司", CODES[i % len(CODES)], "张三",
                          f"苏基准罚〔2025〕{i}号", "未按规定报送", "经查，当事人未按规定报送",
                          "《中华人民共和国环境保护法》第六十三条", kind, "罚款人民币2000元", "0.2",
                          day, organ, organ, "普通程序", "给予处罚"])
    return path


def stored_penalties(cli: Cli) -> int:
    engine = create_engine(cli.db_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM penalties")).scalar()
    finally:
        engine.dispose()


def test_import_counts_all_refused_rows_and_lists_the_first_ten_thousand(cli, tmp_path):
    path = write_penalties(tmp_path / "处罚信息.csv")
    result = cli.admin.ok("import", "penalties", path, "--json").json()

    assert result["rejected_rows"] == 15_000
    assert len(result["rejected"]) == 10_000
    bad_lines = [i + 2 for i in range(TOTAL) if i % GOOD_EVERY >= 2]
    assert [r["row"] for r in result["rejected"]] == bad_lines[:10_000]
    assert {r["column"] for r in result["rejected"]} == {"处罚决定日期"}
    assert (result["accepted"], result["updated"]) == (2_000, 0)
    assert stored_penalties(cli) == 2_000

    # The plain summary a clerk reads says the same, and that the list is cut short.
    plain = cli.admin.ok("import", "penalties", path).out
    assert "接受 2000 行（其中更新 2000 行），拒绝 15000 行" in plain
    assert "以下只列出前 10000 条问题" in plain
    assert stored_penalties(cli) == 2_000
