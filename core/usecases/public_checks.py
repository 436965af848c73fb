"""What makes one public check cheap: a short-lived trust list, one read transaction, and the
checks' records written many to a transaction (group commit). Used by core/usecases/public.py.

- **Trust list, kept 30 s.** Public keys change when an administrator creates or retires one. A
  code whose key is not on the kept list makes it re-read at once (a key created a second ago
  verifies at once); a retirement reaches the page within 30 s — harmless, since a code is only
  有效 when its report is also in the archive with a matching issue event, read on every check.
- **One read transaction.** The counter's verifier opens a unit of work for each step; here
  every step runs in the check's one transaction (a consistent snapshot, one BEGIN/COMMIT, one
  pooled connection), by handing the verifier a stand-in whose `session()` is that transaction.
- **Group commit.** Each check still waits until its row is committed (nothing is lost on a
  crash, and a check that cannot be recorded answers 503 as before), but the checks that arrive
  while one transaction is being written go together into the next: on SQLite one writer at a
  time instead of every request queueing for the write lock (whose busy handler sleeps 1–100 ms),
  on PostgreSQL one commit (one WAL flush) for many rows.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models_reports import Verification
from core.errors import CreditDeskError, DatabaseUnavailable
from core.services.signing.keys import KeyService, TrustedKey

TRUST_TTL = 30.0  # seconds


class KeptTrustList:
    """The database's trust list, re-read when older than `ttl` seconds or when asked to."""

    def __init__(self, keys: KeyService, ttl: float = TRUST_TTL, clock: Callable[[], float] = time.monotonic):
        self._keys = keys
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._list: list[TrustedKey] | None = None
        self._read_at = 0.0

    def get(self, *, fresh: bool = False) -> list[TrustedKey]:
        with self._lock:  # one reader at a time: the others take what it read
            now = self._clock()
            if fresh or self._list is None or now - self._read_at >= self._ttl:
                self._list = self._keys.trust_list()  # DatabaseUnavailable propagates
                self._read_at = now
            return self._list


class OneTransaction:
    """A stand-in for the Database while one check runs: every unit of work the verifier opens
    is the check's one read transaction (committed or rolled back by whoever opened it)."""

    def __init__(self, db: Database, session: Session):
        self._db = db
        self._session = session

    @property
    def engine(self):
        return self._db.engine

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        if write:
            raise RuntimeError("a public check reads in its transaction; it records through CheckRecorder")
        yield self._session


class _Row:
    __slots__ = ("values", "done", "error")

    def __init__(self, values: dict):
        self.values = values
        self.done = False
        self.error: BaseException | None = None


class CheckRecorder:
    """Inserts rows into `verifications`, the rows of concurrent checks in one transaction.

    No thread of its own: the first check to arrive while nobody writes becomes the writer and
    takes every row waiting (its own included); the others wait for their row's commit. So each
    `record` returns only once its row is committed, or raises what the writer met."""

    def __init__(self, db: Database):
        self._db = db
        self._cond = threading.Condition()
        self._waiting: list[_Row] = []
        self._writing = False
        self.transactions = 0  # for the benchmark and the tests: how many commits so far

    @property
    def waiting(self) -> int:
        """Rows waiting for the next transaction."""
        with self._cond:
            return len(self._waiting)

    def record(self, entry: dict) -> None:
        mine = _Row({**entry, "verified_at": datetime.fromisoformat(entry["verified_at"])})
        with self._cond:
            self._waiting.append(mine)
            while self._writing and not mine.done:
                self._cond.wait()
            if mine.done:
                self._raise(mine.error, follower=True)
                return
            self._writing = True
            batch, self._waiting = self._waiting, []
        error = None
        try:
            with self._db.session(write=True) as s:
                s.execute(insert(Verification), [row.values for row in batch])
        except BaseException as exc:  # noqa: BLE001 - every waiter learns of it, then it is raised
            error = exc
        with self._cond:
            self.transactions += 1
            for row in batch:
                row.done, row.error = True, error
            self._writing = False
            self._cond.notify_all()
        self._raise(error, follower=False)

    @staticmethod
    def _raise(error: BaseException | None, *, follower: bool) -> None:
        if error is None:
            return
        if not follower:
            raise error
        if isinstance(error, CreditDeskError):  # a fresh exception per thread, the same sentence
            kind = DatabaseUnavailable if isinstance(error, DatabaseUnavailable) else CreditDeskError
            raise kind(error.message)
        raise DatabaseUnavailable("本次核验未能记录，请稍后重试")
