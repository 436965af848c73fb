"""The explanatory notes (说明) printed at the end of every report, derived from the profile."""
from __future__ import annotations

from reportlab.platypus import Flowable

from core.domain import UNCONFIRMED_NOTE, IssueInfo, ReportContent
from core.policy import Profile
from core.services.reports.render.records import SECTION_KINDS
from core.services.reports.render.sections import heading, period_text
from core.services.reports.render.styles import NOTE, cn_date, para


def _exclusions(profile: Profile) -> str:
    parts = []
    procedures = "、".join(sorted(profile.excluded_procedures))
    decisions = "、".join(sorted(profile.excluded_decisions))
    if procedures:
        parts.append(f"依据{procedures}作出的行政处罚")
    if decisions:
        parts.append(f"已依法作出{decisions}决定的")
    if not parts:
        return "各类程序作出的行政处罚均列入违法记录。"
    return "，以及".join(parts) + "，不列入违法记录。"


def _sources(profile: Profile) -> str:
    others = "；".join(f"{o.name}由{o.responsible}提供" for o in profile.other_info)
    tail = f"；{others}" if others else ""
    return (f"数据来源：各领域的行政处罚信息由上表所列责任单位提供{tail}。"
            "按照“谁生成谁提供，谁提供谁负责”的原则，数据提供单位对所提供数据的真实性、"
            "准确性、全面性负责。“核查结论”表中的“数据更新至”是该领域责任单位最近一次向平台报送"
            "行政处罚数据的日期，此后作出的处罚可能尚未归集；“—”表示平台尚未收到该领域的报送数据。")


def note_texts(content: ReportContent, issue: IssueInfo, profile: Profile) -> list[str]:
    """The notes as plain sentences, in order."""
    basis = profile.basis or f"《{profile.name}》（{profile.document}）"
    texts = [
        f"本报告依据{basis}出具，{profile.purpose_note}",
        f"{profile.records_note}{_exclusions(profile)}",
        f"本报告的查询期间为{period_text(content)}，起止日均计算在内，以处罚决定日期为准。"
        f"查询期间一律截至出具日，最长为 {profile.max_years} 年。"
        f"平台归集{cn_date(profile.data_start)}以来的行政处罚等信息，此前的记录不在核查范围内。",
        f"标注“{profile.repaired_label}”的行政处罚已按规定完成信用修复，修复情况见“其他核查信息”。"
        "参保欠缴及住房公积金欠缴信息以数据来源单位提供的截至日期（“数据截至”）为准；"
        f"数据截至日期早于出具日 {profile.arrears_fresh_days} 天以上的，标注“数据逾期未更新”，"
        "该条信息可能已有变化，请以数据来源单位的最新信息为准。",
        _sources(profile),
        f"本报告自出具之日起至{cn_date(issue.valid_until)}有效，仅反映出具时平台归集的信息。"
        + verification_note(issue),
        "企业对报告内容有异议的，可向出具窗口或数据提供单位提出异议申诉；"
        "对已完成整改的行政处罚，可按规定申请信用修复。",
    ]
    disputed = objection_note(content)
    if disputed:
        texts.insert(-1, disputed)
    kinds = record_kinds_note(profile, content)
    if kinds:
        texts.insert(3, kinds)
    return texts


def verification_note(issue: IssueInfo) -> str:
    """How to verify, promising only what each reader can do: a phone opens the issuer's web page
    (the host is not signed, so the reader is told to check it); a counter's scanner checks the
    signature offline; neither reads the full text from the code, which carries a digest of it."""
    carries = ("二维码载有报告编号、统一社会信用代码、有效期、违法记录条数等要点及出具单位的数字签名，"
               "不载有报告全文：报告内容是否被改动，应与出具单位存档的报告原件对照确认。"
               "也可凭报告编号向出具窗口查询存档。")
    if not issue.verify_host:
        return "核验方式：在政务服务窗口用扫码枪扫描首页二维码核验。" + carries
    return (f"核验方式：用手机扫描首页二维码，打开出具单位的核验网页（HTTPS://{issue.verify_host}），"
            "可查看核验结论，有效的报告可查看存档的报告原件；请确认手机打开的是出具单位公布的核验网址，"
            "其他网址的页面不能作为核验依据。在政务服务窗口用扫码枪扫描同一二维码亦可核验。" + carries)


def objection_note(content: ReportContent) -> str | None:
    """What the objection marks mean, on reports that carry one; None otherwise."""
    marks = [v.objection for v in content.violations if v.objection]
    if not marks:
        return None
    text = ""
    if any(m.under_review for m in marks):
        text += ("标注“异议处理中”的记录，企业已对其提出异议并已受理（括号内为受理日期），"
                 "核查尚未完结，该记录的最终情况以异议处理结果为准。")
    if any(not m.under_review for m in marks):
        text += (f"标注“{UNCONFIRMED_NOTE}”的记录，企业提出的异议经平台及数据提供单位核查，"
                 "既不能确认该记录有误，也不能确认其无误。")
    return text


def record_kinds_note(profile: Profile, content: ReportContent) -> str | None:
    """What the 565号 record kinds the profile carries mean on the report; None without them."""
    names = [profile.section_title(k) for k in profile.record_kinds if k in SECTION_KINDS]
    if not names:
        return None
    text = (f"{'、'.join(names)}不区分领域，列出查询期间内的记录（以决定或裁判日期为准）。")
    if profile.carries("dishonest_lists"):
        text += ("严重失信主体名单信息列出查询期间内任一日处于列入状态的名单，已移出的标注“已移出”"
                 "及移出日期。")
    if content.unsourced:
        text += "“暂无数据来源”表示平台尚未归集该类信息，本报告不反映该类情况，不等于无记录。"
    return text


def notes_section(number: int, content: ReportContent, issue: IssueInfo,
                  profile: Profile) -> list[Flowable]:
    texts = note_texts(content, issue, profile)
    return [*heading(number, "说明"), *(para(f"{i}. {t}", NOTE) for i, t in enumerate(texts, 1))]
