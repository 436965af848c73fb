"""The flowables of the report body, one builder per section, in reading order."""
from __future__ import annotations

from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, Table, TableStyle

from core.domain import ArrearItem, IssueInfo, ReportContent, Violation
from core.policy import Profile
from core.services.reports.period import Period
from core.services.reports.violations import unstated_mark
from core.services.reports.render.fonts import HEI, SONG, markup
from core.services.reports.render.marks import QrCode
from core.services.reports.render.qr import qr_text
from core.services.reports.render.wrap import shortened, unbroken
from core.services.reports.render.styles import (
    ALERT, CAPTION, CAPTION_SMALL, CELL, CELL_CENTRE, CELL_HEAD, CELL_RIGHT, CONTENT_WIDTH,
    HEAD_FILL, HEADING, LABEL, META, NOTE_FILL, RULE, SUBHEADING, SUBTITLE, SUMMARY, TITLE,
    VALUE, BODY, cn_date, grid_style, para, rich, yuan,
)

NUMERALS = "一二三四五六七八九十"
QR_CAPTION = "手机扫码核验"  # the code opens the verification page; a counter's scanner reads it too
HOUSING = "housing_fund_arrears"
SOCIAL = "social_insurance_arrears"
REPAIR = "credit_repair"
NO_VIOLATIONS = "查询期间内所选领域无违法记录。"
CELL_PADDING = 6  # left + right padding of a grid cell (grid_style), in points
FACTS_LIMIT = 80  # characters of 违法事实 printed; the rest is cut at a clause end with …
BASIS_LIMIT = 120
STALE_MARK = "（数据逾期未更新）"
# Per kind of 市场主体 (USCC position 2: 91 企业, 92 个体工商户, 93 农民专业合作社): how the report
# names it, the label of its representative and of its address.
SUBJECT = {"个体工商户": "该个体工商户", "农民专业合作社": "该合作社"}
REPRESENTATIVE = {"个体工商户": "经营者"}
PREMISES = {"个体工商户": "经营场所"}


def subject(content: ReportContent) -> str:
    """How sentences name the subject of the report: 该企业, 该个体工商户, 该合作社."""
    return SUBJECT.get(content.enterprise.kind, "该企业")


def counter_name(counter: str) -> str | None:
    """The 出具窗口 to print: the counter's name as given at first run or configured
    (吴中区政务服务中心 3 号窗口); nothing for a counter that has not been named."""
    from core.config import UNNAMED_COUNTER

    name = " ".join((counter or "").split())
    return name if name and name != UNNAMED_COUNTER else None


def decision_cell(decision_no: str, width_mm: float) -> Flowable:
    """A decision number in a table cell `width_mm` wide: never broken inside 〔…〕 or digits."""
    return rich(unbroken(decision_no, SONG, CELL.fontSize, width_mm * mm - CELL_PADDING), CELL)


def heading(number: int, title: str) -> list[Flowable]:
    """A numbered section heading that never ends a page: it needs room for what follows."""
    return [CondPageBreak(35 * mm), para(f"{NUMERALS[number - 1]}、{title}", HEADING)]


def is_housing(item: ArrearItem) -> bool:
    return "公积金" in item.kind


def head_block(issue: IssueInfo, profile: Profile | None = None) -> list[Flowable]:
    """Title, subtitle, the report's number and dates, and the QR code at the right."""
    meta = [
        para(f"报告编号：{issue.report_no}", META),
        para(f"出具日期：{cn_date(issue.issued_at.date())}", META),
        para(f"有效期至：{cn_date(issue.valid_until)}", META),
        para(f"出具单位：{issue.issuer}", META),
    ]
    counter = counter_name(issue.counter)
    if counter:
        meta.append(para(f"出具窗口：{counter}", META))
    code = [QrCode(qr_text(issue)), para(QR_CAPTION if issue.verify_host else "扫码核验", CAPTION), para(issue.report_no, CAPTION_SMALL)]
    qr_width = code[0].width + 4 * mm
    table = Table([[meta, code]], colWidths=[CONTENT_WIDTH - qr_width, qr_width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SONG),
        ("VALIGN", (0, 0), (0, 0), "MIDDLE"),
        ("VALIGN", (1, 0), (1, 0), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, RULE),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
    ]))
    title = profile.title if profile else "专用信用报告"
    subtitle = profile.subtitle if profile else "（代替企业无违法证明）"
    return [para(title, TITLE), *([para(subtitle, SUBTITLE)] if subtitle else []), table]


def _labelled(rows: list[tuple[str, str] | tuple[str, str, str, str]]) -> Table:
    """A two- or four-column table of shaded labels and their values."""
    widths = [32 * mm, 55 * mm, 26 * mm, 57 * mm]
    data, spans = [], []
    for index, row in enumerate(rows):
        cells = [para(text, LABEL if i % 2 == 0 else VALUE) for i, text in enumerate(row)]
        if len(row) == 2:
            cells += ["", ""]
            spans.append(("SPAN", (1, index), (3, index)))
        data.append(cells)
    table = Table(data, colWidths=widths)
    style = grid_style(0)
    for command in spans:
        style.add(*command)
    style.add("BACKGROUND", (0, 0), (0, -1), HEAD_FILL)
    for index, row in enumerate(rows):
        if len(row) == 4:
            style.add("BACKGROUND", (2, index), (2, index), HEAD_FILL)
    table.setStyle(style)
    return table


def enterprise_section(content: ReportContent) -> list[Flowable]:
    ent = content.enterprise
    company = ent.kind == "企业"
    rows = [
        ("企业名称" if company else "名称", ent.name),
        ("统一社会信用代码", ent.uscc, "市场主体类型", ent.kind or "—"),
        (REPRESENTATIVE.get(ent.kind, "法定代表人"), ent.legal_rep or "—", "登记状态",
         ent.reg_status or "—"),
        ("成立日期", cn_date(ent.founded_on) if ent.founded_on else "—", "登记机关",
         ent.reg_authority or "—"),
        (PREMISES.get(ent.kind, "住所"), ent.address or "—"),
    ]
    if ent.former_names:
        rows.append(("曾用名", "；".join(ent.former_names)))
    return [*heading(1, "企业基本信息" if company else "市场主体基本信息"), _labelled(rows)]


def period_text(content: ReportContent) -> str:
    """Both dates, both included; named 近N年 only when the window is exactly that preset."""
    dates = f"{cn_date(content.period_from)}至{cn_date(content.period_to)}"
    label = Period(content.period_from, content.period_to).label
    return f"{label}（{dates}）" if label else dates


def scope_section(content: ReportContent, issue: IssueInfo, profile: Profile) -> list[Flowable]:
    names = "、".join(d.name for d in content.domains)
    rows = [
        ("核查领域", f"{names}（共 {len(content.domains)} 个领域）"),
        ("未核查领域", unchecked_text(content, profile)),
        ("查询期间", period_text(content)),
        ("报告用途", issue.purpose),
        ("出具依据", profile.cited_basis),
    ]
    return [*heading(2, "报告范围"), _labelled(rows)]


def unchecked_text(content: ReportContent, profile: Profile) -> str:
    """The profile's domains this report does not cover: it says nothing about them."""
    chosen = set(content.domain_codes)
    left = [d.name for d in profile.domains if d.code not in chosen]
    if not left:
        return "无（已核查全部领域）"
    return f"{'、'.join(left)}（共 {len(left)} 个领域，本报告不反映这些领域的情况）"


def summary_sentence(content: ReportContent, profile: Profile) -> str:
    """One sentence saying what the report found; counts when there are records."""
    count = len(content.domains)
    parts = []
    violations = content.violations
    if not violations:
        parts.append(f"{subject(content)}在所选 {count} 个领域、查询期间内无违法记录")
    else:
        touched = len({v.domain for v in violations})
        repaired = sum(1 for v in violations if v.repaired)
        extra = f"，其中 {repaired} 条{profile.repaired_label}" if repaired else ""
        disputed = sum(1 for v in violations if v.objection and v.objection.under_review)
        extra += f"，{disputed} 条异议处理中" if disputed else ""
        parts.append(f"{subject(content)}在所选 {count} 个领域、查询期间内有违法记录 {len(violations)} 条"
                     f"（涉及 {touched} 个领域{extra}）")
    parts.extend(record_phrases(content, profile))
    kinds = {o.kind for o in profile.other_info}
    social = sum(1 for a in content.arrears if not is_housing(a))
    housing = sum(1 for a in content.arrears if is_housing(a))
    if SOCIAL in kinds and HOUSING in kinds and not social and not housing:
        parts.append("无参保欠缴及住房公积金欠缴信息")
    else:
        if SOCIAL in kinds:
            parts.append(f"有参保欠缴信息 {social} 条" if social else "无参保欠缴信息")
        if HOUSING in kinds:
            parts.append(f"有住房公积金欠缴信息 {housing} 条" if housing else "无住房公积金欠缴信息")
    found = (violations or content.arrears or content.enforcements or content.listings
             or content.criminal)
    tail = "，详见下文" if found else ""
    return "经核查，" + "，".join(parts) + tail + "。"


def record_phrases(content: ReportContent, profile: Profile) -> list[str]:
    """What the summary says of each 565号 record kind the profile carries, in its order."""
    found = {"enforcement": content.enforcements, "dishonest_lists": content.listings,
             "criminal": content.criminal}
    parts = []
    for kind in profile.record_kinds:
        if kind not in found:
            continue
        name = profile.section_title(kind)
        count = len(found[kind])
        if kind in content.unsourced and not count:
            parts.append(f"{name}暂无数据来源")
        elif kind == "dishonest_lists" and count:
            removed = sum(1 for x in content.listings if x.removed_on)
            extra = f"，其中 {removed} 条已移出" if removed else ""
            parts.append(f"有{name} {count} 条（查询期间内曾列入{extra}）")
        else:
            parts.append(f"有{name} {count} 条" if count else f"无{name}")
    return parts


def conclusion_section(content: ReportContent, profile: Profile) -> list[Flowable]:
    box = Table([[para(summary_sentence(content, profile), SUMMARY)]], colWidths=[CONTENT_WIDTH])
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), SONG),
        ("BACKGROUND", (0, 0), (-1, -1), NOTE_FILL),
        ("BOX", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
    ]))
    header = ["序号", "领域", "核查结论", "责任单位", "数据更新至"]
    rows = [[para(h, CELL_HEAD) for h in header]]
    for d in content.domains:
        found = d.violations > 0
        verdict = (rich(f'<font name="{HEI}" color="{ALERT.hexval()}">{markup(d.conclusion, HEI)}'
                        "</font>", CELL_CENTRE) if found else para(d.conclusion, CELL_CENTRE))
        rows.append([para(str(d.code), CELL_CENTRE), para(d.name, CELL_CENTRE), verdict,
                     para(d.responsible, CELL),
                     para(d.data_as_of.isoformat() if d.data_as_of else "—", CELL_CENTRE)])
    table = Table(rows, colWidths=[w * mm for w in (12, 32, 28, 76, 22)], repeatRows=1)
    table.setStyle(grid_style())
    return [*heading(3, "核查结论"), box, Spacer(1, 3 * mm), table]


def violations_section(content: ReportContent, profile: Profile) -> list[Flowable]:
    flow: list[Flowable] = heading(4, "违法记录明细")
    if not content.violations:
        return [*flow, para(NO_VIOLATIONS, BODY)]
    names = {d.code: d.name for d in profile.domains}
    header = ["序号", "领域", "处罚决定书文号", "决定日期", "处罚机关", "处罚类别", "处罚内容", "信用修复"]
    rows = [[para(h, CELL_HEAD) for h in header]]
    for index, v in enumerate(content.violations, start=1):
        mark = "—"
        if v.repaired:
            when = f"<br/>（{v.repair_date.isoformat()}）" if v.repair_date else ""
            mark = f"{markup(profile.repaired_label, SONG)}{when}"
        kinds = "；<br/>".join(markup(k, SONG) for k in v.penalty_kind.split("；"))
        content_text = v.content or (f"罚款 {v.fine_amount.normalize():f} 万元"
                                     if v.fine_amount else "—")
        rows.append([
            para(str(index), CELL_CENTRE), para(names.get(v.domain, str(v.domain)), CELL_CENTRE),
            decision_cell(v.decision_no, VIOLATION_WIDTHS[2]), para(v.decision_date.isoformat(), CELL_CENTRE),
            para(v.organ, CELL), rich(kinds, CELL_CENTRE),
            para(content_text + unstated_mark(v.unstated), CELL),  # （程序类型未注明）
            rich(mark, CELL_CENTRE),
        ])
        rows.append(["", details_cell(v), *[""] * 6])  # under the record, beside its 序号
    table = Table(rows, colWidths=[w * mm for w in VIOLATION_WIDTHS], repeatRows=1)
    style = grid_style()
    for row in range(1, len(rows), 2):  # each record and its details: one numbered block
        style.add("SPAN", (0, row), (0, row + 1))
        style.add("SPAN", (1, row + 1), (-1, row + 1))
        style.add("NOSPLIT", (0, row), (-1, row + 1))
    table.setStyle(style)
    return [*flow, table]


VIOLATION_WIDTHS = (9, 16, 30, 19, 26, 15, 30, 25)


def details_cell(v: Violation) -> Flowable:
    """违法行为类型, 违法事实 (shortened) and 处罚依据 of one record, on the row under it."""
    items = (("违法行为类型", v.violation_type), ("违法事实", shortened(v.facts, FACTS_LIMIT)),
             ("处罚依据", shortened(v.basis, BASIS_LIMIT)))
    text = "；".join(f'<font name="{HEI}">{label}：</font>{markup(text or "未提供", SONG)}'
                    for label, text in items)
    return rich(objection_line(v) + text, CELL)


def objection_line(v: Violation) -> str:
    """The record's objection mark on a line of its own above its details ("" without one):
    异议处理中（…受理） in the alert colour, the 无法确认 note in plain bold."""
    mark = v.objection
    if mark is None:
        return ""
    colour = f' color="{ALERT.hexval()}"' if mark.under_review else ""
    return f'<font name="{HEI}"{colour}>{markup(mark.text, HEI)}</font><br/>'


def is_stale(item: ArrearItem, report_date: date, fresh_days: int) -> bool:
    """Whether the unit's data for this row is older than the profile allows on the report date."""
    return (report_date - item.as_of).days > fresh_days


def _arrears_table(items: list[ArrearItem], report_date: date, fresh_days: int) -> Flowable:
    header = ["序号", "欠缴类型", "欠缴期间", "欠缴金额（元）", "数据来源单位", "数据截至"]
    rows = [[para(h, CELL_HEAD) for h in header]]
    for index, a in enumerate(items, start=1):
        rows.append([
            para(str(index), CELL_CENTRE), para(a.kind, CELL_CENTRE), para(a.period, CELL_CENTRE),
            para(yuan(a.amount), CELL_RIGHT), para(a.source_unit, CELL),
            rich(markup(a.as_of.isoformat()) + (
                f'<br/><font name="{HEI}" color="{ALERT.hexval()}">{STALE_MARK}</font>'
                if is_stale(a, report_date, fresh_days) else ""), CELL_CENTRE),
        ])
    table = Table(rows, colWidths=[w * mm for w in (9, 22, 22, 28, 54, 35)], repeatRows=1)
    table.setStyle(grid_style())
    return table


def _repairs_table(content: ReportContent) -> Flowable:
    header = ["序号", "处罚决定书文号", "修复日期", "修复机关", "修复决定文书号"]
    rows = [[para(h, CELL_HEAD) for h in header]]
    for index, r in enumerate(content.repairs, start=1):
        rows.append([
            para(str(index), CELL_CENTRE), decision_cell(r.decision_no, 45),
            para(r.repair_date.isoformat(), CELL_CENTRE), para(r.organ, CELL),
            para(r.document_no, CELL),
        ])
    table = Table(rows, colWidths=[w * mm for w in (9, 45, 22, 48, 46)], repeatRows=1)
    table.setStyle(grid_style())
    return table


def other_section(content: ReportContent, profile: Profile, number: int = 5) -> list[Flowable]:
    """其他核查信息: arrears and credit repairs, in the order of the profile."""
    flow: list[Flowable] = heading(number, "其他核查信息")
    for number, info in enumerate(sorted(profile.other_info, key=lambda o: o.code), start=1):
        flow.append(CondPageBreak(25 * mm))
        flow.append(rich(f'<font name="{SONG}">（{NUMERALS[number - 1]}）</font>'
                         f"{markup(info.name, HEI)}", SUBHEADING))
        if info.kind == REPAIR:
            body = _repairs_table(content) if content.repairs else None
        else:
            wanted = info.kind == HOUSING
            items = [a for a in content.arrears if is_housing(a) == wanted]
            body = (_arrears_table(items, content.report_date, profile.arrears_fresh_days)
                    if items else None)
        flow.append(body if body is not None else para("无", BODY))
    return flow
