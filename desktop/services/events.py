"""One app-level signal: after a change, announce it; each page decides whether to refresh.

`TaskRunner.write` emits it after a write that names what it changes (the desk's use cases
declare `changes` in core); pages only listen.
"""
from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    data_changed = Signal(str, str)  # kind ("report", "verification", ...), key (report number ...)
