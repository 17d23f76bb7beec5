import pytest
from django.core.exceptions import ValidationError

from wulian.core.validators import (
    normalize_industry_code,
    uscc_check_char,
    uscc_problem,
    validate_uscc,
)

# Published codes of well-known companies (Tencent, Huawei, Alibaba): independent references.
KNOWN_VALID = ["9144030071526726XG", "914403001922038216", "91330100799655058B"]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_valid_codes_pass(code):
    assert uscc_problem(code) is None
    validate_uscc(code)


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_every_single_character_corruption_is_caught(code):
    # Changing any one of the 17 body characters must break the check character.
    for position in range(17):
        for replacement in "0A":
            if code[position] == replacement:
                continue
            corrupted = code[:position] + replacement + code[position + 1 :]
            assert uscc_problem(corrupted) is not None, corrupted


def test_check_char_reported_in_chinese():
    message = uscc_problem("9144030071526726XA")
    assert "校验位错误" in message and "“G”" in message


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("9144030071526726X", "18位"),
        ("9144030071526726XGG", "18位"),
        ("9144030071526726IG", "不允许的字符"),
        ("91A4030071526726XG", "行政区划代码"),
    ],
)
def test_malformed_codes(code, fragment):
    assert fragment in uscc_problem(code)
    with pytest.raises(ValidationError):
        validate_uscc(code)


def test_check_char_matches_reference():
    assert uscc_check_char("9144030071526726X") == "G"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2614", "C2614"),
        ("c2614", "C2614"),
        ("Ｃ２６１４", "C2614"),
        ("F51", "F51"),
        ("D4411", "D4411"),
    ],
)
def test_industry_code_normalised(raw, expected):
    assert normalize_industry_code(raw) == expected


@pytest.mark.parametrize("raw", ["A2614", "9999", "X12", "C26145"])
def test_industry_code_rejected(raw):
    with pytest.raises(ValidationError):
        normalize_industry_code(raw)


def test_amount_filters():
    from wulian.core.templatetags.wulian import amount_wan, num

    assert amount_wan(30000000) == "3,000.00亿元"
    assert amount_wan("1234.5") == "1,235万元"  # rounded, not cut off
    assert amount_wan("12345.678") == "1.23亿元"
    assert amount_wan("19999.9") == "2.00亿元"
    assert amount_wan(None) == "—"
    assert num(1234567) == "1,234,567"


def test_amounts_in_english_count_millions_and_billions():
    from django.utils import translation

    from wulian.core.templatetags.wulian import amount_wan

    with translation.override("en"):
        assert amount_wan(30000000) == "RMB 300.00 bn"  # 3,000亿元
        assert amount_wan("1234.6") == "RMB 12.35 m"  # 1,234.6万元
