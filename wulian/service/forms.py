"""Forms for 企呼我应 pages; they only parse input, services do the work."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wulian.core.forms import TablerFormMixin
from wulian.core.models import CITY_CODE, Department, Region

from .models import RoutingRule, ServiceCategory

# What an attachment may be (the service checks the bytes); the inputs offer only these.
ATTACHMENT_ACCEPT = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the view reads them with request.FILES.getlist."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return super().clean(data, initial)


class FileRequestForm(TablerFormMixin, forms.Form):
    category = forms.ModelChoiceField(
        label=_("诉求类别"),
        queryset=ServiceCategory.objects.filter(is_active=True),
        to_field_name="code",
        empty_label=_("请选择"),
    )
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(
        label=_("诉求内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    # On a phone the first opens the camera (capture); the second takes any allowed file.
    photos = MultipleFileField(
        label=_("现场照片"),
        required=False,
        widget=MultipleFileInput(
            attrs={"multiple": True, "accept": "image/*", "capture": "environment"}
        ),
    )
    files = MultipleFileField(
        label=_("其他附件（PDF、Word、Excel、图片）"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ATTACHMENT_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        from .services import max_attachment_bytes

        super().__init__(*args, **kwargs)
        # The browser refuses an oversized file before sending it (site.js); the server's
        # limit is the same number.
        for name in ("photos", "files"):
            if name in self.fields:
                self.fields[name].widget.attrs["data-max-bytes"] = max_attachment_bytes()


class ProactiveRequestForm(FileRequestForm):
    """我呼企应: staff file on a flagged enterprise's behalf from the warning's evidence; the
    enterprise adds its own photos and files on the request page."""

    photos = None
    files = None


class StepForm(forms.Form):
    reason = forms.CharField(label=_("理由/说明"), required=False, max_length=2000)
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Department.objects.all(), to_field_name="code", required=False
    )
    answer = forms.CharField(label=_("答复内容"), required=False, max_length=5000)
    rating = forms.TypedChoiceField(
        label=_("评分"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(i, str(i)) for i in range(5, 0, -1)]],
    )
    comment = forms.CharField(label=_("评价"), required=False, max_length=500)


class MaterialForm(forms.Form):
    reason = forms.CharField(label=_("说明"), required=False, max_length=2000)
    files = forms.FileField(
        label=_("附件"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ATTACHMENT_ACCEPT}),
    )


class RoutingRuleForm(TablerFormMixin, forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = ["category", "link", "region", "department", "priority", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(parent_id=CITY_CODE)
        self.fields["link"].queryset = self.fields["link"].queryset.select_related("chain")
        self.fields["link"].widget.attrs["data-searchable"] = ""  # ninety links: type to find


class CategoryForm(TablerFormMixin, forms.ModelForm):
    """A request category and its deadlines (营商办 and administrators)."""

    class Meta:
        model = ServiceCategory
        fields = ["code", "name", "description", "accept_days", "answer_days", "sort", "is_active"]


class CategoryEditForm(CategoryForm):
    class Meta(CategoryForm.Meta):
        fields = ["name", "description", "accept_days", "answer_days", "sort", "is_active"]
