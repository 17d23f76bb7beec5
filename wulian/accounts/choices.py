"""Choices for accounts: the state of an enterprise's account claim and the steps on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")


class ClaimAction(models.TextChoices):
    APPROVE = "approve", _("通过")
    REJECT = "reject", _("驳回")
