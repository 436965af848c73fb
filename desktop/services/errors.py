"""Any exception as one plain Chinese sentence for a dialog or a status line — never a traceback."""
from __future__ import annotations

from core.errors import CreditDeskError
from core.policy import PolicyError
from core.services.records.ingest.readers import UnreadableFile
from core.services.signing.payload import MalformedPayload
from core.uscc import InvalidUscc


def message_for(exc: BaseException) -> str:
    if isinstance(exc, (CreditDeskError, InvalidUscc, UnreadableFile, PolicyError, MalformedPayload)):
        return str(exc)
    if isinstance(exc, PermissionError):
        return f"没有权限访问文件：{exc.filename or ''}".rstrip("：")
    if isinstance(exc, OSError):
        return f"文件操作失败：{exc.strerror or exc}"
    return f"发生意外错误（{type(exc).__name__}），请联系管理员"
