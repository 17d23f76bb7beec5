"""政策体系: policies with eligibility conditions as data, their matches, 兑现清单 and payouts."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department
from wulian.enterprises.models import Enterprise

from .choices import BatchStatus, Mode, PayoutAction, PayoutStatus
from .querysets import PayoutQuerySet, PolicyMatchQuerySet, PolicyQuerySet

DEFAULT_PAYOUT_WORKDAYS = 60


class Policy(models.Model):
    """One 惠企政策: who issued it, for whom (conditions as data), what it pays and how.

    `conditions` is a list of `{"field", "op", "value"}` checked by `conditions.validate` when
    saved; `amount_rule` says what each qualifying enterprise gets (`{"kind": "fixed",
    "amount_wan": 50}` or `{"kind": "ratio", "field": "months.rd_sum", "rate": 0.1,
    "cap_wan": 200}`). Payouts must be made within `payout_workdays` working days.
    """

    title = models.CharField(_("政策名称"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    issuer = models.ForeignKey(
        Department, verbose_name=_("发文部门"), on_delete=models.PROTECT, related_name="policies"
    )
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    chains = models.ManyToManyField(
        "chains.Chain", verbose_name=_("适用产业链"), blank=True, related_name="policies"
    )
    stages = models.JSONField(_("适用生命周期阶段"), default=list, blank=True)
    summary = models.TextField(_("政策摘要"), blank=True, max_length=2000)
    clauses = models.TextField(_("政策条款"), blank=True, max_length=10000)
    mode = models.CharField(_("兑现方式"), max_length=20, choices=Mode.choices)
    materials = models.JSONField(
        _("申报材料清单"), default=list, blank=True, help_text=_("快申快享：企业须提交的材料")
    )
    conditions = models.JSONField(_("适用条件"), default=list)
    amount_rule = models.JSONField(_("兑现金额规则"), default=dict)
    payout_workdays = models.PositiveSmallIntegerField(
        _("兑现时限（工作日）"),
        default=DEFAULT_PAYOUT_WORKDAYS,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )
    is_active = models.BooleanField(_("有效"), default=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    matched = models.PositiveIntegerField(_("符合条件企业数"), default=0)
    near = models.PositiveIntegerField(_("潜在对象数"), default=0)
    matched_at = models.DateTimeField(_("匹配时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("惠企政策")
        verbose_name_plural = _("惠企政策")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.pk])


class PolicyMatch(models.Model):
    """An enterprise that qualifies for a policy (or is one condition short: `is_near`).

    `reasons` holds, per condition, what the registry says about the enterprise and whether
    the condition held; `missed` is the index of the one failing condition of a near miss.
    Kept current by `services.refresh_matches` (on every save of the policy and nightly).
    """

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.CASCADE, related_name="matches"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.CASCADE, related_name="+"
    )
    is_near = models.BooleanField(_("潜在对象"), default=False)
    missed = models.PositiveSmallIntegerField(_("未满足的条件序号"), null=True, blank=True)
    reasons = models.JSONField(_("匹配理由"), default=list)
    amount_wan = models.DecimalField(
        _("测算金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    first_matched_at = models.DateTimeField(_("首次匹配时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    objects = PolicyMatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策匹配")
        verbose_name_plural = _("政策匹配")
        ordering = ["policy", "is_near", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="policy_match_unique")
        ]
        indexes = [models.Index(fields=["enterprise", "is_near"], name="policy_match_ent")]

    def __str__(self) -> str:
        return f"{self.policy_id} · {self.enterprise_id}"


class PayoutBatch(models.Model):
    """A 兑现清单 of a 免申即享 policy: generated from the matches, reviewed, approved."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="batches"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    is_synthetic = models.BooleanField(_("合成数据"), default=False)

    class Meta:
        verbose_name = _("兑现清单")
        verbose_name_plural = _("兑现清单")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.policy} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("policies:batch", args=[self.pk])


class Payout(models.Model):
    """One enterprise's 兑现 of one policy, from listing or application to payment.

    The clock starts when the enterprise is listed (免申即享) or applies (快申快享) and runs
    `policy.payout_workdays` working days; it stops while material is awaited, and the due
    time moves by the working days spent waiting. Overdue and escalation are derived from
    `due_at` at the moment of asking.
    """

    policy = models.ForeignKey(
        Policy, verbose_name=_("政策"), on_delete=models.PROTECT, related_name="payouts"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        PayoutBatch,
        verbose_name=_("兑现清单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payouts",
    )
    status = models.CharField(_("状态"), max_length=20, choices=PayoutStatus.choices)
    amount_wan = models.DecimalField(_("核定金额（万元）"), max_digits=14, decimal_places=2)
    paid_wan = models.DecimalField(
        _("拨付金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    started_at = models.DateTimeField(_("起算时间"), db_index=True)
    due_at = models.DateTimeField(_("兑现期限"), null=True, blank=True)
    paused_at = models.DateTimeField(_("暂停计时起"), null=True, blank=True)
    paused_workdays = models.PositiveIntegerField(_("累计暂停工作日"), default=0)
    approved_at = models.DateTimeField(_("核准时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("拨付时间"), null=True, blank=True)
    pay_workdays = models.PositiveIntegerField(
        _("兑现用时（工作日）"), null=True, blank=True, help_text=_("扣除等待补充材料的时间")
    )
    payment_ref = models.CharField(_("拨付凭证号"), max_length=100, blank=True)
    materials = models.JSONField(_("申报材料"), default=list, blank=True)
    application_note = models.TextField(_("申请说明"), blank=True, max_length=2000)
    reason = models.CharField(_("最近一次说明"), max_length=500, blank=True)
    # 企呼我应 sits beside this app (a sibling layer): a string reference, no import.
    service_request = models.ForeignKey(
        "service.ServiceRequest",
        verbose_name=_("关联的企呼我应诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_synthetic = models.BooleanField(_("合成数据"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("更新时间"))

    objects = PayoutQuerySet.as_manager()

    class Meta:
        verbose_name = _("政策兑现")
        verbose_name_plural = _("政策兑现")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_at"], name="payout_status_due"),
            models.Index(fields=["policy", "status"], name="payout_policy_status"),
            models.Index(fields=["enterprise", "status"], name="payout_ent_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="payout_unique")
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("policies:payout", args=[self.pk])


class PayoutEvent(models.Model):
    """One step taken on a payout: who, from which state to which, when and why."""

    payout = models.ForeignKey(
        Payout, verbose_name=_("兑现"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=20, choices=PayoutAction.choices)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=PayoutStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=PayoutStatus.choices)
    reason = models.TextField(_("说明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("兑现流转记录")
        verbose_name_plural = _("兑现流转记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.payout_id} {self.get_action_display()}"
