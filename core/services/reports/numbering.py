"""The high-water mark of report numbers: the highest serial this installation has issued.

The database counter alone is not enough: a lost embedded database made anew (`init`), an older
backup restored, or a PostgreSQL database restored from an older dump all put the counter back,
and the next reports would repeat numbers already printed on another company's report. The mark
lives in the data directory beside the private keys, which outlive the database; issuing numbers
from max(counter, mark) + 1, so the counter never goes below what this installation has signed.

The file is owner-only (0600), replaced atomically, and raised under a lock so two processes on
the same data directory never lower it. A file that is there but cannot be read is never taken
as "no mark": that could repeat numbers, so issuing is refused until a person repairs it.
"""
from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from core.errors import CreditDeskError, IntegrityBroken, OutputNotWritten

try:
    import fcntl
except ImportError:  # not POSIX: the desk's single writer thread still orders one process's writes
    fcntl = None

MARK_FILE = "report-numbers.json"
LOCK_FILE = "report-numbers.lock"


class NumberMark:
    """The mark file of one data directory."""

    def __init__(self, home: Path):
        self.home = Path(home)
        self.path = self.home / MARK_FILE

    def floor(self) -> int:
        """The highest serial recorded here (0 when none was ever issued), checked before issuing."""
        serial = self._read()
        if not os.access(self.home, os.W_OK | os.X_OK):
            raise CreditDeskError(f"无法写入报告编号记录所在的文件夹：{self.home}，暂不能出具报告。"
                                  "请让管理员检查该文件夹的权限")
        return serial

    def record(self, serial: int, report_no: str) -> None:
        """Raise the mark to `serial` (never lower it); called once the report has committed."""
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            with self._locked():
                if serial <= self._read():
                    return
                self._write({"serial": serial, "report_no": report_no})
        except (OSError, IntegrityBroken) as exc:
            why = (exc.strerror or exc) if isinstance(exc, OSError) else "现有内容无法读取或已损坏"
            raise OutputNotWritten(
                f"报告 {report_no} 已出具并存档，可在历史记录中打开和打印；但报告编号记录文件 {self.path} "
                f"未能更新（{why}）。请让管理员检查数据文件夹的权限和磁盘空间") from None

    def _read(self) -> int:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return 0
        except (OSError, UnicodeDecodeError) as exc:
            raise self._broken(getattr(exc, "strerror", None) or "无法读取") from None
        try:
            serial = json.loads(text)["serial"]
        except (ValueError, TypeError, KeyError):
            raise self._broken("内容已损坏") from None
        if type(serial) is not int or serial < 0:
            raise self._broken("内容已损坏")
        return serial

    def _broken(self, why: str) -> IntegrityBroken:
        return IntegrityBroken(
            f"报告编号记录文件 {self.path} {why}。为避免报告编号重复，已拒绝出具报告。"
            "请管理员查明本机出具过的最大报告编号（例如 SZ-2026-00001234），"
            '将该文件改写为 {"serial": 1234} 后再出具')

    def _write(self, data: dict) -> None:
        fd, tmp = tempfile.mkstemp(prefix=f".{MARK_FILE}.", suffix=".part", dir=self.home)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:  # mkstemp makes it 0600
                json.dump(data, fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)

    @contextmanager
    def _locked(self):
        fd = os.open(self.home / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
