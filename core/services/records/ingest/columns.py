"""Which columns each kind of department file carries, and how headers are matched.

A column is found by its Chinese header or, for penalties, by the national
data-item code (CF_...).  Matching ignores surrounding and inner spaces, case,
and the difference between full-width and half-width punctuation, so
"罚款金额(万元)" and " 罚款金额（万元） " both name the fine.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from core.states import ArrearStatus, DecisionKind, PenaltyStatus, Procedure, Severity

__all__ = [
    "Field",
    "ColumnMap",
    "KINDS",
    "KIND_NAMES",
    "PENALTY_KINDS",
    "fields_for",
    "header_key",
    "match_columns",
    "column_warnings",
]

# Value types understood by rows.py.
TEXT, USCC, CODE, DATE, PERIOD, AMOUNT, WAN, CHOICE, DOMAIN, PENALTY_KIND, NAMES = (
    "text", "uscc", "code", "date", "period", "amount", "wan", "choice", "domain",
    "penalty_kind", "names",
)

# 行政处罚法 art. 9, in the order of the law.
PENALTY_KINDS = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
    "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他",
)


@dataclass(frozen=True)
class Field:
    """One column of an import file.

    ``key`` is the canonical (database) name, ``header`` the Chinese column
    title, ``code`` the national data-item code when there is one.  ``choices``
    and ``default`` apply to choice columns (``default`` None means a blank cell
    is allowed only for optional columns and gives None).
    """

    key: str
    header: str
    kind: str = TEXT
    required: bool = False
    code: str | None = None
    choices: tuple[str, ...] = ()
    default: str | None = None


def _values(states) -> tuple[str, ...]:
    return tuple(s.value for s in states)


def _f(key, header, kind=TEXT, required=False, code=None, choices=(), default=None):
    return Field(key, header, kind, required, code, tuple(choices), default)


_PENALTIES = (
    _f("party_name", "行政相对人名称", TEXT, True, "CF_XDR_MC"),
    _f("party_kind", "行政相对人类别", TEXT, False, "CF_XDR_LB"),
    _f("uscc", "统一社会信用代码", USCC, True, "CF_XDR_SHXYM"),
    _f("reg_no", "工商注册号", CODE, False, "CF_XDR_GSZC"),
    _f("org_code", "组织机构代码", CODE, False, "CF_XDR_ZZJG"),
    _f("tax_no", "税务登记号", CODE, False, "CF_XDR_SWDJ"),
    _f("institution_no", "事业单位证书号", CODE, False, "CF_XDR_SYDW"),
    _f("social_org_no", "社会组织登记证号", CODE, False, "CF_XDR_SHZZ"),
    _f("legal_rep", "法定代表人", TEXT, False, "CF_FRDB"),
    _f("decision_no", "行政处罚决定书文号", TEXT, True, "CF_WSH"),
    _f("violation_type", "违法行为类型", TEXT, False, "CF_WFXW"),
    _f("facts", "违法事实", TEXT, False, "CF_SY"),
    _f("basis", "处罚依据", TEXT, False, "CF_YJ"),
    _f("penalty_kind", "处罚类别", PENALTY_KIND, True, "CF_CFLB"),
    _f("content", "处罚内容", TEXT, False, "CF_NR"),
    _f("fine_amount", "罚款金额（万元）", WAN, False, "CF_NR_FK"),
    _f("confiscated_amount", "没收违法所得、没收非法财物的金额（万元）", WAN, False, "CF_NR_WFFF"),
    _f("license_action", "暂扣或吊销证照名称及编号", TEXT, False, "CF_NR_ZKDX"),
    _f("decision_date", "处罚决定日期", DATE, True, "CF_JDRQ"),
    _f("valid_until", "处罚有效期", DATE, False, "CF_YXQ"),
    _f("publish_until", "公示截止期", DATE, False, "CF_GSJZQ"),
    _f("organ", "处罚机关", TEXT, True, "CF_CFJG"),
    _f("organ_code", "处罚机关统一社会信用代码", CODE, False, "CF_CFJGDM"),
    _f("source_unit", "数据来源单位", TEXT, True, "CF_SJLY"),
    _f("source_unit_code", "数据来源单位统一社会信用代码", CODE, False, "CF_SJLYDM"),
    _f("remark", "备注", TEXT, False, "BZ"),
    _f("domain", "领域", DOMAIN),
    # No silent defaults: a blank cell or an absent column is stored as 未注明 (never guessed as
    # 普通程序 / 给予处罚); the import warns once per column and the report counts them under the
    # profile's unstated_procedure / unstated_decision rule.
    _f("procedure", "程序类型", CHOICE, choices=_values(Procedure), default=Procedure.UNSTATED.value),
    _f("decision_kind", "决定类型", CHOICE, choices=_values(DecisionKind), default=DecisionKind.UNSTATED.value),
    _f("status", "状态", CHOICE, choices=_values(PenaltyStatus), default=PenaltyStatus.IN_FORCE.value),
    # 一般 / 严重 失信 (国家发展改革委令2023年第58号): sets the earliest day of a credit repair; absent
    # or blank: 未注明 (held to the 严重 rule until the unit states it).
    _f("severity", "失信程度", CHOICE, choices=_values(Severity), default=Severity.UNSTATED.value),
)

_ENTERPRISES = (
    _f("uscc", "统一社会信用代码", USCC, True),
    _f("name", "企业名称", TEXT, True),
    _f("legal_rep", "法定代表人"),
    _f("founded_on", "成立日期", DATE),
    _f("address", "住所"),
    _f("reg_authority", "登记机关"),
    _f("reg_status", "登记状态"),
    # Default comes from the USCC (see rows.py), so no static default here.
    _f("kind", "市场主体类型", CHOICE, choices=("企业", "个体工商户", "农民专业合作社")),
    _f("former_names", "曾用名", NAMES),
    _f("source_unit", "数据来源单位"),
)

_ARREARS = (
    _f("uscc", "统一社会信用代码", USCC, True),
    # Choices come from the policy profile (profile.arrears_kinds).
    _f("kind", "欠缴类别", CHOICE, True),
    _f("period", "所属期", PERIOD, True),
    _f("amount", "欠缴金额（元）", AMOUNT, True),
    _f("source_unit", "数据来源单位", TEXT, True),
    _f("status", "状态", CHOICE, True, choices=_values(ArrearStatus)),
    _f("as_of", "统计日期", DATE, True),
)

_REPAIRS = (
    _f("uscc", "统一社会信用代码", USCC, True),
    _f("decision_no", "行政处罚决定书文号", TEXT, True),
    _f("repair_date", "修复日期", DATE, True),
    _f("organ", "修复机关", TEXT, True),
    _f("document_no", "修复文书号", TEXT, True),
    _f("source_unit", "数据来源单位"),
    # The deciding organ of the repaired penalty: needed only when several organs used the same
    # decision number. Not stored with the repair (the penalty keeps it).
    _f("penalty_organ", "处罚机关", TEXT, False, "CF_CFJG"),
)

# 行政强制 (发改财金〔2025〕565号). A decision is identified by 实施机关 and 决定书文号, as a penalty.
_ENFORCEMENT = (
    _f("party_name", "行政相对人名称", TEXT, True),
    _f("uscc", "统一社会信用代码", USCC, True),
    _f("decision_no", "决定书文号", TEXT, True),
    _f("measure", "行政强制类别", TEXT, True),
    _f("content", "行政强制内容"),
    _f("basis", "实施依据"),
    _f("decision_date", "决定日期", DATE, True),
    _f("organ", "实施机关", TEXT, True),
    _f("source_unit", "数据来源单位", TEXT, True),
    _f("status", "状态", CHOICE, choices=_values(PenaltyStatus), default=PenaltyStatus.IN_FORCE.value),
    _f("remark", "备注"),
)

# 严重失信主体名单: one entry per enterprise, 认定部门, 名单名称 and 列入日期; 移出日期 when removed.
_DISHONEST_LISTS = (
    _f("party_name", "主体名称", TEXT, True),
    _f("uscc", "统一社会信用代码", USCC, True),
    _f("list_name", "名单名称", TEXT, True),
    _f("authority", "认定部门", TEXT, True),
    _f("listed_on", "列入日期", DATE, True),
    _f("reason", "列入原因"),
    _f("basis", "认定依据"),
    _f("removed_on", "移出日期", DATE),
    _f("source_unit", "数据来源单位", TEXT, True),
    _f("remark", "备注"),
)

# 刑事裁判（犯罪记录）of a unit: identified by 审判法院 and 案号.
_CRIMINAL = (
    _f("party_name", "被告单位名称", TEXT, True),
    _f("uscc", "统一社会信用代码", USCC, True),
    _f("case_no", "案号", TEXT, True),
    _f("court", "审判法院", TEXT, True),
    _f("judgment_date", "裁判日期", DATE, True),
    _f("charge", "罪名", TEXT, True),
    _f("sentence", "判决结果"),
    _f("source_unit", "数据来源单位", TEXT, True),
    _f("remark", "备注"),
)

_FIELDS: dict[str, tuple[Field, ...]] = {
    "enterprises": _ENTERPRISES,
    "penalties": _PENALTIES,
    "arrears": _ARREARS,
    "repairs": _REPAIRS,
    "enforcement": _ENFORCEMENT,
    "dishonest_lists": _DISHONEST_LISTS,
    "criminal": _CRIMINAL,
}

KINDS = tuple(_FIELDS)
KIND_NAMES = {
    "enterprises": "市场主体",
    "penalties": "行政处罚",
    "arrears": "欠缴信息",
    "repairs": "信用修复",
    "enforcement": "行政强制",
    "dishonest_lists": "严重失信主体名单",
    "criminal": "刑事裁判",
}


def fields_for(kind: str) -> tuple[Field, ...]:
    """The columns of one import kind; ValueError (Chinese) for an unknown kind."""
    try:
        return _FIELDS[kind]
    except KeyError:
        raise ValueError(f"未知的导入类型：{kind}（应为 {'、'.join(KINDS)}）") from None


def header_key(text: object) -> str:
    """Comparable form of a header: NFKC-folded, no whitespace, upper case."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(folded.split()).upper()


@dataclass(frozen=True)
class ColumnMap:
    """Where each canonical field sits in a file.

    ``index`` maps key → column position; ``header`` maps key → the header as
    written in the file (or the standard Chinese name when the column is absent);
    ``missing`` lists the standard Chinese names of absent required columns.
    """

    index: dict[str, int]
    header: dict[str, str]
    missing: tuple[str, ...]
    unknown: tuple[str, ...] = ()  # headers that name no field (shown to the user as warnings)
    repeated: tuple[str, ...] = ()  # headers naming a field an earlier column already gave


def _lookup(kind: str) -> dict[str, Field]:
    table: dict[str, Field] = {}
    for field in fields_for(kind):
        table[header_key(field.header)] = field
        if field.code:
            table[header_key(field.code)] = field
    return table


_LOOKUPS = {kind: _lookup(kind) for kind in KINDS}


def match_columns(kind: str, headers: tuple[str, ...]) -> ColumnMap:
    """Map the file's headers onto the fields of ``kind``; unknown columns are ignored.

    When a field appears twice (say once by name and once by code) the first
    column wins.
    """
    fields = fields_for(kind)
    lookup = _LOOKUPS[kind]
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for position, title in enumerate(headers):
        shown = "" if title is None else str(title).strip()
        field = lookup.get(header_key(title))
        if field is None:
            if shown:
                unknown.append(shown)
        elif field.key not in index:
            index[field.key] = position
            header[field.key] = shown
        else:
            repeated.append(shown)
    for field in fields:
        header.setdefault(field.key, field.header)
    missing = tuple(f.header for f in fields if f.required and f.key not in index)
    return ColumnMap(index=index, header=header, missing=missing,
                     unknown=tuple(unknown), repeated=tuple(repeated))


def _shown(text: str) -> str:
    """A header safe to print: control and format characters become \\uXXXX escapes."""
    return "".join(
        f"\\u{ord(ch):04x}" if unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in text
    )


def column_warnings(mapping: ColumnMap) -> tuple[tuple[str, str], ...]:
    """(column, reason) for every column the import leaves aside."""
    found = [(_shown(h), f"未识别的列「{_shown(h)}」已忽略") for h in mapping.unknown]
    found += [(_shown(h), f"重复的列「{_shown(h)}」已忽略（以前面的同名列为准）") for h in mapping.repeated]
    return tuple(found)
