"""Department files for the import tests: a penalties CSV with an unknown column and bad rows,
a big one for cancelling, and the counts a person checks before and after."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from core.db.models import Enterprise, ImportBatch, Penalty

UNIT = "苏州市生态环境局"
HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚类别", "处罚决定日期",
          "处罚机关", "数据来源单位", "联系电话"]  # 联系电话: not a column of any kind
BAD_CODE = "91320506MA1X00000X"  # 18 characters, wrong check character


def penalty_row(code: str, i: int, *, kind: str = "罚款", day: str = "2025-03-01") -> list[str]:
    return ["苏州恒达精密机械有限公司", code, f"苏环行罚〔2025〕{i}号", kind, day, UNIT, UNIT, "0512-6000000"]


def mixed_penalties(code: str) -> list[list[str]]:
    """Header, 3 good rows, then a bad credit code (row 5), a bad date (row 6), a bad kind (row 7)."""
    return [HEADER, *(penalty_row(code, i) for i in (1, 2, 3)), penalty_row(BAD_CODE, 4),
            penalty_row(code, 5, day="2025-13-45"), penalty_row(code, 6, kind="训诫")]


def big_penalties(path: Path, code: str, n: int) -> Path:
    """`n` good rows, written straight to disk."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(HEADER) + "\n")
        for i in range(1, n + 1):
            fh.write(",".join(penalty_row(code, i)) + "\n")
    return path


def counts(db) -> dict[str, int]:
    with db.session() as s:
        return {model.__tablename__: s.scalar(select(func.count()).select_from(model))
                for model in (Penalty, Enterprise, ImportBatch)}
