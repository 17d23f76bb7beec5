"""Small, fast badges for request lists (an {% include %} per row costs more than the row)."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from wulian.service.permissions import is_dispatcher

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


# Whose turn it is at each open state: (the role whose move it is, what they do, the label for
# everyone else). A phone card shows it beside the state, as a button when it is the viewer's.
NEXT_STEP = {
    "submitted": ("dispatcher", _("去受理"), _("待营商办受理")),
    "accepted": ("dispatcher", _("去派单"), _("待营商办派单")),
    "routed": ("department", _("去办理"), _("待承办部门办理")),
    "in_progress": ("department", _("去答复"), _("待承办部门答复")),
    "awaiting_material": ("enterprise", _("补充材料"), _("待企业补充材料")),
    "answered": ("enterprise", _("确认并评价"), _("待企业确认评价")),
}


def _whose_turn(request, user, who: str) -> bool:
    if who == "enterprise":
        return user.role == "enterprise"
    if who == "dispatcher":
        return is_dispatcher(user)
    return user.role == "department" and user.department_id == request.department_id


@register.simple_tag
def next_step(request, user) -> str:
    """The request's next step: a button when it is the viewer's move, else who must act."""
    step = NEXT_STEP.get(request.status)
    if step is None:
        return "—"
    who, action, waiting = step
    if _whose_turn(request, user, who):
        return format_html(
            '<a class="btn btn-sm btn-primary" href="{}" data-testid="next-step">{}</a>',
            request.detail_url,
            action,
        )
    return format_html('<span class="text-secondary small">{}</span>', waiting)
