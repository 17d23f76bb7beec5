from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8567 → '85.7%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"
