from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yi(value) -> str:
    """万元 → 亿元 with two decimals (e.g. 1234567 → 123.46)."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) / Decimal(10000):,.2f}"


@register.filter
def wan(value) -> str:
    """万元 with thousands separators and no decimals (e.g. 1234567 → 1,234,567)."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.0f}"
