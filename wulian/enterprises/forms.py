"""Forms of the enterprise pages: 亩均 settings, visits, warning rules and actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.forms import TablerFormMixin

from .models import MujunSettings, Visit


class MujunSettingsForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = MujunSettings
        fields = [
            "tax_weight",
            "value_added_weight",
            "energy_weight",
            "labour_weight",
            "rd_weight",
            "cap_ratio",
            "method",
            "a_share",
            "b_share",
            "c_share",
            "a_cut",
            "b_cut",
            "c_cut",
            "min_months",
        ]

    def clean(self):
        data = super().clean()
        weights = [data.get(f) or 0 for f in self.Meta.fields[:5]]
        if not sum(weights):
            raise forms.ValidationError(_("至少一项指标的权重应大于 0。"))
        shares = [data.get(f) or 0 for f in ("a_share", "b_share", "c_share")]
        if sum(shares) > 1:
            raise forms.ValidationError(_("A、B、C 类比例之和不能超过 1（其余为 D 类）。"))
        cuts = [data.get(f) for f in ("a_cut", "b_cut", "c_cut")]
        if None not in cuts and not cuts[0] > cuts[1] > cuts[2]:
            raise forms.ValidationError(_("分数线应满足 A > B > C。"))
        return data


class VisitForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = Visit
        fields = ["visited_on", "visitor_name", "purpose", "notes", "follow_up"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
        }

    def clean_visited_on(self):
        from django.utils import timezone

        day = self.cleaned_data.get("visited_on")
        if day is None:
            raise forms.ValidationError(_("请填写走访日期。"))
        if day > timezone.localdate():
            raise forms.ValidationError(_("走访日期不能晚于今天。"))
        return day


class PlanVisitForm(forms.Form):
    planned_for = forms.DateField(
        label=_("计划走访日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class DismissFlagForm(forms.Form):
    reason = forms.CharField(label=_("排除原因"), max_length=500)


class WarningRuleForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        from .models import WarningRule

        model = WarningRule
        fields = ["metric", "kind", "threshold_pct", "months", "is_active"]
