"""Forms for key work pages; they only parse input, the services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.models import Department

from .choices import Cadence
from .models import WorkItem


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


class ReportForm(StyledForm):
    progress_pct = forms.IntegerField(label=_("完成进度（%）"), min_value=0, max_value=100)
    summary = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 2}))
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    escalate = forms.BooleanField(label=_("提请例会协调"), required=False)


class CloseForm(StyledForm):
    standard_met = forms.BooleanField(label=_("已对照完成标准，确认达到"), required=False)
    evidence = forms.CharField(
        label=_("达到标准的依据"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScheduleForm(StyledForm):
    on = forms.DateField(label=_("会议日期"), widget=forms.DateInput(attrs={"type": "date"}))


class HoldForm(StyledForm):
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(StyledForm):
    text = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs={"rows": 2}))


class FourFixesForm(StyledForm):
    """A decision becoming a task: the 四定."""

    work_item = forms.ModelChoiceField(label=_("重点工作"), queryset=WorkItem.objects.all())
    title = forms.CharField(label=_("任务"), max_length=200)
    target_text = forms.CharField(label=_("定目标"), max_length=300)
    lead_department = forms.ModelChoiceField(label=_("牵头部门"), queryset=Department.objects.all())
    responsible_person = forms.CharField(label=_("责任人"), max_length=50)
    co_departments = forms.ModelMultipleChoiceField(
        label=_("配合部门"), queryset=Department.objects.all(), required=False
    )
    deadline = forms.DateField(
        label=_("定时限（完成时限）"), widget=forms.DateInput(attrs={"type": "date"})
    )
    done_standard = forms.CharField(
        label=_("定标准（怎样算完成）"), widget=forms.Textarea(attrs={"rows": 2})
    )
    cadence = forms.ChoiceField(label=_("报送频次"), choices=Cadence.choices)

    def four_fixes(self) -> dict:
        return dict(self.cleaned_data)
