"""A week at two counters, for the statistics tests: reports, scans, objections and imports."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import uscc
from core.db.models import ImportBatch
from core.services.objections.register import Filing
from core.services.people.roles import Role
from core.services.signing.keys import KeyService
from core.services.signing.payload import QrClaims, key_id_for, parse_payload, sign_payload
from tests.desks import make_desk
from tests.factories import add_enterprise, add_penalty

TODAY = date.today()
WEEK = (TODAY - timedelta(days=6), TODAY)
MARKET, ECOLOGY = "苏州市市场监督管理局", "苏州市生态环境局"


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour))


def a_week(db, profile, tmp_path, write_csv):
    """The desk of 一号窗口 after: 3 reports there (two today, one 2 days ago), 1 at 二号窗口
    yesterday, 1 ten days ago (outside the week); 2 valid scans, 1 forged, 2 not codes at all;
    this week 2 objections (one filed on paper 5 days ago and never accepted: overdue), 1 older;
    an enterprise import today (3 rows, 1 rejected) and an ecology import 60 days ago (late)."""
    keys = KeyService(db, tmp_path / "keys", tmp_path / "trust.json")
    keys.create(user="admin", today=TODAY - timedelta(days=400))
    one = make_desk(db, profile, keys, counter="一号窗口")
    two = make_desk(db, profile, keys, counter="二号窗口")
    dirty = add_enterprise(db, "苏州恒达精密机械有限公司")
    decisions = [add_penalty(db, dirty, TODAY - timedelta(days=100 + i)) for i in range(2)]
    add_penalty(db, dirty, TODAY - timedelta(days=90), domain=1, organ="苏州市市场监督管理局",
                source_unit="苏州市市场监督管理局")
    clean = add_enterprise(db, "吴中区绿源环保科技有限公司")
    first = one.issue(dirty, purpose="招投标", now=at(TODAY, 9))
    one.issue(clean, purpose="招投标", now=at(TODAY, 11))
    one.issue(clean, purpose="融资", now=at(TODAY - timedelta(days=2)))
    two.issue(dirty, purpose="招投标", now=at(TODAY - timedelta(days=1)))
    one.issue(clean, now=at(TODAY - timedelta(days=10)))
    sup = one.as_(Role.SUPERVISOR)
    qr = first.issue.qr_digits
    one.desk.verify(sup, qr)
    two.desk.verify(two.as_(Role.VERIFIER), qr)
    genuine = parse_payload(qr).claims
    outsider = Ed25519PrivateKey.generate()  # a code signed with somebody else's key
    one.desk.verify(sup, sign_payload(QrClaims(**{**genuine.__dict__, "key_id": key_id_for(outsider.public_key())}),
                                      outsider))
    one.desk.verify(sup, "这不是报告二维码")
    one.desk.verify(sup, "12345")
    clerk = one.as_(Role.CLERK)
    for decision, filed in ((decisions[0], TODAY - timedelta(days=5)), (decisions[1], TODAY),
                            (decisions[1], TODAY - timedelta(days=30))):
        one.desk.file_objection(clerk, Filing(dirty, "penalty", decision, "信息错误", "张伟", filed_on=filed))
    rows = [["统一社会信用代码", "企业名称", "法定代表人"],
            [uscc.generate(Random(3), division="320506"), "苏州华新纺织有限公司", "王芳"],
            [uscc.generate(Random(4), division="320506"), "苏州华盛电子有限公司", "赵强"],
            ["91320500XXXXXXXXXX", "格式错误的企业", "钱六"]]
    one.desk.import_file(one.as_(Role.ADMIN), "enterprises", write_csv("e.csv", rows), unit=MARKET)
    with db.session(write=True) as s:
        s.add(ImportBatch(kind="penalties", file_name="p.csv", checksum="0" * 64, unit=ECOLOGY, total_rows=40,
                          accepted=40, rejected=0, imported_by="管理员", imported_at=at(TODAY - timedelta(days=60))))
    return one
