"""Forms shared by several apps."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    """The upload field of every import page (.xlsx or .csv)."""

    file = forms.FileField(
        label=_("导入文件（.xlsx 或 .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "class": "form-control"}),
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        super().__init__(*args, **kwargs)
        # the browser refuses a bigger file before sending it (site.js); so does the server
        self.fields["file"].widget.attrs["data-max-bytes"] = settings.MAX_UPLOAD_BYTES


EMPTY_LABEL = _("请选择")


class TablerFormMixin:
    """Give every widget Tabler's class (form-select, form-check-input or form-control), and
    every select's empty choice the words 请选择 instead of Django's dashes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.Select):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.MultiWidget):
                continue  # its parts carry their own classes
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = EMPTY_LABEL
            elif isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                field.choices = [
                    (v, EMPTY_LABEL if (v == "" and label == "---------") else label)
                    for v, label in field.choices
                ]


# Amounts are entered in the unit the pages show, chosen explicitly next to the number: a
# figure typed in 亿元 is never read as 万元 (a silent 10,000× difference).
AMOUNT_UNITS = {"yi": (Decimal(10000), _("亿元")), "wan": (Decimal(1), _("万元"))}


class AmountWidget(forms.MultiWidget):
    default_unit = "yi"

    def __init__(self, attrs=None):
        super().__init__(
            [
                forms.NumberInput(attrs={"class": "form-control", "step": "any", "min": "0"}),
                forms.Select(
                    attrs={"class": "form-select wl-unit", "aria-label": _("单位")},
                    choices=[(k, label) for k, (_f, label) in AMOUNT_UNITS.items()],
                ),
            ],
            attrs,
        )
        self.template_name = "core/amount_widget.html"

    def decompress(self, value):
        if value in (None, ""):
            return [None, self.default_unit]
        value = Decimal(value)
        if value % 100 == 0:  # whole hundredths of 亿元 read best in 亿元
            return [(value / 10000).normalize(), "yi"]
        return [value.normalize(), "wan"]


class AmountField(forms.MultiValueField):
    """A number and its unit (亿元 or 万元); cleans to 万元, as the models store it."""

    widget = AmountWidget

    def __init__(self, *, max_wan: Decimal = Decimal("1e12"), unit: str = "yi", **kwargs):
        """`unit`: the unit offered first, the one the page around the field shows."""
        self.max_wan = max_wan
        fields = (
            forms.DecimalField(min_value=0, max_digits=16, decimal_places=4),
            forms.ChoiceField(choices=[(k, label) for k, (_f, label) in AMOUNT_UNITS.items()]),
        )
        super().__init__(fields, require_all_fields=True, **kwargs)
        self.widget.default_unit = unit

    def compress(self, data_list):
        if not data_list or data_list[0] in (None, ""):
            return None
        number, unit = data_list
        wan = (Decimal(number) * AMOUNT_UNITS[unit][0]).quantize(Decimal("0.01"))
        if wan > self.max_wan:
            raise forms.ValidationError(_("金额过大，请核对单位（亿元/万元）。"))
        return wan
