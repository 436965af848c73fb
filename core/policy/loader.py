"""Load and validate policy profiles from TOML files in resources/policy."""

from __future__ import annotations

import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import core
from core.policy.model import (
    DEFAULT_RECORD_KINDS, OTHER_INFO_KINDS, RECORD_KINDS, SECTION_TITLES, Domain, OtherInfo,
    PolicyError, Profile, normalize_text,
)
from core.policy.organs import OrganScope

DEFAULT_PROFILE = "suzhou-2024"

_PROFILE_KEYS = {
    "id", "name", "document", "valid_from", "valid_to", "data_start", "default_years",
    "max_years", "excluded_procedures", "excluded_decisions", "arrears_kinds", "divisions",
    "domains", "other_info",
}
_PROFILE_OPTIONAL = {"valid_to", "divisions"}
# Whose records count ([organs]; absent: any organ's) and how a 未注明 procedure / decision counts.
_PROFILE_KEYS |= {"organs", "unstated_procedure", "unstated_decision"}
_PROFILE_OPTIONAL |= {"organs", "unstated_procedure", "unstated_decision"}
# After how many days an arrears row's 数据截至 is marked as not current on the report.
_PROFILE_KEYS |= {"arrears_fresh_days", "unit_late_days"}
_PROFILE_OPTIONAL |= {"arrears_fresh_days", "unit_late_days"}
# What the report is called and cites, how a repaired penalty is marked, which record kinds it
# carries and what their sections are titled (resources/policy/README.md describes every key).
_WORDING = ("title", "subtitle", "basis", "repaired_label", "purpose_note", "records_note")
_PROFILE_KEYS |= {*_WORDING, "record_kinds", "section_titles"}
_PROFILE_OPTIONAL |= {*_WORDING, "record_kinds", "section_titles"}
# The supervisor's deadlines (working days) and the credit-repair rules (issue 10).
_PROFILE_KEYS |= {"objection_days", "publicity_months", "repaired_still_counts"}
_PROFILE_OPTIONAL |= {"objection_days", "publicity_months", "repaired_still_counts"}
_SEVERITIES = ("一般", "严重")
_ORGAN_KEYS = {"place", "prefixes", "parents", "names"}
_UNSTATED_RULES = {"count": "计入", "exclude": "不计入"}
_DOMAIN_KEYS = {"code", "name", "responsible", "scope", "units", "aliases", "keywords"}
_DOMAIN_OPTIONAL = {"units", "aliases", "keywords"}
_OTHER_KEYS = {"code", "kind", "name", "responsible"}
_LINE_COL = re.compile(r"line (\d+), column (\d+)")

_cache: dict[tuple[str, str, int, int], Profile] = {}


def policy_dir() -> Path:
    """The directory holding the bundled policy files."""
    return Path(core.__file__).resolve().parent.parent / "resources" / "policy"


def available_profiles(directory: Path | None = None) -> tuple[str, ...]:
    """Ids of the profiles in a directory (the file names without .toml), sorted."""
    folder = Path(directory) if directory is not None else policy_dir()
    if not folder.is_dir():
        return ()
    # Only *.toml: a documented example (jiangsu-2025.toml.example) is never offered or loaded.
    return tuple(sorted(p.stem for p in folder.glob("*.toml")
                        if p.is_file() and p.suffix == ".toml"))


def load_profile(profile_id: str = DEFAULT_PROFILE, directory: Path | None = None) -> Profile:
    """Load the profile ``<directory>/<profile_id>.toml`` (cached until the file changes)."""
    folder = Path(directory) if directory is not None else policy_dir()
    path = folder / f"{profile_id}.toml"
    if not path.is_file():
        known = "、".join(available_profiles(folder)) or "无"
        raise PolicyError(f"未找到政策配置“{profile_id}”，可用的配置：{known}")
    stat = path.stat()
    key = (profile_id, str(path.resolve()), stat.st_mtime_ns, stat.st_size)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    profile = load_profile_file(path)
    if profile.id != profile_id:
        raise PolicyError(
            f"政策文件 {path.name}：id“{profile.id}”与文件名“{profile_id}”不一致"
        )
    _cache[key] = profile
    return profile


def load_profile_file(path: Path) -> Profile:
    """Read, parse and validate one policy file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise PolicyError(f"政策文件 {path.name}：无法读取（文件不存在或不是 UTF-8 编码）") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _LINE_COL.search(str(exc))
        place = f"第 {where.group(1)} 行第 {where.group(2)} 列" if where else "某处"
        raise PolicyError(f"政策文件 {path.name}：格式错误，位于{place}") from None
    return _Builder(path.name).profile(data)


class _Builder:
    """Turns parsed TOML into a Profile, raising PolicyError naming the file."""

    def __init__(self, file_name: str) -> None:
        self.file = file_name

    def fail(self, problem: str) -> PolicyError:
        return PolicyError(f"政策文件 {self.file}：{problem}")

    # --- generic checks ----------------------------------------------------

    def check_keys(self, table: dict[str, Any], allowed: set[str], optional: set[str],
                   where: str) -> None:
        for key in sorted(allowed - optional):
            if key not in table:
                raise self.fail(f"{where}缺少字段“{key}”")
        for key in sorted(table):
            if key not in allowed:
                raise self.fail(f"{where}有未知字段“{key}”")

    def text(self, table: dict[str, Any], key: str, where: str) -> str:
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(f"{where}字段“{key}”应为文字")
        if not value.strip():
            raise self.fail(f"{where}字段“{key}”不能为空")
        return value.strip()

    def integer(self, table: dict[str, Any], key: str, where: str) -> int:
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.fail(f"{where}字段“{key}”应为正整数")
        return value

    def day(self, table: dict[str, Any], key: str) -> date:
        value = table[key]
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise self.fail(f"字段“{key}”不是有效日期") from None
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(f"字段“{key}”应为日期，例如 2024-03-01")
        return value

    def strings(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{where}字段“{key}”应为文字列表")
        return tuple(v.strip() for v in value if v.strip())

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"“{key}”应为 [[{key}]] 表格列表")
        return value

    # --- profile -----------------------------------------------------------

    def profile(self, data: dict[str, Any]) -> Profile:
        self.check_keys(data, _PROFILE_KEYS, _PROFILE_OPTIONAL, "")
        valid_from = self.day(data, "valid_from")
        valid_to = self.day(data, "valid_to") if "valid_to" in data else None
        data_start = self.day(data, "data_start")
        if valid_to is not None and valid_to < valid_from:
            raise self.fail("失效日期 valid_to 早于生效日期 valid_from")
        if data_start > valid_from:
            raise self.fail("数据起始日期 data_start 晚于生效日期 valid_from")
        default_years = self.integer(data, "default_years", "")
        max_years = self.integer(data, "max_years", "")
        if default_years > max_years:
            raise self.fail(f"默认年限 default_years（{default_years}）大于最长年限 max_years（{max_years}）")
        domains = self.domains(data)
        return Profile(
            id=self.text(data, "id", ""),
            name=self.text(data, "name", ""),
            document=self.text(data, "document", ""),
            valid_from=valid_from,
            valid_to=valid_to,
            data_start=data_start,
            default_years=default_years,
            max_years=max_years,
            excluded_procedures=frozenset(self.strings(data, "excluded_procedures", "")),
            excluded_decisions=frozenset(self.strings(data, "excluded_decisions", "")),
            arrears_kinds=self.strings(data, "arrears_kinds", ""),
            domains=domains,
            other_info=self.other_info(data),
            divisions=self.strings(data, "divisions", ""),
            organs=self.organs(data),
            unstated_procedure=self.unstated(data, "unstated_procedure"),
            unstated_decision=self.unstated(data, "unstated_decision"),
            **({"arrears_fresh_days": self.integer(data, "arrears_fresh_days", "")}
               if "arrears_fresh_days" in data else {}),
            **({"unit_late_days": self.integer(data, "unit_late_days", "")}
               if "unit_late_days" in data else {}),
            **self.wording(data),
            record_kinds=self.record_kinds(data),
            section_titles=self.section_titles(data),
            **self.supervision(data),
        )

    def supervision(self, data: dict[str, Any]) -> dict[str, Any]:
        """objection_days = [accept, check, provider, close]; publicity_months = {一般 = [min,
        max], 严重 = [min, max]}; repaired_still_counts = true | false."""
        found: dict[str, Any] = {}
        if "objection_days" in data:
            days = data["objection_days"]
            if (not isinstance(days, list) or len(days) != 4
                    or any(isinstance(d, bool) or not isinstance(d, int) or d < 1 for d in days)):
                raise self.fail("字段“objection_days”应为 4 个正整数：[受理, 平台核查, 提供单位协查, 办结]")
            found["objection_days"] = tuple(days)
        if "publicity_months" in data:
            table = data["publicity_months"]
            if not isinstance(table, dict) or set(table) != set(_SEVERITIES):
                raise self.fail("字段“publicity_months”应为 {一般 = [最短, 最长], 严重 = [最短, 最长]}（月）")
            rows = []
            for severity in _SEVERITIES:
                pair = table[severity]
                if (not isinstance(pair, list) or len(pair) != 2
                        or any(isinstance(m, bool) or not isinstance(m, int) or m < 1 for m in pair)
                        or pair[0] > pair[1]):
                    raise self.fail(f"字段“publicity_months”中“{severity}”应为 [最短, 最长] 两个正整数（月），最短不大于最长")
                rows.append((severity, pair[0], pair[1]))
            found["publicity_months"] = tuple(rows)
        if "repaired_still_counts" in data:
            if not isinstance(data["repaired_still_counts"], bool):
                raise self.fail("字段“repaired_still_counts”应为 true 或 false")
            found["repaired_still_counts"] = data["repaired_still_counts"]
        return found

    def wording(self, data: dict[str, Any]) -> dict[str, str]:
        found = {}
        for key in _WORDING:
            if key not in data:
                continue
            value = data[key]
            if not isinstance(value, str):
                raise self.fail(f"字段“{key}”应为文字")
            if key != "subtitle" and not value.strip():
                raise self.fail(f"字段“{key}”不能为空")
            found[key] = value.strip()
        return found

    def record_kinds(self, data: dict[str, Any]) -> tuple[str, ...]:
        if "record_kinds" not in data:
            return DEFAULT_RECORD_KINDS
        kinds = self.strings(data, "record_kinds", "")
        for kind in kinds:
            if kind not in RECORD_KINDS:
                raise self.fail(f"record_kinds 中的类型“{kind}”未知（应为 {'、'.join(RECORD_KINDS)}）")
        if len(set(kinds)) != len(kinds):
            raise self.fail("record_kinds 中有重复的类型")
        if "penalties" not in kinds:
            raise self.fail("record_kinds 必须包含 penalties（行政处罚）")
        return tuple(kinds)

    def section_titles(self, data: dict[str, Any]) -> tuple[tuple[str, str], ...]:
        table = data.get("section_titles", {})
        if not isinstance(table, dict):
            raise self.fail("“section_titles”应为 [section_titles] 表格")
        result = []
        for kind, title in table.items():
            if kind not in SECTION_TITLES:
                raise self.fail(f"[section_titles] 中的类型“{kind}”未知（应为 {'、'.join(SECTION_TITLES)}）")
            if not isinstance(title, str) or not title.strip():
                raise self.fail(f"[section_titles] 中“{kind}”的标题应为非空文字")
            result.append((kind, title.strip()))
        return tuple(result)

    def domains(self, data: dict[str, Any]) -> tuple[Domain, ...]:
        tables = self.tables(data, "domains")
        if not tables:
            raise self.fail("至少需要一个领域 [[domains]]")
        result: list[Domain] = []
        codes: set[int] = set()
        names: set[str] = set()
        for number, table in enumerate(tables, start=1):
            where = f"第 {number} 个领域"
            self.check_keys(table, _DOMAIN_KEYS, _DOMAIN_OPTIONAL, where)
            code = self.integer(table, "code", where)
            name = self.text(table, "name", where)
            if code in codes:
                raise self.fail(f"领域序号 {code} 重复")
            if normalize_text(name) in names:
                raise self.fail(f"领域名称“{name}”重复")
            codes.add(code)
            names.add(normalize_text(name))
            result.append(Domain(
                code=code,
                name=name,
                responsible=self.text(table, "responsible", where),
                scope=self.text(table, "scope", where),
                units=self.strings(table, "units", where),
                aliases=self.strings(table, "aliases", where),
                keywords=self.strings(table, "keywords", where),
            ))
        return tuple(result)

    def organs(self, data: dict[str, Any]) -> OrganScope | None:
        if "organs" not in data:
            return None
        table = data["organs"]
        where = "[organs] 中"
        if not isinstance(table, dict):
            raise self.fail("“organs”应为 [organs] 表格")
        self.check_keys(table, _ORGAN_KEYS, {"prefixes", "parents", "names"}, where)
        scope = OrganScope(
            place=self.text(table, "place", where),
            prefixes=self.strings(table, "prefixes", where),
            parents=self.strings(table, "parents", where),
            names=self.strings(table, "names", where),
        )
        if not scope.prefixes and not scope.names:
            raise self.fail(f"{where}至少需要一个前缀 prefixes 或机关名称 names")
        return scope

    def unstated(self, data: dict[str, Any], key: str) -> str:
        value = data.get(key, "count")
        if value not in _UNSTATED_RULES:
            raise self.fail(f"字段“{key}”应为 {' 或 '.join(f'“{k}”（{v}）' for k, v in _UNSTATED_RULES.items())}")
        return value

    def other_info(self, data: dict[str, Any]) -> tuple[OtherInfo, ...]:
        result: list[OtherInfo] = []
        codes: set[int] = set()
        for number, table in enumerate(self.tables(data, "other_info"), start=1):
            where = f"第 {number} 项其他核查信息"
            self.check_keys(table, _OTHER_KEYS, set(), where)
            code = self.integer(table, "code", where)
            if code in codes:
                raise self.fail(f"其他核查信息序号 {code} 重复")
            codes.add(code)
            kind = self.text(table, "kind", where)
            if kind not in OTHER_INFO_KINDS:
                raise self.fail(f"{where}的类型“{kind}”未知")
            result.append(OtherInfo(
                code=code,
                kind=kind,
                name=self.text(table, "name", where),
                responsible=self.text(table, "responsible", where),
            ))
        return tuple(result)
