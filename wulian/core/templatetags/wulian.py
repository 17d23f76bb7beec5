"""Template filters for Chinese amounts: {% load wulian %} then {{ value|amount_wan }}."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format
from django.utils.html import escape, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import jsi18n
from ..industries import industry_label

register = template.Library()


@register.filter
def amount_wan(value, digits: int = 2) -> str:
    """An amount stored in 万元, shown as 亿元 from 1亿 up: 30000000 → '3,000.00亿元'
    (in English: 'RMB 300.00 bn'; 1234 → 'RMB 12.34 m')."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if (get_language() or "").startswith("en"):
        # 1亿 = 100 million: English readers count in millions and billions of yuan.
        if abs(amount) >= 100000:
            return f"RMB {_rounded(amount / 100000, digits)} bn"
        return f"RMB {_rounded(amount / 100, digits)} m"
    if abs(amount) >= 10000:
        return f"{_rounded(amount / 10000, digits)}亿元"
    return f"{_rounded(amount, 0)}万元"


def _rounded(amount: Decimal, digits) -> str:
    """Rounded half up, then grouped (number_format alone cuts the digits off)."""
    places = int(digits)
    amount = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(amount, places, force_grouping=True)


@register.filter
def num(value, digits: int = 0) -> str:
    """A number with thousands separators, or — when missing."""
    if value is None or value == "":
        return "—"
    if digits:
        return number_format(value, int(digits), force_grouping=True)
    return intcomma(value)


@register.simple_tag
def max_upload_bytes() -> int:
    """The upload limit, for a file input's data-max-bytes (site.js refuses a bigger file
    before sending it; the server refuses it as well)."""
    return settings.MAX_UPLOAD_BYTES


@register.inclusion_tag("partials/dataset_buttons.html", takes_context=True)
def dataset_buttons(context, *names):
    """导出 / 导入 buttons of datasets (core.datasets) for a list page, as the user may."""
    from wulian.core.datasets import can_import, registry

    user = context["request"].user
    found = [registry.get(n) for n in names]
    return {
        "buttons": [
            {"dataset": d, "can_import": can_import(user, d)} for d in found if d is not None
        ]
    }


@register.filter
def industry(code) -> str:
    """A GB/T 4754 code with its name: 'C2661' → 'C2661 化学试剂和助剂制造'."""
    return industry_label(code) or "—"


@register.simple_tag(takes_context=True)
def js_strings(context):
    """The scripts' sentences in the reader's language, as <script type="application/json">
    carrying the response's CSP nonce like every inline script."""
    block = json_script(jsi18n.js_strings(), "wl-i18n")
    nonce = context.get("CSP_NONCE")  # lazy: false until read, so compare with None
    if nonce is not None and str(nonce):
        block = mark_safe(block.replace("<script ", f'<script nonce="{escape(str(nonce))}" ', 1))  # noqa: S308
    return block
