"""Tests for core.uscc: what a counter clerk sees when typing a credit code."""

from __future__ import annotations

import random

import pytest

from core import uscc
from core.uscc import InvalidUscc

WORKED_EXAMPLE = "91350100M000100Y43"  # GB 32100-2015 worked example
PILOT_CODE = "91350211M00013FA1N"  # genuine early pilot code that fails C18


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) for ch in text)


GENERATED = uscc.generate(random.Random(7))


@pytest.mark.parametrize(
    "typed, expected",
    [
        (WORKED_EXAMPLE, WORKED_EXAMPLE),
        (WORKED_EXAMPLE.lower(), WORKED_EXAMPLE),
        (_full_width(WORKED_EXAMPLE), WORKED_EXAMPLE),
        ("  9135 0100 M000 100Y 43\t\n", WORKED_EXAMPLE),
        ("\u30009135-0100-M000100Y43\u3000", WORKED_EXAMPLE),
        (_full_width("913501") + "00m000100y43", WORKED_EXAMPLE),
        (GENERATED, GENERATED),
        (GENERATED.lower(), GENERATED),
        (_full_width(GENERATED), GENERATED),
        (" ".join(GENERATED), GENERATED),
    ],
)
def test_valid_codes_are_accepted_and_normalized(typed, expected):
    assert uscc.validate(typed) == expected


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("", ""),
        ("   \u3000 ", ""),
        ("９１３５", "9135"),
        ("ab-cd －ef", "ABCDEF"),
        ("91 35\u300001", "913501"),
    ],
)
def test_normalize(typed, expected):
    assert uscc.normalize(typed) == expected


def _with(code: str, position: int, ch: str) -> str:
    """Replace the character at 1-based ``position``."""
    return code[: position - 1] + ch + code[position:]


@pytest.mark.parametrize(
    "typed, position, message",
    [
        ("", None, "统一社会信用代码不能为空"),
        (" \u3000 ", None, "统一社会信用代码不能为空"),
        (WORKED_EXAMPLE[:17], None, "统一社会信用代码应为18位，实际为17位"),
        (WORKED_EXAMPLE + "1", None, "统一社会信用代码应为18位，实际为19位"),
        (_with(WORKED_EXAMPLE, 5, "O"), 5,
         "第5位“O”不是有效字符（统一社会信用代码不使用 I、O、S、V、Z）"),
        (_with(WORKED_EXAMPLE, 12, "i"), 12,
         "第12位“I”不是有效字符（统一社会信用代码不使用 I、O、S、V、Z）"),
        (_with(WORKED_EXAMPLE, 9, "*"), 9, "第9位“*”不是有效字符（只能是数字或大写字母）"),
        (_with(WORKED_EXAMPLE, 1, "0"), 1, "第1位登记管理部门代码“0”无效"),
        (_with(WORKED_EXAMPLE, 1, "B"), 1, "第1位登记管理部门代码“B”无效"),
        (_with(WORKED_EXAMPLE, 17, "5"), 17, "第17位组织机构代码校验位错误，应为“4”"),
        (_with(WORKED_EXAMPLE, 17, "Y"), 17, "第17位组织机构代码校验位错误，应为“4”"),
        (_with(WORKED_EXAMPLE, 18, "4"), 18, "第18位校验码错误，应为“3”"),
        (PILOT_CODE, 18, "第18位校验码错误，应为“3”"),
    ],
)
def test_invalid_codes_name_the_position(typed, position, message):
    with pytest.raises(InvalidUscc) as info:
        uscc.validate(typed)
    assert info.value.position == position
    assert info.value.message == message
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_check_failures_carry_the_expected_character():
    with pytest.raises(InvalidUscc) as info:
        uscc.validate(_with(WORKED_EXAMPLE, 17, "5"))
    assert info.value.expected == "4"
    with pytest.raises(InvalidUscc) as info:
        uscc.validate(PILOT_CODE)
    assert info.value.expected == "3"


def test_a_typo_in_the_body_is_caught_by_a_check():
    # Changing one character of positions 9-16 must break a check character.
    with pytest.raises(InvalidUscc) as info:
        uscc.validate(_with(WORKED_EXAMPLE, 10, "1"))
    assert info.value.position in (17, 18)


def test_check_characters_of_worked_example():
    assert uscc.check_character(WORKED_EXAMPLE[:17]) == "3"
    assert uscc.org_code_check(WORKED_EXAMPLE[8:16]) == "4"


@pytest.mark.parametrize(
    "body, check",
    [
        ("D2143569", "X"),  # sum 199, 199 mod 11 = 1, 11 - 1 = 10 -> X
        ("00000000", "0"),  # sum 0 -> 11 -> 0
        ("00000001", "9"),
    ],
)
def test_org_code_check_special_values(body, check):
    assert uscc.org_code_check(body) == check


@pytest.mark.parametrize(
    "code, kind",
    [
        ("91320505MA1XXXXXXX", "企业"),
        ("92320505MA1XXXXXXX", "个体工商户"),
        ("93320505MA1XXXXXXX", "农民专业合作社"),
        ("52320505MA1XXXXXXX", None),
        ("11320505MA1XXXXXXX", None),
        ("", None),
    ],
)
def test_kind_of(code, kind):
    assert uscc.kind_of(code) == kind


def test_division_of():
    assert uscc.division_of(WORKED_EXAMPLE) == "350100"
    assert uscc.division_of(" ９１３２０５０５" + "MA1XXXXXXX") == "320505"


def test_generate_is_deterministic_for_a_seed():
    first = [uscc.generate(random.Random(42)) for _ in range(3)]
    run_a = random.Random(123)
    run_b = random.Random(123)
    seq_a = [uscc.generate(run_a) for _ in range(50)]
    seq_b = [uscc.generate(run_b) for _ in range(50)]
    assert first[0] == first[1] == first[2]
    assert seq_a == seq_b
    assert len(set(seq_a)) == 50


@pytest.mark.parametrize(
    "division, kind", [("320500", "91"), ("320583", "92"), ("320571", "93"), ("320505", "Y1")]
)
def test_generated_codes_always_validate(division, kind):
    rng = random.Random(2024)
    codes = [uscc.generate(rng, division=division, kind=kind) for _ in range(1000)]
    for code in codes:
        assert uscc.validate(code) == code
        assert uscc.division_of(code) == division
        assert code.startswith(kind)
    # Both check characters vary, including the org code's rare "X".
    assert len({code[16] for code in codes}) == 11
    assert len({code[17] for code in codes}) > 20


@pytest.mark.parametrize(
    "division, kind", [("32050", "91"), ("32O500", "91"), ("320500", "01"), ("320500", "9")]
)
def test_generate_rejects_bad_arguments(division, kind):
    with pytest.raises(ValueError):
        uscc.generate(random.Random(1), division=division, kind=kind)


def test_whole_column_check_agrees_with_validate():
    """all_valid (a department's column at once) says yes exactly when validate accepts every
    code unchanged; any one wrong character anywhere makes it say no."""
    rng = random.Random(11)
    codes = [uscc.generate(rng, kind=kind) for kind in ("91", "92", "93", "11", "Y1") for _ in range(40)]
    assert uscc.all_valid(codes)
    assert uscc.all_valid([WORKED_EXAMPLE]) and uscc.all_valid([])
    assert not uscc.all_valid([PILOT_CODE])
    for code in codes[::7]:
        for position in range(18):
            for ch in uscc.ALPHABET + "IOSZa -":
                changed = code[:position] + ch + code[position + 1:]
                try:
                    accepted = uscc.validate(changed) == changed
                except InvalidUscc:
                    accepted = False
                assert uscc.all_valid([codes[0], changed, codes[1]]) == accepted, changed
