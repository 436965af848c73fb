"""The one family of errors a person may meet, and the one table that turns any error into words.

Every error meant for a person derives from `CreditDeskError` and carries one plain Chinese
sentence. `explain(exc)` is what the command line and the app both use: the sentence and an exit
code for a known error; for anything unexpected one sentence with a reference number, while the
details go to a log file in the data directory (scrubbed of password hashes, key material and
signed payloads).
"""
from __future__ import annotations

import re
import traceback
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

EXIT_REFUSED = 2  # a refused request, a bad argument, an unreadable file
EXIT_INTERNAL = 70  # something the program did not expect


class CreditDeskError(Exception):
    """Base of every error that is meant for the user; str() is the message."""

    exit_code = EXIT_REFUSED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseUnavailable(CreditDeskError):
    """The database cannot be reached or opened."""


class SchemaNotReady(CreditDeskError):
    """The database exists but its schema is missing or older than this program."""


class NotFound(CreditDeskError):
    """A looked-up thing does not exist."""


class InvalidRequest(CreditDeskError):
    """A request breaks a rule of the policy (period, domains, ...)."""


class AuthError(CreditDeskError):
    """Log-in refused: wrong password, locked or disabled account, no credentials."""


class PermissionDenied(CreditDeskError):
    """The person's role does not allow this."""


class ValueRejected(CreditDeskError):
    """The database refused a value (too long, too large): nothing was saved."""


class IntegrityBroken(CreditDeskError):
    """A record no longer matches the audit chain: it was changed outside the program."""


class OutputNotWritten(CreditDeskError):
    """The work was done and committed, but its file could not be written."""


@dataclass(frozen=True)
class Explained:
    message: str
    exit_code: int
    reference: str | None = None  # set for unexpected errors: the key into the error log


def explain(exc: BaseException, log_dir: Path | None = None) -> Explained:
    """The one translation table from an exception to what a person is told."""
    if isinstance(exc, CreditDeskError):
        return Explained(exc.message, exc.exit_code)
    if isinstance(exc, PermissionError):
        return Explained(f"没有权限访问文件：{exc.filename or ''}".rstrip("："), EXIT_REFUSED)
    if isinstance(exc, OSError):
        return Explained(f"文件操作失败：{exc.strerror or type(exc).__name__}", EXIT_REFUSED)
    reference = log_unexpected(exc, log_dir)
    return Explained(f"发生意外错误，操作未完成。请联系管理员并提供参考编号 {reference}",
                     EXIT_INTERNAL, reference)


# -- the error log ---------------------------------------------------------------------------

_SECRETS = [
    (re.compile(r"\$argon2[a-z]*\$[^\s'\"),]+"), "[密码散列已隐去]"),
    (re.compile(r"-----BEGIN [A-Z ]+-----.*?-----END [A-Z ]+-----", re.S), "[密钥已隐去]"),
    (re.compile(r"\b[0-9]{40,}\b"), "[签名数据已隐去]"),
    (re.compile(r"\b[0-9a-fA-F]{64,}\b"), "[十六进制数据已隐去]"),
]


def scrub(text: str) -> str:
    """Remove what must never reach a log: password hashes, keys, signed payloads."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


def log_unexpected(exc: BaseException, log_dir: Path | None = None) -> str:
    """Append the details to errors.log in the data directory; return the reference."""
    reference = uuid.uuid4().hex[:8].upper()
    try:
        if log_dir is None:
            from core.config import data_dir

            log_dir = data_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with open(log_dir / "errors.log", "a", encoding="utf-8") as fh:
            fh.write(f"=== {datetime.now():%Y-%m-%d %H:%M:%S} 参考编号 {reference}\n{scrub(details)}\n")
    except OSError:
        pass  # nowhere to write: the person still gets the sentence and the reference
    return reference


class DatabaseMissing(CreditDeskError):
    """The embedded database of an existing installation is gone or empty: never recreated silently."""
