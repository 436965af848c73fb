"""Synthetic penalty decisions, credit repairs and arrears for the demo's enterprises."""
from __future__ import annotations

import random
from bisect import bisect
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate

from core import uscc
from core.services.demo.enterprises import Party
from core.services.demo.violations import COUNTY_ORGAN_FORMATS, DOMAINS, DomainWords, Violation

DATA_START = date(2021, 1, 1)
SIMPLE, NORMAL = "简易程序", "普通程序"
GIVE, NO_PENALTY = "给予处罚", "不予处罚"
REPAIR_ORGAN = "苏州市发展和改革委员会"
_LAW_ORDER = ("警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件",
              "降低资质等级", "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "其他")
_SERIOUS = {"责令停产停业", "吊销许可证件", "降低资质等级", "限制开展生产经营活动"}
_KIND_INDEX = {"91": 0, "92": 1, "93": 2}
_COUNTY_SHARE = 0.55
_REPAIR_SHARE = 0.12


def _round_yuan(yuan: float) -> int:
    step = 50 if yuan < 1000 else 100 if yuan < 10000 else 1000
    return max(step, int(round(yuan / step)) * step)


def wan(yuan: int) -> Decimal:
    """An amount in 元 expressed in 万元, as the national data item wants it."""
    return Decimal(yuan).scaleb(-4)


class PenaltyMaker:
    """Decisions with realistic organs, numbers and contents; also picks the repaired ones."""

    def __init__(self, rng: random.Random, profile, today: date):
        self.rng = rng
        self.today = today
        codes = set(profile.domain_codes)
        self.words = [w for w in DOMAINS if w.code in codes]
        self.aliases = {w.code: profile.domain(w.code).aliases or profile.domain(w.code).units
                        for w in self.words}
        self._cum = [list(accumulate(w.weights[k] for w in self.words)) for k in range(3)]
        # on-the-spot (简易程序) decisions are for the domain's minor violations
        self._minor = {w.code: [v for v in w.violations
                                if v.fine[0] == min(x.fine[0] for x in w.violations)]
                       for w in self.words}
        self._seq: dict[tuple, int] = {}
        self._organ_codes: dict[str, str] = {}
        self._organs: dict[tuple[int, str], str] = {}

    def _next(self, key: tuple) -> int:
        n = self._seq.get(key, 0) + 1
        self._seq[key] = n
        return n

    def organ_code(self, organ: str, division: str) -> str:
        code = self._organ_codes.get(organ)
        if code is None:
            code = self._organ_codes[organ] = uscc.generate(self.rng, division=division, kind="11")
        return code

    def _organ(self, words: DomainWords, party: Party) -> tuple[str, str, str, str]:
        """(organ, organ division, decision-number format, issuer's short place)."""
        rng = self.rng
        place = party.place
        if words.county_unit and rng.random() < _COUNTY_SHARE:
            key = (words.code, place.organ_prefix)
            organ = self._organs.get(key)
            if organ is None:
                fmt = COUNTY_ORGAN_FORMATS.get(words.code, "{prefix}" + words.county_unit)
                organ = self._organs[key] = fmt.format(prefix=place.organ_prefix)
            return organ, place.successor or place.code, words.numbers[0], place.doc_prefix
        aliases = self.aliases[words.code]
        i = rng.randrange(min(len(aliases), len(words.numbers)))
        return aliases[i], "320500", words.numbers[i], "苏"

    def _decision_no(self, words: DomainWords, fmt: str, p: str, year: int, simple: bool) -> str:
        if simple:
            n = self._next(("simple", words.code, p, year))
            return f"{p}{words.short}简罚〔{year}〕{n:05d}号"
        return fmt.format(p=p, y=year, n=self._next((fmt, p, year)))

    def _fine(self, v: Violation, party: Party, simple: bool) -> int:
        if simple:
            return _round_yuan(50 + self.rng.random() * (950 if party.kind == "92" else 2950))
        lo, hi = v.fine
        scale = 0.3 if party.kind == "92" else 1.0
        return _round_yuan(lo * 10000 * scale * (hi / lo) ** self.rng.random())

    def _sanctions(self, words: DomainWords, v: Violation, party: Party, simple: bool, day: date):
        """(kinds, content, fine 元, confiscated 元, licence action, valid until)."""
        rng = self.rng
        r = rng.random()
        if simple:
            if r < 0.4:
                return ["警告"], "警告", None, None, None, None
            fine = self._fine(v, party, True)
            return ["罚款"], f"罚款人民币{fine}元", fine, None, None, None
        if r < 0.08:
            return ["警告"], "警告", None, None, None, None
        if r < 0.10:
            return ["通报批评"], "通报批评", None, None, None, None
        kinds, content = ["罚款"], []
        fine = self._fine(v, party, False)
        conf = action = until = None
        if r < 0.15:
            kinds.insert(0, "警告")
            content.append("警告")
        content.append(f"罚款人民币{fine}元")
        if v.extras and rng.random() < 0.3:
            extra = rng.choice(v.extras)
            kinds.append(extra)
            if extra == "没收违法所得":
                conf = _round_yuan(500 * 100 ** rng.random())
                content.append(f"没收违法所得人民币{conf}元")
            elif extra == "没收非法财物":
                content.append("没收涉案物品")
            elif extra == "责令停产停业":
                days = rng.choice((7, 15, 30))
                content.append(f"责令停产停业{days}日")
                until = day + timedelta(days=days)
            elif extra == "限制开展生产经营活动":
                months = rng.choice((1, 3, 6))
                content.append(f"限制开展生产经营活动{months}个月")
                until = day + timedelta(days=30 * months)
            elif extra == "暂扣许可证件":
                months = rng.choice((1, 3, 6))
                action = f"暂扣{words.license}{months}个月"
                until = day + timedelta(days=30 * months)
            elif extra == "吊销许可证件":
                action = f"吊销{words.license}"
            else:  # 降低资质等级
                action = f"{words.license}降低一级资质等级"
            if action:
                content.append(action)
        kinds.sort(key=_LAW_ORDER.index)
        return kinds, "，".join(content), fine, conf, action, until

    def make(self, party: Party, pid: int, batch_id: int) -> dict:
        rng = self.rng
        r = rng.random
        k = _KIND_INDEX[party.kind]
        cum = self._cum[k]
        words = self.words[bisect(cum, r() * cum[-1])]
        simple = r() < 0.25
        v = rng.choice(self._minor[words.code] if simple else words.violations)
        organ, organ_div, fmt, p = self._organ(words, party)
        start = max(DATA_START, party.founded)
        day = start + timedelta(days=rng.randrange((self.today - start).days + 1))
        no_penalty = not simple and r() < 0.066
        decision_no = self._decision_no(words, fmt, p, day.year, simple)
        if no_penalty:
            kinds, content, fine, conf, action, until = ["其他"], "不予行政处罚", None, None, None, None
        else:
            kinds, content, fine, conf, action, until = self._sanctions(words, v, party, simple, day)
        publish = None
        if not simple and not no_penalty:
            days = 1095 if _SERIOUS.intersection(kinds) else 90 if "罚款" not in kinds else 365
            publish = day + timedelta(days=days)
        code = self.organ_code(organ, organ_div)
        return {
            "id": pid, "decision_no": decision_no, "uscc": party.uscc, "party_name": party.name,
            "party_kind": "个体工商户" if party.kind == "92" else "法人及非法人组织",
            "reg_no": None, "org_code": party.uscc[8:17], "tax_no": None, "institution_no": None,
            "social_org_no": None, "legal_rep": party.legal_rep, "violation_type": v.kind,
            "facts": f"经查，当事人{v.facts}。", "basis": v.basis, "penalty_kind": "；".join(kinds),
            "content": content, "fine_amount": None if fine is None else wan(fine),
            "confiscated_amount": None if conf is None else wan(conf), "license_action": action,
            "decision_date": day, "valid_until": until, "publish_until": publish,
            "organ": organ, "organ_code": code, "source_unit": organ, "source_unit_code": code,
            "remark": None, "domain": words.code, "procedure": SIMPLE if simple else NORMAL,
            "decision_kind": NO_PENALTY if no_penalty else GIVE,
            "status": "已撤销" if r() < 0.02 else "有效", "batch_id": batch_id,
        }

    def repair(self, p: dict, rid: int, batch_id: int) -> dict | None:
        """A credit repair for ~12% of the counted penalties decided a year or more ago."""
        day: date = p["decision_date"]
        age = (self.today - day).days
        if (p["procedure"] != NORMAL or p["decision_kind"] != GIVE or p["status"] != "有效"
                or age < 365 or self.rng.random() >= _REPAIR_SHARE):
            return None
        hi = age - 1
        if p["publish_until"] is not None:
            hi = min(hi, (p["publish_until"] - day).days - 1)
        when = day + timedelta(days=self.rng.randint(min(91, hi), hi))
        n = self._next(("repair", when.year))
        return {
            "id": rid, "uscc": p["uscc"], "decision_no": p["decision_no"], "repair_date": when,
            "organ": REPAIR_ORGAN, "document_no": f"苏发改信修〔{when.year}〕{n:04d}号",
            "source_unit": REPAIR_ORGAN, "batch_id": batch_id,
        }


# -- arrears -----------------------------------------------------------------------------------

ARREAR_KINDS = ("社会保险", "医疗保险", "住房公积金")
_PER_HEAD = {"社会保险": 1650.0, "医疗保险": 720.0, "住房公积金": 1180.0}
_PARK_CENTRE = "苏州工业园区社会保险基金和公积金管理中心"
_TAX = "国家税务总局苏州市税务局"
_RUN_CUM = (0.4, 0.7, 0.9, 1.0)  # months in a run of arrears: 1, 2, 3, 4
MEAN_ARREAR_ROWS = 1.15 * 2.0  # kinds per enterprise × months per run


class ArrearMaker:
    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self._month = today.year * 12 + today.month - 1

    def _unit(self, kind: str, party: Party) -> str:
        park = party.place.code == "320571"
        r = self.rng.random()
        if kind == "社会保险":
            return _PARK_CENTRE if park else "苏州市人力资源和社会保障局" if r < 0.6 else _TAX
        if kind == "医疗保险":
            return "苏州市医疗保障局" if r < 0.8 else _TAX
        return _PARK_CENTRE if park else "苏州市住房公积金管理中心"

    def make(self, party: Party, first_id: int, batch_id: int) -> list[dict]:
        rng = self.rng
        kinds = rng.sample(ARREAR_KINDS, 2 if rng.random() < 0.15 else 1)
        staff = int(3 * 50 ** rng.random())
        rows = []
        for kind in kinds:
            unit = self._unit(kind, party)
            u = rng.random()
            months = next(i + 1 for i, edge in enumerate(_RUN_CUM) if u < edge)
            last = self._month - rng.randint(1, 25 - months)
            status = "欠缴" if rng.random() < 0.7 else "已补缴"
            as_of = self.today - timedelta(days=rng.randrange(60))
            for m in range(last - months + 1, last + 1):
                amount = staff * _PER_HEAD[kind] * (0.9 + 0.2 * rng.random())
                rows.append({
                    "id": first_id + len(rows), "uscc": party.uscc, "kind": kind,
                    "period": f"{m // 12:04d}-{m % 12 + 1:02d}",
                    "amount": Decimal(f"{amount:.2f}"), "status": status, "as_of": as_of,
                    "source_unit": unit, "batch_id": batch_id,
                })
        return rows
