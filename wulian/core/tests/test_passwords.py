"""Password rules: length, common and numeric passwords, and a mix of character kinds."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


@pytest.mark.parametrize("password", ["wulian-demo", "Quzhou2026x", "衢州五链产业集群-2026"])
def test_long_mixed_passwords_are_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("abcdefghijkl", "至少 2 类"),  # one kind only
        ("wulian-1", "密码太短，至少需要 10 个字符"),  # too short
        ("12345678901", "只包含数字"),  # all digits
        ("password123", "太常见"),  # common
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, reason):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert any(reason in message for message in refused.value.messages), refused.value.messages
