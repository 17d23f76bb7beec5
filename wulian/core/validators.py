"""Validators for Chinese identifiers used across Wulian."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB 32100-2015: the 31 characters allowed in a 统一社会信用代码 (no I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARSET)}


def normalize_text(value: str) -> str:
    """Full-width digits/letters to half-width (NFKC) and surrounding spaces removed."""
    return unicodedata.normalize("NFKC", value).strip()


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character for the first 17 characters of a USCC."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid USCC, in Chinese; None when it is valid."""
    if len(code) != 18:
        return _("统一社会信用代码应为18位，实际为%(n)d位") % {"n": len(code)}
    bad = [ch for ch in code if ch not in _USCC_VALUE]
    if bad:
        return _("统一社会信用代码含有不允许的字符“%(ch)s”") % {"ch": bad[0]}
    if not code[2:8].isdigit():
        return _("统一社会信用代码第3–8位应为行政区划代码（数字）")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return _("统一社会信用代码校验位错误：应为“%(exp)s”，实为“%(got)s”") % {
            "exp": expected,
            "got": code[17],
        }
    return None


def validate_uscc(value: str) -> None:
    """Django validator: GB 32100-2015 length, charset, region digits and check character."""
    problem = uscc_problem(value)
    if problem:
        raise ValidationError(problem, code="uscc")


# GB/T 4754-2017 sections (门类) by their two-digit divisions (大类).
_SECTION_RANGES = [
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
]
_INDUSTRY_RE = re.compile(r"^([A-T])?(\d{2}|\d{3}|\d{4})$")


def section_for_division(division: int) -> str | None:
    for letter, low, high in _SECTION_RANGES:
        if low <= division <= high:
            return letter
    return None


def normalize_industry_code(value: str) -> str:
    """'2614' or 'c2614' → 'C2614'; raises ValidationError for codes outside GB/T 4754."""
    code = normalize_text(value).upper()
    match = _INDUSTRY_RE.match(code)
    if not match:
        raise ValidationError(
            _("国民经济行业分类代码格式应为门类字母加2–4位数字，如 C2614"), code="industry"
        )
    letter, digits = match.groups()
    section = section_for_division(int(digits[:2]))
    if section is None:
        raise ValidationError(_("行业大类“%(d)s”不存在") % {"d": digits[:2]}, code="industry")
    if letter and letter != section:
        raise ValidationError(
            _("行业代码门类应为“%(s)s”，实为“%(l)s”") % {"s": section, "l": letter},
            code="industry",
        )
    return section + digits


def validate_industry_code(value: str) -> None:
    normalize_industry_code(value)


def reject_nul(value: str) -> None:
    """PostgreSQL refuses NUL characters in text; refuse them here, with a clear message."""
    if "\x00" in value:
        raise ValidationError(_("文本中含有不允许的空字符"), code="nul")
