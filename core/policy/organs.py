"""Whose penalty records a profile collects: the deciding organs (处罚机关) inside its area.

Pure data and one pure function (no Qt, no I/O). A profile without an ``OrganScope`` collects
records of any organ (the national profile); a profile with one collects only the records of
the organs it names, e.g. Suzhou's "本市行政机关…有关中央省垂直管理单位" (苏府规字〔2024〕1号 三).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from core.policy.model import normalize_text


@dataclass(frozen=True)
class OrganScope:
    """The organs inside an area, as the policy file lists them.

    ``prefixes``: an organ whose name (after ``parents``) starts with one of them is inside
    (苏州市…, 昆山市…, 苏州海关 …). ``parents``: higher-level names written in front of a local
    organ's name (国家税务总局, 中国人民银行, 江苏省 …); they are skipped before the prefixes are
    tried, so 国家税务总局苏州市税务局 is inside and 国家税务总局南京市税务局 is not, and a parent
    alone (江苏省生态环境厅) is not. ``names``: organs inside whatever their name looks like.
    ``place`` names the area in messages (苏州市).
    """

    place: str
    prefixes: tuple[str, ...] = ()
    parents: tuple[str, ...] = ()
    names: tuple[str, ...] = ()

    @cached_property
    def _prefixes(self) -> tuple[str, ...]:
        return tuple(sorted({normalize_text(p) for p in self.prefixes if p.strip()}, key=len, reverse=True))

    @cached_property
    def _parents(self) -> tuple[str, ...]:
        return tuple(sorted({normalize_text(p) for p in self.parents if p.strip()}, key=len, reverse=True))

    @cached_property
    def _names(self) -> frozenset[str]:
        return frozenset(normalize_text(n) for n in self.names if n.strip())


def organ_in_scope(scope: OrganScope | None, organ: str) -> bool:
    """Whether ``organ`` (a 处罚机关 as written) is one whose records the profile collects.

    No scope: every organ. Otherwise an explicit name, or a name that — after any leading
    parent names — starts with one of the area's prefixes. Only the start of the name counts:
    "南京海关驻苏州办事处" names a Nanjing organ even though 苏州 appears in it.
    """
    if scope is None:
        return True
    key = normalize_text(organ or "")
    if not key:
        return False
    if key in scope._names:
        return True
    rest = key
    stripped = True
    while stripped and rest:
        stripped = False
        for parent in scope._parents:
            if rest.startswith(parent) and len(rest) > len(parent):
                rest = rest[len(parent):]
                stripped = True
                break
    return any(rest.startswith(prefix) for prefix in scope._prefixes)
