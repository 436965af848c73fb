"""Stopping an import on request: the import is one transaction, so a stop leaves nothing."""
from __future__ import annotations

from core.errors import CreditDeskError

CANCELLED = "导入已取消：整个文件未导入，数据库没有任何改动"


class ImportCancelled(CreditDeskError):
    """Raised inside the import's unit of work when its `cancel` callable says so: rolled back."""

    def __init__(self, message: str = CANCELLED):
        super().__init__(message)
