"""Small builders for database rows in tests: sensible defaults, override what the test is about."""
from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from core import uscc
from core.db.engine import Database
from core.db.models import Arrear, CreditRepair, Enterprise, EnterpriseName, Penalty
from core.services.records.ingest.importer import name_row

_rng = random.Random(7)


def new_uscc() -> str:
    return uscc.generate(_rng, division="320506")


def add_enterprise(db: Database, name: str = "苏州恒达精密机械有限公司", code: str | None = None,
                   former: tuple[str, ...] = (), **fields) -> str:
    code = code or new_uscc()
    with db.session() as s:
        ent = Enterprise(
            uscc=code, name=name, former_names="；".join(former) or None, division=code[2:8],
            kind="企业", source_unit="苏州市市场监督管理局", legal_rep=fields.pop("legal_rep", "张伟"),
            reg_status="存续", **fields,
        )
        s.add(ent)
        s.flush()
        for n, current in [(name, True), *((f, False) for f in former)]:
            s.add(EnterpriseName(**name_row(ent.id, n, current)))
    return code


_counter = iter(range(1, 10**9))


def add_penalty(db: Database, code: str, decision_date: date, **fields) -> str:
    decision_no = fields.pop("decision_no", f"苏环行罚〔{decision_date.year}〕{next(_counter)}号")
    values = dict(
        decision_no=decision_no, uscc=code, party_name="测试企业", penalty_kind="罚款",
        decision_date=decision_date, organ="苏州市生态环境局", source_unit="苏州市生态环境局",
        domain=4, procedure="普通程序", decision_kind="给予处罚", status="有效",
        fine_amount=Decimal("0.2"), content="罚款人民币2000元",
    )
    values.update(fields)
    with db.session() as s:
        s.add(Penalty(**values))
    return decision_no


def add_arrear(db: Database, code: str, **fields) -> None:
    values = dict(uscc=code, kind="社会保险", period="2026-08", amount=Decimal("1234.50"),
                  status="欠缴", as_of=date(2026, 10, 31), source_unit="苏州市人力资源和社会保障局")
    values.update(fields)
    with db.session() as s:
        s.add(Arrear(**values))


def add_repair(db: Database, code: str, decision_no: str, repair_date: date, **fields) -> None:
    values = dict(uscc=code, decision_no=decision_no, repair_date=repair_date,
                  organ="苏州市发展和改革委员会", document_no=f"苏发改信修〔{repair_date.year}〕{next(_counter)}号",
                  source_unit="苏州市发展和改革委员会")
    values.update(fields)
    with db.session() as s:
        s.add(CreditRepair(**values))
