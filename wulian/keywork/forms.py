"""Forms for key work pages; they only parse input, the services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.forms import TablerFormMixin
from wulian.core.models import Department

from .choices import Cadence
from .models import WorkItem


class StyledForm(TablerFormMixin, forms.Form):
    """Tabler classes on every widget, 请选择 on every select."""


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


class TaskForm(FourFixesForm):
    """A new task with its 四定, the optional indicator and up to three milestones."""

    target_value = forms.DecimalField(
        label=_("目标值（可选）"), required=False, max_digits=16, decimal_places=2
    )
    target_unit = forms.CharField(label=_("单位（可选）"), max_length=20, required=False)
    indicator_code = forms.CharField(
        label=_("关联指标代码（可选，进度从数据读取）"), max_length=60, required=False
    )
    start_on = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_1 = forms.CharField(label=_("节点一"), max_length=200, required=False)
    milestone_1_on = forms.DateField(
        label=_("节点一日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_2 = forms.CharField(label=_("节点二"), max_length=200, required=False)
    milestone_2_on = forms.DateField(
        label=_("节点二日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    milestone_3 = forms.CharField(label=_("节点三"), max_length=200, required=False)
    milestone_3_on = forms.DateField(
        label=_("节点三日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def four_fixes(self) -> dict:
        data = dict(self.cleaned_data)
        milestones = []
        for i in (1, 2, 3):
            name, due = data.pop(f"milestone_{i}"), data.pop(f"milestone_{i}_on")
            if name or due:
                milestones.append((name, due))
        data["milestones"] = milestones
        data["target_value"] = data.get("target_value")
        return data
