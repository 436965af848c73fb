"""What makes one public check cheap: a short-lived trust list, the answers about a code that can
never change (what it says, whether its signature holds), one read transaction, and the checks'
records written many to a transaction (group commit). Used by core/usecases/public.py.

- **Trust list, kept 30 s.** Public keys change when an administrator creates or retires one. A
  code whose key is not on the kept list makes it re-read at once (a key created a second ago
  verifies at once); a retirement reaches the page within 30 s — harmless, since a code is only
  有效 when its report is also in the archive with a matching issue event, read on every check.
- **What a code says and whether its signature holds** are functions of the code's digits and
  the key alone: the last few thousand codes' answers are kept (a phone that opens the PDF after
  the page, or reloads it, costs no second decoding and no second Ed25519 check). Nothing the
  database says about a report is kept: the archive row, its issue and revoke events, the
  penalties recorded since and the corrections are read on every check, and no verdict is kept.
- **Policy profiles** are re-validated against their file (load_profile) at most once a second.
- **One read transaction.** The counter's verifier opens a unit of work for each step; here
  every step runs in the check's one transaction (a consistent snapshot, one BEGIN/COMMIT, one
  pooled connection), by handing the verifier a stand-in whose `session()` is that transaction:
  a plain Core connection (`Database.connection`), as the verifier's reads are plain Core statements.
- **Group commit.** Each check still waits until its row is committed (nothing is lost on a
  crash, and a check that cannot be recorded answers 503 as before), but the checks that arrive
  while one transaction is being written go together into the next: on SQLite one writer at a
  time instead of every request queueing for the write lock (whose busy handler sleeps 1–100 ms),
  on PostgreSQL one commit (one WAL flush) for many rows.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from core.db.engine import Database
from core.db.models_reports import Verification
from core.errors import CreditDeskError, DatabaseUnavailable
from core.policy import load_profile
from core.policy.model import Profile
from core.services.signing.keys import TrustedKey
from core.services.signing.payload import SignedPayload, parse_payload

TRUST_TTL = 30.0  # seconds
PROFILE_TTL = 1.0  # seconds between two looks at a profile's file
KEPT_CODES = 4096  # codes whose decoding and signature checks are kept
_INSERT = Verification.__table__.insert()


class KeptTrustList:
    """The database's trust list, re-read when older than `ttl` seconds or when asked to.

    The caller passes how to read it (`read`: in the check's own transaction). The lock guards
    the kept list only, never a read: a check waiting here holds its connection, and a reader
    holding the lock while waiting for a connection of its own could starve the pool."""

    def __init__(self, ttl: float = TRUST_TTL, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._list: list[TrustedKey] | None = None
        self._read_at = 0.0

    def get(self, read: Callable[[], list[TrustedKey]], *, fresh: bool = False) -> list[TrustedKey]:
        now = self._clock()
        with self._lock:
            if not fresh and self._list is not None and now - self._read_at < self._ttl:
                return self._list
        listed = read()  # DatabaseUnavailable propagates
        with self._lock:
            if now >= self._read_at:
                self._list, self._read_at = listed, now
        return listed


class KeptSignatures:
    """The decoding of the last `size` well-formed codes and, per key, whether their signature
    holds. Both are pure functions of the digits (and the key's public bytes): keeping them can
    change no verdict. A malformed code is not kept (it raises as before)."""

    def __init__(self, size: int = KEPT_CODES):
        self._size = size
        self._lock = threading.Lock()
        self._codes: OrderedDict[str, tuple[SignedPayload, dict[str, bool]]] = OrderedDict()

    def parse(self, text: str) -> SignedPayload:
        with self._lock:
            kept = self._codes.get(text)
            if kept is not None:
                self._codes.move_to_end(text)
                return kept[0]
        signed = parse_payload(text)  # MalformedPayload propagates
        with self._lock:
            self._codes[text] = (signed, {})
            while len(self._codes) > self._size:
                self._codes.popitem(last=False)
        return signed

    def holds(self, text: str, signed: SignedPayload, key: TrustedKey) -> bool:
        kept = self._codes.get(text)
        checked = kept[1] if kept is not None and kept[0] is signed else None
        if checked is not None and key.public_key in checked:
            return checked[key.public_key]
        ok = signed.verify(key.public())
        if checked is not None:
            checked[key.public_key] = ok
        return ok

    def __len__(self) -> int:
        return len(self._codes)


class KeptProfiles:
    """load_profile (which re-reads a profile when its file changes), asked at most once per
    `ttl` seconds per profile: it resolves the policy folder and stats the file each time."""

    def __init__(self, ttl: float = PROFILE_TTL, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl
        self._clock = clock
        self._kept: dict[str, tuple[Profile, float]] = {}

    def get(self, profile_id: str) -> Profile:
        now = self._clock()
        kept = self._kept.get(profile_id)
        if kept is not None and now - kept[1] < self._ttl:
            return kept[0]
        profile = load_profile(profile_id)  # PolicyError propagates
        self._kept[profile_id] = (profile, now)
        return profile


class OneTransaction:
    """A stand-in for the Database while one check runs: every unit of work the verifier opens
    is the check's one read transaction (committed or rolled back by whoever opened it)."""

    def __init__(self, db: Database, session: Session | Connection):
        self._db = db
        self._session = session

    @property
    def engine(self):
        return self._db.engine

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session | Connection]:
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
            values = [row.values for row in batch]
            # a plain Core insert; one row alone commits by itself on PostgreSQL (one round trip)
            with self._db.connection(write=True, autocommit=len(values) == 1) as conn:
                conn.execute(_INSERT, values[0] if len(values) == 1 else values)
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
