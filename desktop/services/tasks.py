"""All slow work leaves the GUI thread through here.

`TaskRunner.run(fn, *args, on_done=..., on_error=...)` runs `fn` in a thread pool and delivers
the result (or the exception) back on the GUI thread. Writes go through a one-thread pool so
the embedded SQLite database has a single writer. `busy_changed(bool)` lets the window show a
busy state while anything is running.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, relay: _Relay):
        super().__init__()
        self.fn, self.args, self.kwargs, self.relay = fn, args, kwargs, relay

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, never lost
            exc.__traceback_text__ = traceback.format_exc()
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskRunner(QObject):
    busy_changed = Signal(bool)
    failed = Signal(object)  # every error no on_error handled, for a status line

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(4)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._running: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, fn: Callable, *args: Any, on_done: Callable | None = None,
            on_error: Callable | None = None, write: bool = False, **kwargs: Any) -> None:
        relay = _Relay()
        self._running.add(relay)
        if len(self._running) == 1:
            self.busy_changed.emit(True)

        def finish() -> None:
            self._running.discard(relay)
            if not self._running:
                self.busy_changed.emit(False)

        @Slot(object)
        def done(result: Any) -> None:
            finish()
            if on_done:
                on_done(result)

        @Slot(object)
        def failed(exc: BaseException) -> None:
            finish()
            (on_error or self.failed.emit)(exc)

        relay.done.connect(done)
        relay.failed.connect(failed)
        (self._writes if write else self._reads).start(_Job(fn, args, kwargs, relay))

    def wait(self, msecs: int = 30000) -> bool:
        """For shutdown and tests: wait until both pools are idle."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)
