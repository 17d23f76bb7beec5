"""Choices shared across Wulian, and choice labels as text for the hot reads."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

_labels_by_language: dict[tuple, dict[str, str]] = {}


def labels_in_language(choices) -> dict:
    """{value: label as text} of a choices class or a field's (value, label) pairs, in the
    active language: translated once per process and language, not once per row or request.
    `choices` must be hashable (a choices class, a model field)."""
    key = (choices, get_language())
    labels = _labels_by_language.get(key)
    if labels is None:
        pairs = choices.flatchoices if isinstance(choices, models.Field) else choices.choices
        labels = _labels_by_language[key] = {value: str(label) for value, label in pairs}
    return labels


class Role(models.TextChoices):
    """What a user is to the platform; decides what they may see (see permissions.py)."""

    LEADER = "leader", _("市领导")
    CHAIN = "chain", _("链长/链办")
    DEPARTMENT = "department", _("部门")
    COUNTY = "county", _("区县")
    ENTERPRISE = "enterprise", _("企业")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县（市、区）")


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("流转")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("排队预检")
    CHECKING = "checking", _("预检中")
    PREVIEWED = "previewed", _("已预检")
    FAILED = "failed", _("未通过")
    CONFIRMED = "confirmed", _("已确认，排队写入")
    WRITING = "writing", _("写入中")
    DONE = "done", _("已导入")
