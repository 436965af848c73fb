"""All slow work leaves the GUI thread through here, as a query or as a write.

`TaskRunner.query(fn, ...)` reads: a pool of a few threads. `TaskRunner.write(fn, ...)` writes:
a one-thread pool, so the embedded SQLite database has a single writer; after success it
announces `AppEvents.data_changed(kind, key)` when the callable (or the caller) names what it
changes. The desk's use cases say which they are (`fn.writes`, `fn.changes`, set in core), so
the kind decides the pool — as Anki's QueryOp / CollectionOp do — and a mismatch is a
programming error raised at once (`TypeError`). A plain closure says nothing: its caller picks.

Both deliver the result or the exception back on the GUI thread and take over what every page
would otherwise repeat:

- Stale answers: tasks started in the same `lane` (any hashable, e.g. `(self, "search")`)
  replace one another — only the latest one's `on_done` / `on_error` runs. `drop(lane)` makes
  the tasks already running in a lane stale. A lane whose owner (the lane itself, or its first
  item, when that is a QObject) has been deleted gets no answer.
- Busy: `busy_changed(bool)` while anything runs; `is_running(lane)` while a lane's latest task
  has not answered yet (already False inside its `on_done`).
- The database: `database_state(text, write)` after any task the database failed (gone,
  read-only, unreachable), `database_state("", True)` after a write that went through.
- Errors: `on_message(text)` receives the error as one Chinese sentence. With neither `on_error`
  nor `on_message` — or when a write failed after its answer went stale — the error goes to
  `failed(exc)` and, as that sentence, to `error_message(text)` for the window's status line.
  A person never sees a traceback; it stays on the exception as `__traceback_text__`.
"""
from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from shiboken6 import isValid

from desktop.services.errors import is_database_problem, message_for
from desktop.services.events import AppEvents

READ_THREADS = 4

OnDone = Callable[[Any], None] | None
OnError = Callable[[BaseException], None] | None
OnMessage = Callable[[str], None] | None
Key = str | Callable[[Any], str] | None  # the changed thing's key, or how to read it off the result


def declared(fn: Callable, name: str, default: Any = None) -> Any:
    """What a callable says about itself (`writes`, `changes`), also through functools.partial.

    A bound method shows its function's attributes. A missing attribute means "not declared".
    """
    while not hasattr(fn, name) and isinstance(fn, functools.partial):
        fn = fn.func
    return getattr(fn, name, default)


def _name(fn: Callable) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def _owner_alive(lane: Hashable | None) -> bool:
    owner = lane[0] if isinstance(lane, tuple) and lane else lane
    return not isinstance(owner, QObject) or isValid(owner)


def _release(relay: "_Relay") -> None:
    """After its one answer a relay goes, and with it the callbacks it held: they (and the
    pages and dialogs they reach) would otherwise live on in a reference cycle through Qt's
    connection that Python's collector cannot see — a window closed at log-out kept alive."""
    if isValid(relay):
        relay.done.disconnect()
        relay.failed.disconnect()
        relay.deleteLater()


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
    busy_changed = Signal(bool)  # anything running at all: the window's busy indicator
    failed = Signal(object)  # every error no on_error / on_message took
    error_message = Signal(str)  # the same error as one Chinese sentence, for a status line
    # The database failed a task (the sentence), or a write went through (""): whoever shows the
    # database's state hears it at once, whichever page the task belonged to.
    database_state = Signal(str, bool)  # (the sentence or "", whether the task was a write)

    def __init__(self, events: AppEvents, parent: QObject | None = None):
        super().__init__(parent)
        self.events = events
        self._reads = QThreadPool(self)
        self._reads.setMaxThreadCount(READ_THREADS)
        self._writes = QThreadPool(self)
        self._writes.setMaxThreadCount(1)
        self._running: set[_Relay] = set()
        self._lanes: dict[Hashable, _Relay] = {}  # each lane's latest task: the one answered
        self._busy = False

    # -- state -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def is_running(self, lane: Hashable) -> bool:
        """The latest task started in this lane has not answered yet."""
        return lane in self._lanes

    def drop(self, lane: Hashable) -> None:
        """The tasks running in this lane will not be answered (they still finish their work)."""
        self._lanes.pop(lane, None)

    # -- starting ----------------------------------------------------------------------------

    def query(self, fn: Callable, *args: Any, on_done: OnDone = None, on_error: OnError = None,
              on_message: OnMessage = None, lane: Hashable | None = None, **kwargs: Any) -> None:
        """Run a read on the read pool. A callable that declares it writes is refused."""
        if declared(fn, "writes", False) or declared(fn, "changes"):
            raise TypeError(f"{_name(fn)} writes to the database: start it with TaskRunner.write")
        handler = self._error_handler(on_error, on_message)
        self._start(self._reads, fn, args, kwargs, on_done, handler, lane, kind=None, key=None)

    def write(self, fn: Callable, *args: Any, on_done: OnDone = None, on_error: OnError = None,
              on_message: OnMessage = None, lane: Hashable | None = None,
              changes: str | None = None, key: Key = None, **kwargs: Any) -> None:
        """Run a write on the one writer thread; after success announce `changes` (or `fn.changes`).

        `key` is the changed thing's key, or a function that reads it off the result.
        """
        if declared(fn, "writes") is False:
            raise TypeError(f"{_name(fn)} only reads: start it with TaskRunner.query")
        said = declared(fn, "changes")
        if changes and said and changes != said:
            raise TypeError(f"{_name(fn)} changes {said!r}, not {changes!r}")
        handler = self._error_handler(on_error, on_message)
        self._start(self._writes, fn, args, kwargs, on_done, handler, lane, kind=changes or said, key=key)

    def wait(self, msecs: int = 30000) -> bool:
        """For shutdown and tests: wait until both pools are idle."""
        return self._reads.waitForDone(msecs) and self._writes.waitForDone(msecs)

    # -- plumbing ----------------------------------------------------------------------------

    @staticmethod
    def _error_handler(on_error: OnError, on_message: OnMessage) -> OnError:
        if on_error and on_message:
            raise TypeError("give on_error or on_message, not both")
        if on_message:
            return lambda exc: on_message(message_for(exc))
        return on_error

    def _unhandled(self, exc: BaseException) -> None:
        self.failed.emit(exc)
        self.error_message.emit(message_for(exc))

    def _start(self, pool: QThreadPool, fn: Callable, args: tuple, kwargs: dict, on_done: OnDone,
               on_error: OnError, lane: Hashable | None, *, kind: str | None, key: Key) -> None:
        relay = _Relay()
        self._running.add(relay)
        if lane is not None:
            self._lanes[lane] = relay
        self._update_busy()

        def settle() -> bool:
            """Book the end of this task; True when its answer is still wanted."""
            self._running.discard(relay)
            if lane is None:
                return True
            if self._lanes.get(lane) is not relay:
                return False
            del self._lanes[lane]
            return _owner_alive(lane)

        @Slot(object)
        def done(result: Any) -> None:
            wanted = settle()
            try:
                if pool is self._writes:
                    self.database_state.emit("", True)
                if kind:  # the data changed whether or not anyone still waits for this answer
                    self.events.data_changed.emit(kind, (key(result) if callable(key) else key) or "")
                if wanted and on_done:
                    on_done(result)
            finally:
                _release(relay)
                self._update_busy()

        @Slot(object)
        def failed(exc: BaseException) -> None:
            wanted = settle()
            try:
                if is_database_problem(exc):
                    self.database_state.emit(message_for(exc), pool is self._writes)
                if wanted and on_error:
                    on_error(exc)
                elif wanted or pool is self._writes:  # a failed write is never lost
                    self._unhandled(exc)
            finally:
                _release(relay)
                self._update_busy()

        relay.done.connect(done)
        relay.failed.connect(failed)
        pool.start(_Job(fn, args, kwargs, relay))

    def _update_busy(self) -> None:
        # Checked after an answer is delivered, so a follow-up task started from on_done
        # keeps the indicator on instead of blinking it off and on.
        if self.busy != self._busy:
            self._busy = self.busy
            self.busy_changed.emit(self._busy)
