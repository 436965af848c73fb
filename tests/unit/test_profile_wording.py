"""Profile data for titles, basis, repaired label and record kinds; examples are never loaded."""
from __future__ import annotations


import pytest

from core.policy import PolicyError, available_profiles, load_profile, load_profile_file, policy_dir


def test_suzhou_and_national_wording():
    suzhou, national = load_profile("suzhou-2024"), load_profile("national-2025")
    assert (suzhou.title, suzhou.subtitle, suzhou.repaired_label) == ("专用信用报告", "（代替企业无违法证明）", "已信用修复")
    assert (national.title, national.subtitle, national.repaired_label) == ("专项信用报告", "", "已修复")
    assert national.cited_basis.count("发改财金〔2025〕565号") == 1
    assert "以专项信用报告替代有无违法违规记录证明" in national.cited_basis
    assert suzhou.record_kinds == ("penalties", "arrears", "repairs")
    assert {"enforcement", "dishonest_lists", "criminal"} <= set(national.record_kinds)


def test_the_jiangsu_example_is_documented_but_never_offered(tmp_path):
    assert (policy_dir() / "jiangsu-2025.toml.example").is_file()
    assert (policy_dir() / "README.md").is_file()
    assert "jiangsu-2025" not in available_profiles()
    assert "TODO" in (policy_dir() / "jiangsu-2025.toml.example").read_text(encoding="utf-8")
    with pytest.raises(PolicyError, match="未找到政策配置"):
        load_profile("jiangsu-2025")


@pytest.mark.parametrize("line, words", [
    ('record_kinds = ["penalties", "lottery"]', "未知"),
    ('record_kinds = ["arrears"]', "必须包含 penalties"),
    ('repaired_label = ""', "不能为空"),
])
def test_bad_record_kinds_and_wording_are_refused(tmp_path, line, words):
    text = (policy_dir() / "national-2025.toml").read_text(encoding="utf-8")
    text = "\n".join(l for l in text.splitlines()
                     if not l.startswith(("record_kinds", "repaired_label")))
    text = text.replace('id = "national-2025"', f'id = "national-2025"\n{line}')
    path = tmp_path / "national-2025.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=words):
        load_profile_file(path)


def test_the_notes_speak_for_their_own_policy():
    """A national report is not about 本市 and does not stand in for 无违法证明 only; a Suzhou one is."""
    from core.services.reports.render.notes import note_texts
    from tests.integration.test_pdf import make_content, make_issue

    content, issue = make_content(), make_issue()
    national = "".join(note_texts(content, issue, load_profile("national-2025")))
    suzhou = "".join(note_texts(content, issue, load_profile("suzhou-2024")))
    assert "本市" not in national and "无违法证明" not in national
    assert "有无违法违规记录的证明" in national and "行政强制" in national and "刑事裁判" in national
    assert "本市行政区域内" in suzhou and "无违法证明" in suzhou
