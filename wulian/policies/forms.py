"""Forms of the policy pages; they only parse input, services check and write."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department
from wulian.core.permissions import is_administrator

from .choices import Mode, Stage


def _chain_choices():
    from wulian.chains.models import Chain

    return list(Chain.objects.order_by("sort", "code").values_list("code", "name"))


def _style(form) -> None:
    """Tabler classes on every widget (the templates render them bare)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.CheckboxInput)
        ):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            continue
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class PolicyForm(forms.Form):
    title = forms.CharField(label=_("政策名称"), max_length=200)
    doc_number = forms.CharField(label=_("文号"), max_length=100, required=False)
    issued_on = forms.DateField(
        label=_("发文日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    issuer = forms.ModelChoiceField(
        label=_("发文部门"), queryset=Department.objects.all(), to_field_name="code"
    )
    valid_from = forms.DateField(
        label=_("有效期起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("有效期至"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    chains = forms.MultipleChoiceField(
        label=_("适用产业链"), required=False, widget=forms.CheckboxSelectMultiple
    )
    stages = forms.MultipleChoiceField(
        label=_("适用生命周期阶段"),
        required=False,
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=_("政策摘要"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    clauses = forms.CharField(
        label=_("政策条款"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    mode = forms.ChoiceField(label=_("兑现方式"), choices=Mode.choices, widget=forms.RadioSelect)
    materials = forms.CharField(
        label=_("申报材料清单（快申快享，每行一项）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.CharField(label=_("适用条件"), widget=forms.HiddenInput)
    amount_kind = forms.ChoiceField(
        label=_("兑现金额"), choices=[("fixed", _("定额")), ("ratio", _("按比例"))]
    )
    amount_wan = forms.DecimalField(label=_("定额（万元）"), required=False, min_value=0)
    amount_field = forms.ChoiceField(label=_("比例基数"), required=False)
    amount_rate = forms.DecimalField(
        label=_("比例（%）"), required=False, min_value=0, max_value=100
    )
    amount_cap = forms.DecimalField(label=_("上限（万元）"), required=False, min_value=0)
    payout_workdays = forms.IntegerField(
        label=_("兑现时限（工作日）"), min_value=1, max_value=250, initial=60
    )
    is_active = forms.BooleanField(label=_("有效（发布）"), required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .conditions import FIELDS

        self.fields["chains"].choices = _chain_choices()
        self.fields["amount_field"].choices = [
            (k, f"{s.label}（{s.unit}）")
            for k, s in FIELDS.items()
            if s.kind == "number" and s.unit == "万元"
        ]
        if user is not None and not is_administrator(user):
            self.fields["issuer"].queryset = Department.objects.filter(pk=user.department_id)
        _style(self)

    def clean_conditions(self):
        try:
            value = json.loads(self.cleaned_data["conditions"] or "[]")
        except ValueError:
            raise ValidationError(_("适用条件格式有误。")) from None
        return value

    def amount_rule(self) -> dict:
        data = self.cleaned_data
        if data["amount_kind"] == "fixed":
            return {"kind": "fixed", "amount_wan": float(data.get("amount_wan") or 0)}
        rule = {
            "kind": "ratio",
            "field": data.get("amount_field"),
            "rate": float(data.get("amount_rate") or 0) / 100,
        }
        if data.get("amount_cap"):
            rule["cap_wan"] = float(data["amount_cap"])
        return rule

    def values(self) -> tuple[dict, list[str]]:
        data = self.cleaned_data
        values = {
            k: data[k]
            for k in (
                "title",
                "doc_number",
                "issued_on",
                "issuer",
                "valid_from",
                "valid_until",
                "stages",
                "summary",
                "clauses",
                "mode",
                "conditions",
                "payout_workdays",
                "is_active",
            )
        }
        values["materials"] = [m.strip() for m in data["materials"].splitlines() if m.strip()]
        values["amount_rule"] = self.amount_rule()
        return values, list(data["chains"])

    @staticmethod
    def initial_for(policy) -> dict:
        rule = policy.amount_rule or {}
        return {
            "title": policy.title,
            "doc_number": policy.doc_number,
            "issued_on": policy.issued_on,
            "issuer": policy.issuer.code,
            "valid_from": policy.valid_from,
            "valid_until": policy.valid_until,
            "chains": [c.code for c in policy.chains.all()],
            "stages": policy.stages,
            "summary": policy.summary,
            "clauses": policy.clauses,
            "mode": policy.mode,
            "materials": "\n".join(policy.materials),
            "conditions": json.dumps(policy.conditions, ensure_ascii=False),
            "amount_kind": rule.get("kind", "fixed"),
            "amount_wan": rule.get("amount_wan"),
            "amount_field": rule.get("field"),
            "amount_rate": rule["rate"] * 100 if rule.get("rate") else None,
            "amount_cap": rule.get("cap_wan"),
            "payout_workdays": policy.payout_workdays,
            "is_active": policy.is_active,
        }


class StepForm(forms.Form):
    reason = forms.CharField(label=_("理由/说明"), required=False, max_length=500)
    amount_wan = forms.DecimalField(label=_("核定金额（万元）"), required=False, min_value=0)
    paid_wan = forms.DecimalField(label=_("拨付金额（万元）"), required=False, min_value=0)
    payment_ref = forms.CharField(label=_("拨付凭证号"), required=False, max_length=100)
    materials = forms.MultipleChoiceField(label=_("材料"), required=False)

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(m, m) for m in materials]


class ApplyForm(forms.Form):
    materials = forms.MultipleChoiceField(
        label=_("已准备的申报材料"), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("申请说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [(m, m) for m in (policy.materials if policy else [])]
