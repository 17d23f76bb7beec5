from django import template

register = template.Library()


@register.filter
def score_class(value) -> str:
    """Tabler background class for a 0–100 score (None: no data)."""
    if value is None:
        return "bg-secondary-lt"
    if value >= 60:
        return "bg-green-lt"
    if value >= 40:
        return "bg-blue-lt"
    if value >= 20:
        return "bg-yellow-lt"
    return "bg-red-lt"


@register.filter
def score(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def yi(value) -> str:
    """万元 → 亿元 with one decimal."""
    return "—" if value is None else f"{float(value) / 10000:,.1f}"
