"""Choices for the 政策体系: how a policy pays out, lifecycle stages, payout states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """How an enterprise gets what a policy promises."""

    NO_APPLICATION = "no_application", _("免申即享")
    APPLICATION = "application", _("快申快享")


class Stage(models.TextChoices):
    """The points of an enterprise's life a policy serves (全生命周期)."""

    LANDING = "landing", _("招引落地")
    CONSTRUCTION = "construction", _("建设投产")
    GROWTH = "growth", _("成长壮大")
    LISTING = "listing", _("上市")
    UPGRADE = "upgrade", _("技改")
    TALENT = "talent", _("人才")
    FINANCING = "financing", _("融资")


class PayoutStatus(models.TextChoices):
    """Where one payout (兑现) stands."""

    LISTED = "listed", _("已列入清单")
    APPLIED = "applied", _("已申请")
    AWAITING_MATERIAL = "awaiting_material", _("待补充材料")
    APPROVED = "approved", _("已核准待拨付")
    PAID = "paid", _("已兑现")
    REMOVED = "removed", _("已剔除")
    REJECTED = "rejected", _("不予兑现")


OPEN_PAYOUT = frozenset(
    {
        PayoutStatus.LISTED,
        PayoutStatus.APPLIED,
        PayoutStatus.AWAITING_MATERIAL,
        PayoutStatus.APPROVED,
    }
)
# The government side's clock runs in these states (paused while material is awaited).
CLOCK_PAYOUT = frozenset({PayoutStatus.LISTED, PayoutStatus.APPLIED, PayoutStatus.APPROVED})


class PayoutAction(models.TextChoices):
    """A step of a payout; each is `POST /api/v1/policy-payouts/{id}/<action>/`."""

    LIST = "list", _("列入兑现清单")
    APPLY = "apply", _("提交申请")
    REMOVE = "remove", _("从清单剔除")
    APPROVE = "approve", _("审核通过")
    REQUEST_MATERIAL = "request_material", _("要求补充材料")
    SUPPLY_MATERIAL = "supply_material", _("补充材料")
    REJECT = "reject", _("不予兑现")
    PAY = "pay", _("登记拨付")


class BatchStatus(models.TextChoices):
    """A 兑现清单 for a 免申即享 policy: drafted from the matches, then approved."""

    DRAFT = "draft", _("待审核")
    APPROVED = "approved", _("已审核")


class Escalation(models.IntegerChoices):
    """How far up an overdue payout has gone (derived from how overdue it is)."""

    NONE = 0, _("未升级")
    DEPARTMENT_HEAD = 1, _("部门负责人督办")
    LEADER = 2, _("市领导关注")
