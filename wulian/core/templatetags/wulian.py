"""Template filters for Chinese amounts: {% load wulian %} then {{ value|amount_wan }}."""

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import number_format

register = template.Library()


@register.filter
def amount_wan(value, digits: int = 2) -> str:
    """An amount stored in 万元, shown as 亿元 from 1亿 up: 30000000 → '3,000.00亿元'."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if abs(amount) >= 10000:
        return f"{number_format(amount / 10000, int(digits), force_grouping=True)}亿元"
    return f"{number_format(amount, 0, force_grouping=True)}万元"


@register.filter
def num(value, digits: int = 0) -> str:
    """A number with thousands separators, or — when missing."""
    if value is None or value == "":
        return "—"
    if digits:
        return number_format(value, int(digits), force_grouping=True)
    return intcomma(value)
