"""Choices shared across Wulian."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
