"""Demo data (演示数据): a synthetic but realistic Suzhou, written straight into an empty database.

Everything is drawn from one ``random.Random(seed)``: the same seed and ``today`` give the same
data. Rows go in with SQLAlchemy Core in chunks, primary keys assigned here, all in one
transaction, so a failed run leaves nothing behind. The enterprise_names triggers stay on, so
the names are searchable as soon as the run commits.

Stages reported to ``progress(stage, done, total)``: 企业, 行政处罚, 欠缴信息, 信用修复, 其他记录
(行政强制, 严重失信主体名单 and 刑事裁判, from a Random of their own: see national.py).
"""
from __future__ import annotations

import hashlib
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Connection, MetaData, Table, func, select, text, update

from core.db.engine import Database
from core.db.models import (
    Arrear, CreditRepair, CriminalJudgment, DishonestListing, Enforcement, Enterprise,
    EnterpriseName, ImportBatch, Penalty,
)
from core.errors import InvalidRequest
from core.services.demo.enterprises import EnterpriseMaker, Party
from core.services.demo.national import NationalKindsMaker
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
KINDS = ("enterprises", "penalties", "arrears", "repairs", "enforcement", "dishonest_lists",
         "criminal")
_RECORD_MODELS = (Penalty, Arrear, CreditRepair, Enforcement, DishonestListing, CriminalJudgment)
NOT_EMPTY = "数据库中已有企业数据，演示数据只能写入空数据库"
NOT_EMPTY_RECORDS = "数据库中已有处罚、欠缴、信用修复或其他记录，演示数据只能写入空数据库"


@dataclass(frozen=True)
class DemoSummary:
    enterprises: int
    penalties: int
    arrears: int
    repairs: int
    enforcements: int
    listings: int
    criminal: int
    seconds: float


def generate_demo(db: Database, profile, *, enterprises: int, seed: int,
                  today: date | None = None, progress: Progress | None = None) -> DemoSummary:
    """Fill an empty database with ``enterprises`` enterprises and their records.

    About one penalty per three enterprises (spread over the profile's domains), one arrears
    month per forty, and credit repairs for about 12% of the counted penalties over a year old;
    行政强制 for about 8% of the enterprises with penalties, a 严重失信主体名单 entry for 2%,
    a 刑事裁判 for 0.6% of the companies among them.
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
            units = {code: penalty_unit(profile, code) for code in profile.domain_codes}
            batches = _add_batches(conn, seed, enterprises, units)
            run = _Run(conn, rng, profile, today, batches, progress)
            counts = (run.enterprises(enterprises), run.penalties(), run.arrears(),
                      run.repairs(), *run.national_kinds(NationalKindsMaker(seed, today)))
            run.close()
            done = {**dict(zip(KINDS, counts)), **{("penalties", c): n for c, n in run.per_domain.items()}}
            for key, n in done.items():
                if key in batches:
                    conn.execute(update(ImportBatch).where(ImportBatch.id == batches[key])
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
        self.per_domain: Counter[int] = Counter()
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
        repair_batch = self.batches["repairs"]
        per_domain = self.per_domain
        rows: list[dict] = []
        done = 0
        for party in self.penalised:
            for _ in range(party.count):
                row = self.pens.make(party, pid, 0)
                row["batch_id"] = self.batches[("penalties", row["domain"])]
                per_domain[row["domain"]] += 1
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

    def national_kinds(self, maker: NationalKindsMaker) -> tuple[int, int, int]:
        """行政强制, 名单 and 刑事裁判 rows for some of the penalised enterprises (ids assigned by
        the database: there are few)."""
        made = {"enforcement": [], "dishonest_lists": [], "criminal": []}
        for party in self.penalised:
            for kind, make in (("enforcement", maker.enforcement), ("dishonest_lists", maker.listing),
                               ("criminal", maker.criminal)):
                row = make(party, self.batches[kind])
                if row is not None:
                    made[kind].append(row)
        for kind, model in (("enforcement", Enforcement), ("dishonest_lists", DishonestListing),
                            ("criminal", CriminalJudgment)):
            for start in range(0, len(made[kind]), CHUNK):
                self._insert(model.__table__, made[kind][start:start + CHUNK])
        self.progress("其他记录", len(self.penalised), len(self.penalised))
        return len(made["enforcement"]), len(made["dishonest_lists"]), len(made["criminal"])


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
    for model in _RECORD_MODELS:
        if conn.execute(select(model.id).limit(1)).first() is not None:
            raise InvalidRequest(NOT_EMPTY_RECORDS)


def _next_id(conn: Connection, model) -> int:
    return (conn.execute(select(func.max(model.id))).scalar() or 0) + 1


def penalty_unit(profile, code: int) -> str:
    """The unit a domain's demo penalties come from, named so the profile maps it to the domain
    (the report's 数据更新至 then shows the demo's date, as after a real delivery)."""
    domain = profile.domain(code)
    return (domain.aliases or domain.units)[0]


def _add_batches(conn: Connection, seed: int, enterprises: int,
                 units: dict[int, str]) -> dict[str | tuple[str, int], int]:
    """One batch per kind; penalties one per domain, in the name of its unit."""
    first = _next_id(conn, ImportBatch)
    now = datetime.now()
    checksum = hashlib.sha256(f"demo:{seed}:{enterprises}".encode()).hexdigest()
    keys: list[tuple[str | tuple[str, int], str, str]] = [  # (key, kind, unit)
        (kind, kind, BATCH_UNIT) for kind in KINDS if kind != "penalties"]
    keys += [(("penalties", code), "penalties", unit) for code, unit in units.items()]
    ids = {key: first + i for i, (key, _, _) in enumerate(keys)}
    conn.execute(ImportBatch.__table__.insert(), [
        {"id": ids[key], "kind": kind, "file_name": f"demo-seed-{seed}", "checksum": checksum,
         "unit": unit, "total_rows": 0, "accepted": 0, "updated": 0, "rejected": 0,
         "imported_by": BATCH_USER, "imported_at": now}
        for key, kind, unit in keys
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
