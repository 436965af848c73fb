"""Building the desk behind the log-in window: the database, services and keys on a thread of
their own, then what the first search, preview and issue will need (desktop/app.py uses it when
schema.glance says the embedded database is ready to log in)."""
from __future__ import annotations

import gc
import threading

from PySide6.QtCore import QObject, Signal

from core.config import Settings


def build_desk(settings: Settings):
    from core.usecases import open_desk

    desk = open_desk(settings)
    return desk, desk.keys


def warm_up(stop: threading.Event) -> None:
    """What the first search, preview and issue need, imported before anyone asks: the report
    renderer with its fonts parsed, the pinyin search, the main window's pages."""
    import importlib

    for name in WARM_MODULES:
        if stop.is_set():
            return
        importlib.import_module(name)
    from core.services.reports.render.fonts import font_paths

    font_paths()  # parses the shipped fonts for reportlab: a third of a second, once
    freeze_heap()


def freeze_heap() -> None:
    """Move every object alive now out of the garbage collector's sight: ~320,000 of them, most
    of them lists of pypinyin's phrase tables, the rest modules and fonts, all living until the
    program ends. A full collection walks every tracked object with the GIL held: 78 ms of GUI
    thread each time with them, 0–4 ms without (measured). Called once, when the start-up
    imports are warmed — not for windows, whose Python side must stay collectable at log-out."""
    gc.freeze()


WARM_MODULES = ("core.services.reports.issuing", "core.services.reports.render.pdf", "core.search_text",
                "desktop.services.context", "desktop.views.main_window")


class DeskBuilder(QObject):
    """The desk built on a thread of its own once the log-in window is up, then the warm-up.

    Only the start of a ready embedded database takes this path (schema.glance): no first run,
    no upgrade, no missing-database dialog can be due, so nothing on screen waits for the desk.
    Whoever needs it first (the log-in's worker, today's backup) waits for it."""

    ready = Signal()  # the desk is built (emitted from its thread, delivered on the GUI thread)
    failed = Signal(object)  # the exception that stopped it

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings
        self.done = threading.Event()
        self.stop = threading.Event()  # quitting: no more warming
        self.result = self.error = None
        self.thread = threading.Thread(target=self._run, name="desk-start", daemon=True)
        self.started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if not self.started:
                self.started = True
                self.thread.start()

    def _run(self) -> None:
        try:
            self.result = build_desk(self.settings)
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the desk
            self.error = exc
        finally:
            self.done.set()
        if self.error is not None:
            self.failed.emit(self.error)
        else:
            self.ready.emit()
            try:
                warm_up(self.stop)
            except Exception:  # noqa: BLE001 - warming is a courtesy: the real use reports the error
                pass

    def finish(self, timeout: float = 10.0) -> None:
        """At quitting: no new warming; the module being imported finishes (not cut in half)."""
        self.stop.set()
        with self._lock:
            started = self.started
        if started:
            self.thread.join(timeout)

    def wait(self):
        self.start()
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.result


