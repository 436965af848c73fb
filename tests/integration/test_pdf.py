"""The issued report as a PDF: what a clerk or a receiving unit would check on it."""
from __future__ import annotations

import random
import re
from datetime import date, datetime
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
import zxingcpp

from core import uscc
from core.domain import (
    ArrearItem, DomainConclusion, EnterpriseInfo, IssueInfo, RepairItem, ReportContent, Violation,
)
from core.policy import load_profile
from core.services.reports.render import font_paths, qr_matrix, render_pdf
from core.services.reports.render.fonts import uncovered

REPORT_NO = "SZ-2026-00001234"
ISSUED = datetime(2026, 11, 27, 9, 41, 5)
PERIOD = (date(2023, 11, 27), date(2026, 11, 27))
ORGANS = {4: "苏州市生态环境局", 7: "苏州工业园区综合行政执法局（苏州工业园区城市管理局）",
          15: "苏州市吴中区市场监督管理局", 19: "国家税务总局苏州市吴中区税务局第一税务分局"}


def make_issue(seed: int = 1) -> IssueInfo:
    rng = random.Random(seed)
    return IssueInfo(
        report_no=REPORT_NO, issued_at=ISSUED, valid_until=date(2026, 12, 27), purpose="招投标",
        issuer="苏州市信用服务中心", counter="吴中区政务服务中心 3 号窗口",
        qr_digits="".join(rng.choice("0123456789") for _ in range(290)),
    )


def make_violations(count: int, repaired: int = 0) -> list[Violation]:
    domains = sorted(ORGANS)
    result = []
    for i in range(count):
        domain = domains[i % len(domains)]
        day = date(2024, 1, 1) + (date(2026, 6, 1) - date(2024, 1, 1)) * i // max(count, 1)
        long_no = i % 5 == 1
        result.append(Violation(
            decision_no=(f"苏园综执罚决字〔{day.year}〕第{i + 1:08d}号行政处罚决定书" if long_no
                         else f"苏环行罚〔{day.year}〕{100 + i}号"),
            domain=domain, decision_date=day, organ=ORGANS[domain],
            penalty_kind="罚款" if i % 3 else "警告；罚款",
            content=f"未按规定执行环境影响评价制度，罚款人民币{(i + 1) * 1000}元",
            fine_amount=Decimal(i + 1) / 10, source_unit=ORGANS[domain],
            repaired=i < repaired, repair_date=date(2026, 3, i + 1) if i < repaired else None,
        ))
    return result


def make_content(name: str = "苏州恒达精密机械有限公司", violations: int = 0, repaired: int = 0,
                 arrears: int = 0, repairs: int = 0, former: tuple[str, ...] = ()) -> ReportContent:
    profile = load_profile("suzhou-2024")
    found = make_violations(violations, repaired)
    per_domain = {d.code: sum(1 for v in found if v.domain == d.code) for d in profile.domains}
    kinds = [("社会保险", "苏州市人力资源和社会保障局"), ("住房公积金", "苏州市住房公积金管理中心")]
    return ReportContent(
        profile_id=profile.id, report_date=PERIOD[1], period_from=PERIOD[0], period_to=PERIOD[1],
        enterprise=EnterpriseInfo(
            uscc=uscc.generate(random.Random(3), division="320506"), name=name,
            former_names=former, legal_rep="张伟", founded_on=date(2012, 5, 8),
            address="苏州市吴中区木渎镇金枫南路1258号2幢", division="320506",
            reg_authority="苏州市吴中区市场监督管理局", reg_status="存续", kind="企业",
        ),
        domains=tuple(DomainConclusion(d.code, d.name, d.responsible, per_domain[d.code])
                      for d in profile.domains),
        violations=tuple(found),
        arrears=tuple(ArrearItem(kinds[i % 2][0], f"2026-0{i + 7}", Decimal("12345.6") * (i + 1),
                                 kinds[i % 2][1], date(2026, 10, 31)) for i in range(arrears)),
        repairs=tuple(RepairItem(v.decision_no, v.repair_date, "苏州市发展和改革委员会",
                                 f"苏发改信修〔2026〕{i + 11}号")
                      for i, v in enumerate(found[:repairs])),
    )


def render(content: ReportContent, issue: IssueInfo | None = None) -> bytes:
    return render_pdf(content, issue or make_issue(), load_profile("suzhou-2024"))


def page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [page.get_textpage().get_text_range() for page in pdf]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_font_is_embedded_and_only_shipped_fonts_are_used():
    data = render(make_content(violations=8, repaired=2, arrears=2, repairs=2))
    fonts = re.findall(rb"/BaseFont\s*/([^\s/>]+)", data)
    descriptors = data.count(b"/Type /FontDescriptor")
    assert fonts, "the PDF names no fonts"
    assert all(re.fullmatch(rb"[A-Z]{6}\+\S+", f) for f in fonts), fonts  # subset-embedded
    assert descriptors and data.count(b"/FontFile2") == descriptors
    assert b"Helvetica" not in data and b"Times" not in data
    assert set(font_paths()) and all(p.is_file() for p in font_paths().values())


def test_the_report_names_the_enterprise_code_and_number():
    content = make_content(former=("苏州恒达机械厂",))
    text = flat("".join(page_texts(render(content))))
    for expected in ("专用信用报告", "（代替企业无违法证明）", content.enterprise.name,
                     content.enterprise.uscc, REPORT_NO, "苏州恒达机械厂",
                     "2023年11月27日至2026年11月27日", "招投标", "有效期至：2026年12月27日",
                     "经核查，该企业在所选20个领域、查询期间内无违法记录，无参保欠缴及住房公积金欠缴信息。",
                     "查询期间内所选领域无违法记录。", "简易程序", "谁提供谁负责", "苏州市信用服务中心"):
        assert flat(expected) in text, expected


def test_records_are_listed_with_counts_and_repair_marks():
    content = make_content(violations=8, repaired=2, arrears=2, repairs=2)
    text = flat("".join(page_texts(render(content))))
    assert "有违法记录8条（涉及4个领域，其中2条已信用修复）" in text
    assert "有参保欠缴信息1条" in text and "有住房公积金欠缴信息1条" in text
    assert "已信用修复（2026-03-01）" in text and "已信用修复（2026-03-02）" in text
    assert "12,345.60" in text and "24,691.20" in text
    assert "苏发改信修〔2026〕12号" in text
    for v in content.violations:
        assert flat(v.decision_no) in text


def test_long_violation_table_repeats_its_header_and_numbers_every_page():
    data = render(make_content(violations=200, repaired=20))
    texts = [flat(t) for t in page_texts(data)]
    total = len(texts)
    assert total >= 5
    with_rows = [t for t in texts if "苏环行罚〔" in t]
    assert len(with_rows) >= 4
    assert all("处罚决定书文号" in t and "处罚机关" in t for t in with_rows)
    for number, text in enumerate(texts, start=1):
        assert f"第{number}页共{total}页" in text
        assert REPORT_NO in text
    assert "苏环行罚〔2026〕299号" in texts[-1] or "苏环行罚〔2026〕299号" in texts[-2]  # the last row


def test_same_input_gives_the_same_bytes():
    content = make_content(violations=8, repaired=2, arrears=2, repairs=2)
    first, second = render(content), render(content)
    assert first == second
    assert render(content, make_issue(seed=2)) != first


def test_the_qr_code_on_page_one_scans_back_to_the_signed_digits():
    issue = make_issue()
    page = pdfium.PdfDocument(render(make_content(violations=200), issue))[0]
    image = page.render(scale=150 / 72).to_pil()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert [r.text for r in found] == [issue.qr_digits]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode


def test_qr_matrix_is_square_and_refuses_non_digits():
    matrix = qr_matrix(make_issue().qr_digits)
    assert len(matrix) == len(matrix[0]) and len(matrix) % 4 == 1
    assert matrix[0][:7] == [True] * 7  # finder pattern starts at the corner: no border
    with pytest.raises(ValueError):
        qr_matrix("12AB")


def test_names_beyond_gb2312_print_with_the_fallback_font():
    name = "苏州喆昇堃科技有限公司"  # 喆, 昇 and 堃 are GBK but not GB2312
    assert uncovered(name) == ""
    text = flat("".join(page_texts(render(make_content(name=name)))))
    assert name in text
    assert uncovered("苏州\U0002EBF0科技") == "\U0002EBF0"  # beyond every shipped font: the counter is told
