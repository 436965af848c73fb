"""One app-level signal: after a change, announce it; each page decides whether to refresh."""
from PySide6.QtCore import QObject, Signal


class AppEvents(QObject):
    data_changed = Signal(str, str)  # kind ("report", "verification", ...), key (report number ...)
