from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.forms import ImportUploadForm  # noqa: F401 - re-exported

from .choices import TargetKind
from .periods import Period, PeriodError


class TargetForm(forms.Form):
    """Set a target (年度目标 or 五年规划目标) for an indicator in a region and period."""

    period = forms.CharField(label=_("目标期间"), max_length=10, help_text=_("如 2025"))
    kind = forms.ChoiceField(label=_("目标类型"), choices=TargetKind.choices)
    value = forms.DecimalField(label=_("目标值"), max_digits=20, decimal_places=4)
    base_period = forms.CharField(label=_("基期"), max_length=10, required=False)

    def clean_period(self):
        try:
            return Period.parse(self.cleaned_data["period"]).id
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_base_period(self):
        value = self.cleaned_data.get("base_period")
        if not value:
            return ""
        try:
            return Period.parse(value).id
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
