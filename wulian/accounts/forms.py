"""Account forms: they parse input and hand it to the services, which decide."""

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.translation import gettext_lazy as _

from wulian.core.choices import RegionLevel, Role
from wulian.core.forms import TablerFormMixin
from wulian.core.models import CITY_CODE, Department, Region


def _department_choices():
    return [("", "—")] + list(Department.objects.order_by("code").values_list("code", "name"))


def _county_choices():
    counties = Region.objects.filter(level=RegionLevel.COUNTY, parent_id=CITY_CODE)
    return [("", "—")] + list(counties.order_by("sort").values_list("code", "name"))


class AccountForm(TablerFormMixin, forms.Form):
    """Role and scope of an account (create and edit)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    title = forms.CharField(label=_("职务"), max_length=60, required=False)
    role = forms.ChoiceField(label=_("角色"), choices=Role.choices)
    department = forms.ChoiceField(label=_("部门"), required=False)
    region = forms.ChoiceField(label=_("区县"), required=False)
    chain_code = forms.CharField(
        label=_("产业链代码"), max_length=20, required=False, help_text=_("链长/链办：如 xcl")
    )
    enterprises = forms.CharField(
        label=_("企业统一社会信用代码"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("企业用户：每行或用逗号分隔一个代码"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = _department_choices()
        self.fields["region"].choices = _county_choices()

    def clean_enterprises(self) -> list[str]:
        text = self.cleaned_data.get("enterprises") or ""
        return [
            p.strip() for p in text.replace("，", ",").replace("\n", ",").split(",") if p.strip()
        ]


class AccountCreateForm(AccountForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(
        label=_("初始密码"),
        max_length=128,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("本人首次登录时必须修改"),
    )
    field_order = ["username", "name", "password", "title", "role"]


class PasswordResetForm(TablerFormMixin, forms.Form):
    password = forms.CharField(
        label=_("新密码"),
        max_length=128,
        widget=forms.PasswordInput,
        help_text=_("本人下次登录时必须修改"),
    )


class OwnPasswordForm(TablerFormMixin, forms.Form):
    old_password = forms.CharField(label=_("原密码"), max_length=128, widget=forms.PasswordInput)
    new_password = forms.CharField(label=_("新密码"), max_length=128, widget=forms.PasswordInput)
    new_password2 = forms.CharField(
        label=_("再次输入新密码"), max_length=128, widget=forms.PasswordInput
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


def add_service_errors(form: forms.Form, exc) -> None:
    """Show a service's ValidationError on the form, by field where the field exists."""
    for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ClaimForm(TablerFormMixin, forms.Form):
    """An enterprise claims its account (public page); the service decides."""

    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=30,
        help_text=_("18 位，见营业执照"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    contact_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录用，字母、数字和 @/./+/-/_"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("密码"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules in force (length and kinds of characters are settings), in their words.
        self.fields["password"].help_text = " ".join(password_validators_help_texts())

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致"))
        return data


class ClaimDecisionForm(TablerFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("审核意见"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("驳回时必填，申请人凭查询码可以看到"),
    )


def _department_region_choices():
    city = Region.objects.filter(pk=CITY_CODE).values_list("code", "name")
    return list(city) + _county_choices()[1:]


class DepartmentForm(TablerFormMixin, forms.Form):
    """A department: its code (set once), name, county and whether it dispatches requests."""

    code = forms.CharField(
        label=_("部门代码"), max_length=30, help_text=_("小写字母、数字或“-”，创建后不能修改")
    )
    name = forms.CharField(label=_("部门名称"), max_length=60)
    region = forms.ChoiceField(label=_("所属区划"))
    is_dispatcher = forms.BooleanField(
        label=_("受理派单部门（营商办）"),
        required=False,
        help_text=_("受理企业诉求并派给承办部门"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _department_region_choices()


class DepartmentEditForm(DepartmentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]


class CountyForm(TablerFormMixin, forms.Form):
    """One of the city's counties: its GB/T 2260 code (set once), name, short name, order."""

    code = forms.CharField(
        label=_("行政区划代码"), max_length=6, help_text=_("6 位，如 330825；创建后不能修改")
    )
    name = forms.CharField(label=_("名称"), max_length=50)
    short_name = forms.CharField(label=_("简称"), max_length=20, required=False)
    sort = forms.IntegerField(label=_("排序"), min_value=0, max_value=32767, initial=0)


class CountyEditForm(CountyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["code"]
