"""Number formatting for indicator pages."""

from decimal import Decimal

from django import template

from ..services import format_number

register = template.Library()


@register.filter
def num(value, places=None):
    """1234.5 → 1,234.5; None → —."""
    if value is None or value == "":
        return "—"
    return format_number(Decimal(str(value)), None if places in (None, "") else int(places))


@register.filter
def pct(value, places=1):
    """A percentage with sign: +21.7%."""
    if value is None or value == "":
        return "—"
    value = Decimal(str(value))
    sign = "+" if value > 0 else ""
    return f"{sign}{value:.{int(places)}f}%"


@register.filter
def change_text(change, places=None):
    """A change as its kind words it (+8.6%, +19.4个百分点, −0.03, 上升3位); None → —."""
    if change is None:
        return "—"
    return change.text(None if places in (None, "") else int(places))


@register.filter
def split_words(value):
    return str(value).split()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
