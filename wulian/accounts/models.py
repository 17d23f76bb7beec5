"""Accounts records: an enterprise's claim of its account (the User model lives in core)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ClaimStatus
from .querysets import AccountClaimQuerySet


class AccountClaim(models.Model):
    """A person's request, made without an account, to hold the account of the enterprise
    whose USCC they gave.

    It carries the username and the password (hashed, never plain) they chose; nothing can be
    seen with it until an administrator, or the staff of the enterprise's county, approves it:
    approval creates the enterprise account linked to the enterprise. At most one claim per
    enterprise and per username waits at a time (database constraints, so two submissions at
    once cannot both pass). `token` lets the claimant look up the decision without an account.
    """

    token = models.UUIDField(_("查询码"), default=uuid.uuid4, unique=True, editable=False)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="account_claims",
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    contact_name = models.CharField(_("联系人姓名"), max_length=50)
    phone = models.CharField(_("手机号"), max_length=20)
    username = models.CharField(_("用户名"), max_length=150)
    password_hash = models.CharField(_("密码（哈希）"), max_length=128)
    status = models.CharField(
        _("状态"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    reason = models.CharField(_("审核意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("开通的账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="account_claims",
    )

    objects = AccountClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("企业账号认领")
        verbose_name_plural = _("企业账号认领")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status="pending"),
                name="one_pending_claim_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["username"],
                condition=Q(status="pending"),
                name="one_pending_claim_per_username",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.uscc} {self.contact_name}"
