"""Synthetic Suzhou enterprises for the demo: credit codes, names, former names, addresses.

Initials of a name are built from the cached initials of its parts, so pypinyin runs once per
word, not once per enterprise (the parts avoid characters whose reading depends on context).
"""
from __future__ import annotations

import random
from bisect import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from core import search_text, uscc
from core.services.demo import vocab as W

KINDS = (("91", "企业"), ("92", "个体工商户"), ("93", "农民专业合作社"))
_KIND_CUM = (0.85, 0.98, 1.0)
_STATUS = (("存续", 0.84), ("在业", 0.91), ("注销", 0.97), ("吊销", 1.0))
_EPOCH = date(1995, 1, 1)
_FORMER_SHARE = {"91": 0.115, "92": 0.02, "93": 0.03}
SOURCE_UNIT = W.CITY_AUTHORITY


@dataclass(frozen=True, slots=True)
class Party:
    """What the penalty, arrears and repair stages need to know about an enterprise."""

    uscc: str
    name: str
    legal_rep: str
    kind: str  # 91 | 92 | 93
    place: W.Place
    founded: date
    count: int  # penalties (penalty stage) or arrears kinds (arrears stage)


class EnterpriseMaker:
    """Draws enterprises from one seeded Random; keeps the sets that make codes and names unique."""

    def __init__(self, rng: random.Random, today: date):
        self.rng = rng
        self.today = today
        self.codes: set[str] = set()
        self.names: set[str] = set()
        self._inits: dict[str, str] = {}
        self._codes: dict[str, str] = {}
        places = W.PLACES
        self._places = places
        self._cum = list(accumulate(p.weight for p in places))
        rural = [p for p in places if p.rural]
        self._rural = rural
        self._rural_cum = list(accumulate(p.weight for p in rural))
        forms = W.COMPANY_FORMS
        self._forms = [f for f, _ in forms]
        self._form_cum = list(accumulate(w for _, w in forms))
        self._chars = W.BRAND_CHARS
        self._industries = W.INDUSTRIES
        self._related = dict(W.INDUSTRIES)

    # -- parts -------------------------------------------------------------------------------

    def initials(self, *parts: str) -> str:
        cache = self._inits
        out = []
        for part in parts:
            ini = cache.get(part)
            if ini is None:
                ini = cache[part] = search_text.initials(part)
            out.append(ini)
        return "".join(out)

    def grams(self, name: str, inits: str) -> str:
        """search_text.grams(name, inits), with per-character codes cached."""
        codes = self._codes
        text = search_text.fold(name)
        seq = []
        for ch in text:
            code = codes.get(ch)
            if code is None:
                code = codes[ch] = search_text.name_tokens(ch)[0][1:]
            seq.append(code)
        tokens = {"u" + c for c in seq}
        tokens.update(["b" + a + b for a, b in zip(seq, seq[1:])])
        pairs = sorted({"i" + a + b for a, b in zip(inits, inits[1:])})
        return " ".join(sorted(tokens) + pairs)

    def _place(self, kind: str) -> W.Place:
        r = self.rng.random
        if kind == "93":
            return self._rural[bisect(self._rural_cum, r() * self._rural_cum[-1])]
        return self._places[bisect(self._cum, r() * self._cum[-1])]

    def brand(self) -> str:
        c = self._chars
        rnd = self.rng.randrange
        n = len(c)
        a, b = rnd(n), rnd(n - 1)
        return c[a] + c[b + (b >= a)]

    def person(self) -> str:
        rng = self.rng
        g = W.GIVEN_CHARS
        given = rng.choice(g) + (rng.choice(g) if rng.random() < 0.6 else "")
        return rng.choice(W.SURNAMES) + given

    def _founded(self, place: W.Place, kind: str) -> date:
        end = self.today if place.founded_before is None else min(
            self.today, date(place.founded_before, 12, 31))
        span = (end - _EPOCH).days
        u = self.rng.random()
        # later years see more registrations; individual businesses are younger still
        frac = u ** (0.35 if kind == "92" else 0.5)
        return _EPOCH + timedelta(days=int(span * frac))

    # -- names -------------------------------------------------------------------------------

    def _company(self, place: W.Place) -> tuple[tuple[str, ...], str, str, str]:
        rng = self.rng
        industry, _ = rng.choice(self._industries)
        form = self._forms[bisect(self._form_cum, rng.random() * self._form_cum[-1])]
        paren = W.FOREIGN_STYLE_PLACES.get(place.code)
        brand = self.brand()
        if paren and rng.random() < 0.08:
            return (brand, paren, industry, form), brand, industry, form
        return (rng.choice(place.company_places), brand, industry, form), brand, industry, form

    def _shop(self, place: W.Place) -> tuple[str, ...]:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            nick = "小" + rng.choice(W.SURNAMES)
        elif r < 0.45:
            nick = "阿" + rng.choice(W.GIVEN_CHARS)
        elif r < 0.55:
            nick = "老" + rng.choice(W.SURNAMES)
        elif r < 0.65:
            nick = rng.choice(W.SURNAMES) + "记"
        elif r < 0.85:
            nick = rng.choice(W.GIVEN_CHARS) + rng.choice(W.GIVEN_CHARS)
        else:
            nick = self.brand()
        town = rng.choice(place.towns) if rng.random() < 0.7 else ""
        return (place.shop_place, town, nick, rng.choice(W.SHOP_TRADES))

    def _coop(self, place: W.Place) -> tuple[str, ...]:
        rng = self.rng
        form = W.COOP_FORMS[0] if rng.random() < 0.8 else rng.choice(W.COOP_FORMS[1:])
        return (place.organ_prefix, rng.choice(place.towns), self.brand(),
                rng.choice(W.COOP_TRADES), form)

    def _unique(self, parts: tuple[str, ...]) -> tuple[str, str] | None:
        name = "".join(parts)
        if name in self.names:
            return None
        self.names.add(name)
        return name, self.initials(*parts)

    def _name(self, kind: str, place: W.Place) -> tuple[str, str, tuple]:
        """(name, initials, company parts or ()) — unique among all names drawn so far."""
        for _ in range(12):
            if kind == "91":
                parts, *rest = self._company(place)
            elif kind == "92":
                parts, rest = self._shop(place), ()
            else:
                parts, rest = self._coop(place), ()
            got = self._unique(parts)
            if got:
                return got[0], got[1], tuple(rest)
        k = 2
        while True:  # practically never: the name space is far larger than any demo
            got = self._unique((*parts, f"（{k}）"))
            if got:
                return got[0], got[1], ()
            k += 1

    def _former(self, place: W.Place, founded: date, company: tuple) -> list[tuple[str, str]]:
        """One or two earlier names of a company: another trade, an older place, another 字号."""
        rng = self.rng
        brand, industry, form = company
        related = self._related[industry]
        found: list[tuple[str, str]] = []
        for _ in range(2 if rng.random() < 0.25 else 1):
            r = rng.random()
            if place.old_place and founded.year <= 2012 and r < 0.6:
                parts = (place.old_place, brand, industry, form)
            elif r < 0.75:
                old_form = "厂" if rng.random() < 0.3 else form
                parts = (rng.choice(place.company_places), brand, rng.choice(related), old_form)
            else:
                parts = (rng.choice(place.company_places), self.brand(), industry, form)
            got = self._unique(parts)
            if got:
                found.append(got)
        return found

    # -- one enterprise ----------------------------------------------------------------------

    def make(self, eid: int, batch_id: int):
        """(enterprise row, [(name, initials, is_current)], Party)."""
        rng = self.rng
        r = rng.random
        u = r()
        kind, kind_name = KINDS[0 if u < _KIND_CUM[0] else 1 if u < _KIND_CUM[1] else 2]
        place = self._place(kind)
        code = uscc.generate(rng, division=place.code, kind=kind)
        while code in self.codes:
            code = uscc.generate(rng, division=place.code, kind=kind)
        self.codes.add(code)
        founded = self._founded(place, kind)
        name, inits, company = self._name(kind, place)
        names = [(name, inits, True)]
        if r() < _FORMER_SHARE[kind] and company:
            names += [(n, i, False) for n, i in self._former(place, founded, company)]
        rep = self.person()
        u = r()
        status = next(s for s, edge in _STATUS if u < edge)
        authority = place.reg_authority
        if kind == "91" and not place.organ_prefix.endswith("市") and r() < 0.05:
            authority = W.CITY_AUTHORITY
        town = rng.choice(place.towns)
        if kind != "91":  # the town in a shop's or co-operative's name is where it is
            town = next((t for t in place.towns if t in name), town)
        address = f"{place.organ_prefix}{town}{rng.choice(place.roads)}" \
                  f"{rng.randint(1, W.STREET_NO_MAX)}号"
        if kind == "91" and r() < 0.25:
            address += f"{rng.randint(1, 30)}幢{rng.randint(1, 12)}{rng.randint(1, 20):02d}室"
        row = {
            "id": eid, "uscc": code, "name": name,
            "former_names": "；".join(n for n, _, cur in names if not cur) or None,
            "legal_rep": rep, "founded_on": founded, "address": address, "division": place.code,
            "reg_authority": authority, "reg_status": status, "kind": kind_name,
            "source_unit": SOURCE_UNIT, "batch_id": batch_id,
        }
        return row, names, Party(code, name, rep, kind, place, founded, 0)
