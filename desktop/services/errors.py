"""Any exception as one plain Chinese sentence for a dialog or a status line — never a traceback.

The translation itself is core's one table (`core.errors.explain`); an unexpected error is logged
with a reference in the data directory and the person sees the sentence with that reference.
A database error carries its driver's own words (SQLite's "disk I/O error", PostgreSQL's
"Connection refused"): those are said here in Chinese, and words the table does not know are
replaced by a plain sentence rather than shown in English.
"""
from __future__ import annotations

import re

from core.errors import DatabaseUnavailable, explain

# The driver's words (lower case) → what the person is told. First match wins.
DRIVER_WORDS: tuple[tuple[str, str], ...] = (
    ("attempt to write a readonly database", "数据库是只读的，无法保存（文件或所在磁盘被设为只读）"),
    ("readonly database", "数据库是只读的，无法保存（文件或所在磁盘被设为只读）"),
    ("disk i/o error", "读写磁盘出错（磁盘可能已满、被拔出或被设为只读）"),
    ("database or disk is full", "磁盘已满，无法保存"),
    ("database is locked", "数据库正被其他程序占用，请稍后再试"),
    ("database disk image is malformed", "数据库文件已损坏，请联系管理员从备份恢复"),
    ("file is not a database", "该文件不是本系统的数据库"),
    ("unable to open database file", "无法打开数据库文件（文件不存在或没有访问权限）"),
    ("no such table", "数据库结构不完整，请联系管理员升级数据库"),
    ("connection refused", "连接被拒绝（数据库服务器未运行或地址有误）"),
    ("could not translate host name", "无法解析数据库服务器的地址"),
    ("timeout expired", "连接数据库超时"),
    ("password authentication failed", "数据库账号或密码错误"),
    ("server closed the connection", "数据库服务器断开了连接"),
    ("permission denied", "数据库拒绝了本次操作（账号权限不足）"),
)
UNKNOWN_DRIVER_WORDS = "数据库返回了错误，操作未完成"
CONNECT_PREFIX = "无法连接数据库"  # core.db.engine.unavailable's wording
UNAVAILABLE = "数据库不可用：{reason}（{where}）"
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z'/-]*(?:[ ,.:;]+[A-Za-z][A-Za-z'/-]*)+")


def database_words(detail: str) -> str:
    """A driver's error text in Chinese."""
    lowered = detail.lower()
    for english, chinese in DRIVER_WORDS:
        if english in lowered:
            return chinese
    return UNKNOWN_DRIVER_WORDS if _ENGLISH.search(detail) else detail


def message_for(exc: BaseException) -> str:
    text = explain(exc).message
    # core.db.engine.unavailable: "无法连接数据库 <where>：<the driver's words>", for any driver error
    if isinstance(exc, DatabaseUnavailable) and text.startswith(CONNECT_PREFIX) and "：" in text:
        head, _, detail = text.partition("：")
        if not re.search(r"[\u4e00-\u9fff]", detail):  # the driver's own words, not ours
            return UNAVAILABLE.format(reason=database_words(detail.strip()),
                                      where=head[len(CONNECT_PREFIX):].strip())
    return text


def database_sentence(text: str) -> str:
    """A DatabaseUnavailable's text (e.g. from `Database.health()`) as message_for says it."""
    return message_for(DatabaseUnavailable(text))


def is_database_problem(exc: BaseException) -> bool:
    """The database cannot be used (gone, read-only, unreachable): the status bar turns red."""
    return isinstance(exc, DatabaseUnavailable)
