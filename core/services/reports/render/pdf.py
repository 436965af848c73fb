"""render_pdf: an issued report (专用信用报告, 专项信用报告 … as the profile names it) as an A4 PDF, the same bytes for the same input."""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, KeepTogether, PageTemplate, Spacer

from core.domain import IssueInfo, ReportContent
from core.policy import Profile
from core.services.reports.render.fonts import SONG, font_paths
from core.services.reports.render.marks import SignatureBlock
from core.services.reports.render.notes import notes_section
from core.services.reports.render.page import PageMarks, canvas_maker
from core.services.reports.render.records import record_sections, section_count
from core.services.reports.render.sections import (
    conclusion_section, enterprise_section, head_block, other_section, scope_section,
    violations_section,
)
from core.services.reports.render.styles import (
    CONTENT_WIDTH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH,
    SIGN, cn_date, para,
)

CREATOR = "CreditDesk 信用报告窗口"
END_MARK = "（以下空白）"  # nothing may be added below the seal


def _story(content: ReportContent, issue: IssueInfo, profile: Profile) -> list:
    extra = section_count(profile)  # the 565号 record kinds the profile carries, after 违法记录
    story = [
        *head_block(issue, profile),
        *enterprise_section(content),
        *scope_section(content, issue, profile),
        *conclusion_section(content, profile),
        *violations_section(content, profile),
        *record_sections(content, profile, 5),
        *other_section(content, profile, 5 + extra),
    ]
    notes = notes_section(6 + extra, content, issue, profile)
    signature = SignatureBlock(issue.issuer, cn_date(issue.issued_at.date()))
    # The seal never stands alone on a page: the last note goes with it; the end mark follows.
    return [*story, *notes[:-1], KeepTogether([notes[-1], Spacer(1, 4 * mm), signature,
                                               Spacer(1, 3 * mm), para(END_MARK, SIGN)])]


def render_pdf(content: ReportContent, issue: IssueInfo, profile: Profile) -> bytes:
    """The report as PDF bytes: fonts embedded as subsets, no clock or machine state inside."""
    font_paths()
    buffer = io.BytesIO()
    marks = PageMarks(content, issue, profile.heading)
    doc = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=f"{profile.title} {issue.report_no}",
        author=issue.issuer,
        subject=f"{content.enterprise.name}（{content.enterprise.uscc}）",
        creator=CREATOR,
        keywords=[issue.report_no, content.enterprise.uscc, profile.document],
        invariant=1,
        initialFontName=SONG,
        lang="zh-CN",
    )
    frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, CONTENT_WIDTH,
                  PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("report", frames=[frame], onPage=marks.watermark)])
    doc.build(_story(content, issue, profile), canvasmaker=canvas_maker(marks))
    return buffer.getvalue()
