"""Rules that look at more than one cell, applied to a whole chunk's columns after the cell
checks (``cells``): a 领域 derived from the 数据来源单位, an enterprise's type from its credit
code, a repair's source unit from its organ, a listing removed before it was listed.
"""
from __future__ import annotations

from core import uscc as uscc_rules

__all__ = ["Checked", "ROW_RULES", "DERIVED"]


class Checked:
    """One chunk after the cell checks: a list of values per key, every row's stated-keys mask,
    and the problems found so far by row index ((key, reason) pairs, in the order found)."""

    __slots__ = ("n", "columns", "masks", "problems", "bits")

    def __init__(self, n: int, columns: dict[str, list], masks: list[int],
                 problems: dict[int, list[tuple[str, str]]], bits: dict[str, int]):
        self.n, self.columns, self.masks, self.problems, self.bits = n, columns, masks, problems, bits

    def bad(self, i: int, *keys: str) -> bool:
        """Row ``i`` already has a problem in one of ``keys``."""
        found = self.problems.get(i)
        return bool(found) and any(k in keys for k, _ in found)

    def refuse(self, i: int, key: str, reason: str) -> None:
        self.problems.setdefault(i, []).append((key, reason))

    def column(self, key: str) -> list:
        """The values of ``key``; a derived key the file lacks starts as all None."""
        found = self.columns.get(key)
        if found is None:
            found = self.columns[key] = [None] * self.n
        return found


def _penalty_rules(rows: Checked, domains_for_unit) -> None:
    """A blank 领域 is derived from the 数据来源单位 when that unit maps to exactly one domain."""
    domain, units = rows.column("domain"), rows.columns["source_unit"]
    stated = 1 << rows.bits["domain"]
    masks, problems = rows.masks, rows.problems
    if None not in domain:
        return
    codes_of = {unit: domains_for_unit(unit) for unit in set(units) if unit is not None}
    if not problems and domain.count(None) == rows.n and all(len(c) == 1 for c in codes_of.values()) \
            and None not in units:
        # The usual file: no 领域 column, every unit with its one domain — a whole-column lookup.
        single = {unit: int(codes[0]) for unit, codes in codes_of.items()}
        domain[:] = map(single.__getitem__, units)
        masks[:] = map(stated.__or__, masks)
        return
    for i, unit in enumerate(units):
        if domain[i] is not None or unit is None or (i in problems and rows.bad(i, "domain", "source_unit")):
            continue
        codes = codes_of[unit]
        if len(codes) == 1:
            domain[i] = int(codes[0])
            masks[i] |= stated  # derived from the stated source unit
        elif codes:
            rows.refuse(i, "domain", f"未填写领域，且数据来源单位“{unit}”对应多个领域，请填写领域")
        else:
            rows.refuse(i, "domain", f"未填写领域，且数据来源单位“{unit}”无法对应到领域，请填写领域")


def _enterprise_rules(rows: Checked, _domains) -> None:
    kinds, codes = rows.column("kind"), rows.columns["uscc"]
    for i, kind in enumerate(kinds):
        if kind is None and not rows.bad(i, "kind"):
            code = codes[i]
            kinds[i] = (uscc_rules.kind_of(code) if code else None) or "企业"


def _repair_rules(rows: Checked, _domains) -> None:
    units, organs = rows.column("source_unit"), rows.columns["organ"]
    for i, unit in enumerate(units):
        if unit is None:
            units[i] = organs[i]


def _no_rules(rows: Checked, _domains) -> None:
    return None


def _listing_rules(rows: Checked, _domains) -> None:
    removed = rows.columns.get("removed_on")
    if removed is None:
        return
    for i, (listed, out) in enumerate(zip(rows.columns["listed_on"], removed)):
        if listed is not None and out is not None and out < listed:
            rows.refuse(i, "removed_on", f"移出日期 {out.isoformat()} 早于列入日期 {listed.isoformat()}")


ROW_RULES = {
    "penalties": _penalty_rules,
    "enterprises": _enterprise_rules,
    "repairs": _repair_rules,
    "arrears": _no_rules,
    "enforcement": _no_rules,
    "dishonest_lists": _listing_rules,
    "criminal": _no_rules,
}
# Keys a rule fills in when the file lacks their column (every good row then has them).
DERIVED = {"penalties": ("domain",), "enterprises": ("kind",), "repairs": ("source_unit",)}
