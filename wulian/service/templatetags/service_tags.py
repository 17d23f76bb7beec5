"""Small, fast badges for request lists (an {% include %} per row costs more than the row)."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()

STATUS_CSS = {
    "closed": "bg-green-lt",
    "rejected": "bg-secondary-lt",
    "answered": "bg-blue-lt",
    "awaiting_material": "bg-yellow-lt",
}


@register.filter
def pct(value) -> str:
    """0.8567 → '85.7%'; None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.simple_tag
def status_badge(request) -> str:
    return format_html(
        '<span class="badge {}" data-testid="status">{}</span>',
        STATUS_CSS.get(request.status, "bg-azure-lt"),
        request.get_status_display(),
    )


@register.simple_tag
def clock_badge(request) -> str:
    """Time left or overdue, and the escalation level, from `request.clock` (views set it)."""
    clock = getattr(request, "clock", None)
    if clock is None or not request.is_open:
        return "—"
    title = clock.due_at.strftime("%Y-%m-%d %H:%M") if clock.due_at else ""
    parts = [(clock.css, title, clock.label, "")]
    if clock.escalation:
        parts.append(("bg-red text-white", "", clock.escalation.label, "escalation"))
    return format_html_join(
        " ",
        '<span class="badge {}" title="{}" data-testid="{}">{}</span>',
        ((css, tip, testid or "clock-badge", label) for css, tip, label, testid in parts),
    )
