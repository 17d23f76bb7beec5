"""Forms shared by several apps."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    """The upload field of every import page (.xlsx or .csv)."""

    file = forms.FileField(
        label=_("导入文件（.xlsx 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )
