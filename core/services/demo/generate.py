"""Demo data (演示数据): a synthetic but realistic Suzhou, written straight into an empty database.

Everything is drawn from one ``random.Random(seed)``: the same seed and ``today`` give the same
data. Rows go in with SQLAlchemy Core in chunks, primary keys assigned here, all in one
transaction, so a failed run leaves nothing behind. The enterprise_names triggers stay on, so
the names are searchable as soon as the run commits.

Stages reported to ``progress(stage, done, total)``: 企业, 行政处罚, 欠缴信息, 信用修复.
"""
from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Connection, MetaData, Table, func, select, text, update

from core.db.engine import Database
from core.db.models import Arrear, CreditRepair, Enterprise, EnterpriseName, ImportBatch, Penalty
from core.errors import InvalidRequest
from core.services.demo.enterprises import EnterpriseMaker, Party
from core.services.demo.records import MEAN_ARREAR_ROWS, ArrearMaker, PenaltyMaker

Progress = Callable[[str, int, int], None]

CHUNK = 20_000
PENALTIES_PER_ENTERPRISE = 1 / 3
ARREARS_PER_ENTERPRISE = 1 / 40
# Enterprises with penalties have 1–8 of them; the rest have none.
_PENALTY_COUNTS = (1, 2, 3, 4, 5, 6, 8)
_PENALTY_COUNT_CUM = (0.45, 0.70, 0.83, 0.91, 0.95, 0.98, 1.0)
_MEAN_COUNT = sum(n * (hi - lo) for n, lo, hi in zip(
    _PENALTY_COUNTS, (0.0, *_PENALTY_COUNT_CUM), _PENALTY_COUNT_CUM))
_PENALISED_SHARE = PENALTIES_PER_ENTERPRISE / _MEAN_COUNT
_ARREARS_SHARE = ARREARS_PER_ENTERPRISE / MEAN_ARREAR_ROWS
_SQLITE_CACHE_KIB = 512 * 1024
BATCH_UNIT = "演示数据"
BATCH_USER = "demo"
KINDS = ("enterprises", "penalties", "arrears", "repairs")
NOT_EMPTY = "数据库中已有企业数据，演示数据只能写入空数据库"
NOT_EMPTY_RECORDS = "数据库中已有处罚、欠缴或信用修复数据，演示数据只能写入空数据库"


@dataclass(frozen=True)
class DemoSummary:
    enterprises: int
    penalties: int
    arrears: int
    repairs: int
    seconds: float


def generate_demo(db: Database, profile, *, enterprises: int, seed: int,
                  today: date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Fill an empty database with ``enterprises`` enterprises and their records.

    About one penalty per three enterprises (spread over the profile's domains), one arrears
    month per forty, and credit repairs for about 12% of the counted penalties over a year old.
    Raises InvalidRequest when the database already holds enterprises or records.
    """
    if enterprises < 1:
        raise InvalidRequest("企业数量应为正整数")
    started = time.perf_counter()
    today = today or date.today()
    rng = random.Random(seed)
    with db.engine.begin() as conn:
        _refuse_non_empty(conn)
        restore = _tune(conn)
        try:
            batches = _add_batches(conn, seed, enterprises)
            run = _Run(conn, rng, profile, today, batches, progress)
            counts = (run.enterprises(enterprises), run.penalties(), run.arrears(),
                      run.repairs())
            run.close()
            for kind, n in zip(KINDS, counts):
                conn.execute(update(ImportBatch).where(ImportBatch.id == batches[kind])
                             .values(total_rows=n, accepted=n))
            _sync_sequences(conn)
        finally:
            restore()
    return DemoSummary(*counts, seconds=time.perf_counter() - started)


class _Run:
    """One demo run: makers share the Random; rows are written as each chunk fills."""

    def __init__(self, conn: Connection, rng: random.Random, profile, today: date,
                 batches: dict[str, int], progress: Progress | None):
        self.conn = conn
        self.rng = rng
        self.batches = batches
        self.progress = progress or (lambda stage, done, total: None)
        self.ents = EnterpriseMaker(rng, today)
        self.pens = PenaltyMaker(rng, profile, today)
        self.arrs = ArrearMaker(rng, today)
        self.penalised: list[Party] = []
        self.in_arrears: list[Party] = []
        self.repair_rows: list[dict] = []
        self.stage = _name_stage(conn)

    def _insert(self, table, rows: list[dict]) -> None:
        if rows:
            self.conn.execute(table.insert(), rows)

    def _insert_names(self, rows: list[dict]) -> None:
        """On SQLite, via a temporary table: one INSERT … SELECT per chunk, so the FTS5 index,
        fed by the table's trigger, flushes once per chunk instead of once per row."""
        if self.stage is None:
            self._insert(EnterpriseName.__table__, rows)
            return
        self._insert(self.stage, rows)
        cols = ", ".join(c.name for c in self.stage.columns)
        self.conn.exec_driver_sql(
            f"INSERT INTO main.enterprise_names ({cols}) SELECT {cols} FROM temp.{self.stage.name}")
        self.conn.exec_driver_sql(f"DELETE FROM temp.{self.stage.name}")

    def close(self) -> None:
        if self.stage is not None:
            self.stage.drop(self.conn)

    def enterprises(self, total: int) -> int:
        ent_table = Enterprise.__table__
        eid, nid = _next_id(self.conn, Enterprise), _next_id(self.conn, EnterpriseName)
        batch = self.batches["enterprises"]
        r = self.rng.random
        grams = self.ents.grams
        made = 0
        while made < total:
            ents, names = [], []
            for _ in range(min(CHUNK, total - made)):
                row, name_list, party = self.ents.make(eid, batch)
                ents.append(row)
                for name, inits, current in name_list:
                    names.append({"id": nid, "enterprise_id": eid, "name": name,
                                  "initials": inits, "grams": grams(name, inits),
                                  "is_current": current})
                    nid += 1
                if r() < _PENALISED_SHARE:
                    u = r()
                    count = next(n for n, edge in zip(_PENALTY_COUNTS, _PENALTY_COUNT_CUM)
                                 if u < edge)
                    self.penalised.append(_with_count(party, count))
                if r() < _ARREARS_SHARE:
                    self.in_arrears.append(party)
                eid += 1
            self._insert(ent_table, ents)
            self._insert_names(names)
            made += len(ents)
            self.progress("企业", made, total)
        return made

    def penalties(self) -> int:
        table = Penalty.__table__
        total = sum(p.count for p in self.penalised)
        pid, rid = _next_id(self.conn, Penalty), _next_id(self.conn, CreditRepair)
        batch, repair_batch = self.batches["penalties"], self.batches["repairs"]
        rows: list[dict] = []
        done = 0
        for party in self.penalised:
            for _ in range(party.count):
                row = self.pens.make(party, pid, batch)
                rows.append(row)
                pid += 1
                repair = self.pens.repair(row, rid, repair_batch)
                if repair:
                    self.repair_rows.append(repair)
                    rid += 1
            if len(rows) >= CHUNK:
                self._insert(table, rows)
                done += len(rows)
                rows = []
                self.progress("行政处罚", done, total)
        self._insert(table, rows)
        done += len(rows)
        self.progress("行政处罚", done, total)
        return done

    def arrears(self) -> int:
        table = Arrear.__table__
        aid = _next_id(self.conn, Arrear)
        batch = self.batches["arrears"]
        rows: list[dict] = []
        done, parties = 0, len(self.in_arrears)
        for i, party in enumerate(self.in_arrears, start=1):
            made = self.arrs.make(party, aid, batch)
            rows += made
            aid += len(made)
            if len(rows) >= CHUNK or i == parties:
                self._insert(table, rows)
                done += len(rows)
                rows = []
                self.progress("欠缴信息", i, parties)
        return done

    def repairs(self) -> int:
        rows, total = self.repair_rows, len(self.repair_rows)
        for start in range(0, total, CHUNK):
            self._insert(CreditRepair.__table__, rows[start:start + CHUNK])
            self.progress("信用修复", min(start + CHUNK, total), total)
        return total


def _with_count(party: Party, count: int) -> Party:
    return Party(party.uscc, party.name, party.legal_rep, party.kind, party.place,
                 party.founded, count)


def _name_stage(conn: Connection) -> Table | None:
    if conn.dialect.name != "sqlite":
        return None
    cols = [Column(c.name, c.type) for c in EnterpriseName.__table__.columns]
    stage = Table("demo_name_stage", MetaData(), *cols, prefixes=["TEMPORARY"])
    stage.create(conn, checkfirst=False)
    return stage


def _refuse_non_empty(conn: Connection) -> None:
    if conn.execute(select(Enterprise.id).limit(1)).first() is not None:
        raise InvalidRequest(NOT_EMPTY)
    for model in (Penalty, Arrear, CreditRepair):
        if conn.execute(select(model.id).limit(1)).first() is not None:
            raise InvalidRequest(NOT_EMPTY_RECORDS)


def _next_id(conn: Connection, model) -> int:
    return (conn.execute(select(func.max(model.id))).scalar() or 0) + 1


def _add_batches(conn: Connection, seed: int, enterprises: int) -> dict[str, int]:
    first = _next_id(conn, ImportBatch)
    now = datetime.now()
    checksum = hashlib.sha256(f"demo:{seed}:{enterprises}".encode()).hexdigest()
    ids = {kind: first + i for i, kind in enumerate(KINDS)}
    conn.execute(ImportBatch.__table__.insert(), [
        {"id": ids[kind], "kind": kind, "file_name": f"demo-seed-{seed}", "checksum": checksum,
         "unit": BATCH_UNIT, "total_rows": 0, "accepted": 0, "updated": 0, "rejected": 0,
         "imported_by": BATCH_USER, "imported_at": now}
        for kind in KINDS
    ])
    return ids


def _tune(conn: Connection) -> Callable[[], None]:
    """A larger page cache for the run on SQLite; returns what puts it back."""
    if conn.dialect.name != "sqlite":
        return lambda: None
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
    return lambda: conn.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _sync_sequences(conn: Connection) -> None:
    """PostgreSQL serial columns must continue after the ids assigned here."""
    if conn.dialect.name != "postgresql":
        return
    for model in (ImportBatch, Enterprise, EnterpriseName, Penalty, Arrear, CreditRepair):
        name = model.__tablename__
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"(SELECT coalesce(max(id), 0) + 1 FROM {name}), false)"
        ))


def sample_uscc(db: Database) -> str | None:
    """A demo enterprise worth showing: the most recently repaired one (so it has records)."""
    with db.session() as s:
        code = s.scalar(
            select(CreditRepair.uscc)
            .order_by(CreditRepair.repair_date.desc())
            .limit(1)
        )
        return code or s.scalar(select(Enterprise.uscc).order_by(Enterprise.id).limit(1))


def has_data(db: Database) -> bool:
    """Whether the database holds anything demo data could clash with."""
    with db.engine.connect() as conn:
        try:
            _refuse_non_empty(conn)
        except InvalidRequest:
            return True
    return False
