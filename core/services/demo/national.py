"""Synthetic records of the kinds 发改财金〔2025〕565号 adds: 行政强制, 严重失信主体名单 and 刑事裁判.

They go to some of the enterprises that have penalties (an enforcement measure, a listing or a
conviction rarely comes without one). Drawn from a Random of their own, so adding them left the
enterprises, penalties, arrears and repairs of a seed as they were.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from core.services.demo.enterprises import Party
from core.services.demo.records import DATA_START

ENFORCEMENT_SHARE = 0.08  # of the enterprises with penalties
LISTING_SHARE = 0.02
CRIMINAL_SHARE = 0.006

# (measure, organ, number prefix, content)
_MEASURES = (
    ("查封场所、设施或者财物", "苏州市市场监督管理局", "苏市监强",
     "查封涉嫌生产不符合安全标准产品的生产设备及原材料"),
    ("扣押财物", "苏州市市场监督管理局", "苏市监扣", "扣押涉嫌侵犯注册商标专用权的商品"),
    ("查封场所、设施或者财物", "苏州市生态环境局", "苏环封", "查封超标排放污染物的生产设施"),
    ("查封场所、设施或者财物", "苏州市应急管理局", "苏应急强", "查封存在重大事故隐患的生产设备"),
    ("加处罚款或者滞纳金", "苏州市生态环境局", "苏环加", "逾期不缴纳罚款，每日按罚款数额的百分之三加处罚款"),
    ("冻结存款、汇款", "国家税务总局苏州市税务局", "苏税强", "冻结银行存款，用于缴纳欠缴税款及滞纳金"),
)
_BASIS = "《中华人民共和国行政强制法》"

# (list name, authority, reason)
_LISTS = (
    ("严重违法失信名单", "苏州市市场监督管理局", "因同一性质违法行为受到较重行政处罚，且拒不履行处罚决定"),
    ("拖欠农民工工资失信联合惩戒对象名单", "苏州市人力资源和社会保障局",
     "拖欠农民工工资数额较大，经责令限期支付后逾期未支付"),
    ("重大税收违法失信主体", "国家税务总局苏州市税务局", "虚开增值税专用发票"),
    ("安全生产严重失信主体名单", "苏州市应急管理局", "发生生产安全责任事故，造成人员死亡"),
)

# (court, its short code in case numbers)
_COURTS = (
    ("苏州市中级人民法院", "苏05"), ("苏州市姑苏区人民法院", "苏0508"),
    ("苏州市吴中区人民法院", "苏0506"), ("苏州工业园区人民法院", "苏0591"),
    ("昆山市人民法院", "苏0583"), ("张家港市人民法院", "苏0582"), ("常熟市人民法院", "苏0581"),
)
_CHARGES = ("污染环境罪", "单位行贿罪", "虚开增值税专用发票罪", "生产、销售伪劣产品罪", "走私普通货物罪")


class NationalKindsMaker:
    def __init__(self, seed: int, today: date):
        self.rng = random.Random(f"national-kinds-{seed}")
        self.today = today
        self._seq: dict[tuple, int] = {}

    def _next(self, key: tuple) -> int:
        n = self._seq.get(key, 0) + 1
        self._seq[key] = n
        return n

    def _day(self, party: Party) -> date:
        start = max(DATA_START, party.founded)
        return start + timedelta(days=self.rng.randrange((self.today - start).days + 1))

    def enforcement(self, party: Party, batch_id: int) -> dict | None:
        if self.rng.random() >= ENFORCEMENT_SHARE:
            return None
        measure, organ, prefix, content = self.rng.choice(_MEASURES)
        day = self._day(party)
        number = f"{prefix}〔{day.year}〕{self._next((prefix, day.year)):04d}号"
        return {"decision_no": number, "uscc": party.uscc, "party_name": party.name,
                "measure": measure, "content": content, "basis": _BASIS, "decision_date": day,
                "organ": organ, "source_unit": organ,
                "status": "已撤销" if self.rng.random() < 0.03 else "有效", "remark": None,
                "batch_id": batch_id}

    def listing(self, party: Party, batch_id: int) -> dict | None:
        if self.rng.random() >= LISTING_SHARE:
            return None
        name, authority, reason = self.rng.choice(_LISTS)
        day = self._day(party)
        removed = None
        if self.rng.random() < 0.3 and (self.today - day).days > 400:
            removed = day + timedelta(days=self.rng.randint(365, (self.today - day).days))
        return {"uscc": party.uscc, "party_name": party.name, "list_name": name,
                "authority": authority, "listed_on": day, "reason": reason, "basis": None,
                "removed_on": removed, "source_unit": authority, "remark": None,
                "batch_id": batch_id}

    def criminal(self, party: Party, batch_id: int) -> dict | None:
        if party.kind != "91" or self.rng.random() >= CRIMINAL_SHARE:
            return None
        court, short = self.rng.choice(_COURTS)
        charge = self.rng.choice(_CHARGES)
        day = self._day(party)
        fine = self.rng.choice((10, 20, 30, 50, 80, 100, 200))
        return {"case_no": f"（{day.year}）{short}刑初{self._next((short, day.year)) + 100}号",
                "uscc": party.uscc, "party_name": party.name, "court": court,
                "judgment_date": day, "charge": charge,
                "sentence": f"被告单位{party.name}犯{charge}，判处罚金人民币{fine}万元",
                "source_unit": court, "remark": None, "batch_id": batch_id}
