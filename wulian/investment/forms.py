"""Forms for project pages; they only parse input, the services do the work."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wulian.chains.models import Link, TargetCompany
from wulian.core.forms import AmountField, TablerFormMixin
from wulian.core.models import CITY_CODE, Department, Region

from .choices import DocumentKind


class StyledForm(TablerFormMixin, forms.Form):
    """Tabler classes on every widget, 请选择 on every select."""


class ProjectForm(StyledForm):
    name = forms.CharField(label=_("项目名称"), max_length=200)
    investor = forms.ModelChoiceField(
        label=_("投资方（招商目标企业）"), queryset=TargetCompany.objects.all(), required=False
    )
    investor_name = forms.CharField(label=_("或新投资方名称"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("落地区县"),
        queryset=Region.objects.filter(code=CITY_CODE) | Region.objects.filter(parent=CITY_CODE),
        initial=CITY_CODE,
    )
    planned_wan = AmountField(label=_("计划总投资"))
    links = forms.ModelMultipleChoiceField(
        label=_("填补的产业链环节"),
        queryset=Link.objects.select_related("chain"),
        required=False,
    )
    lead_department = forms.ModelChoiceField(
        label=_("牵头部门"), queryset=Department.objects.all(), required=False
    )
    responsible_leader = forms.CharField(label=_("责任领导"), max_length=50, required=False)


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("材料类型"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=_("文件（PDF/JPG/PNG）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        from .services import max_document_bytes

        super().__init__(*args, **kwargs)
        # the browser refuses a bigger file before sending it (site.js); so does the service
        self.fields["file"].widget.attrs["data-max-bytes"] = max_document_bytes()


class MonthlyInvestmentForm(StyledForm):
    month = forms.DateField(
        label=_("月份"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )
    amount_wan = AmountField(label=_("完成投资"), unit="wan")  # the page lists months in 万元


class TransitionForm(forms.Form):
    stage = forms.CharField()
    on = forms.DateField(label=_("日期"), required=False)
    reason = forms.CharField(label=_("原因/说明"), max_length=300, required=False)

    def clean_on(self):
        return self.cleaned_data.get("on") or timezone.localdate()


class CompanyForm(StyledForm):
    company_name = forms.CharField(label=_("项目公司名称"), max_length=200, required=False)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
