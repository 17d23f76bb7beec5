"""What 企呼我应 work waits for one person (read by the workbench).

营商办: requests to accept and to route. A department: requests to answer, and those whose
material came back to review. An enterprise: material to supply, answers to rate. A chain
office: overdue requests on its chain. A county: overdue requests in its county. A leader:
what has escalated to 市领导关注.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.core.worklist import ITEMS_PER_SECTION, Todo, TodoSection

from .choices import Action, Escalation, RequestStatus
from .deadlines import CLOCK_STATUSES, ServiceCalendar, clock_for
from .models import ServiceEvent, ServiceRequest
from .permissions import is_dispatch_staff, is_requester, oversees_requests, sees_every_request

S = RequestStatus


def _last_action(qs: QuerySet) -> QuerySet:
    latest = ServiceEvent.objects.filter(request=OuterRef("pk")).order_by("-at", "-id")
    return qs.annotate(last_action=Subquery(latest.values("action")[:1]))


def _section(
    key: str, label: str, url: str, qs: QuerySet, now: dt.datetime, cal, clocked: bool = True
) -> TodoSection | None:
    """Count, overdue count and the most urgent items of `qs` (ordered by deadline)."""
    count = qs.count()
    if not count:
        return None
    overdue = qs.filter(status__in=CLOCK_STATUSES, due_at__lt=now).count() if clocked else 0
    rows = qs.select_related("enterprise", "category", "department").order_by("due_at", "id")
    items = []
    for r in rows[:ITEMS_PER_SECTION]:
        clock = clock_for(r, cal, now)
        items.append(
            Todo(
                title=f"#{r.pk} {r.title}",
                url=r.get_absolute_url(),
                detail=_("%(e)s · %(c)s · %(clock)s")
                % {"e": r.enterprise.name, "c": r.category.name, "clock": clock.label},
                due=r.due_at,
                overdue=clock.overdue,
                status=r.get_status_display(),
            )
        )
    return TodoSection(key=key, label=label, url=url, count=count, overdue=overdue, items=items)


def _dispatcher(now, cal) -> list:
    board = reverse("service:board")
    base = ServiceRequest.objects.all()
    return [
        _section(
            "service.accept",
            _("待受理的企业诉求"),
            board,
            base.filter(status=S.SUBMITTED),
            now,
            cal,
        ),
        _section(
            "service.route", _("待派单的企业诉求"), board, base.filter(status=S.ACCEPTED), now, cal
        ),
    ]


def _department(user, now, cal) -> list:
    inbox = reverse("service:inbox")
    mine = _last_action(
        ServiceRequest.objects.filter(
            department_id=user.department_id, status__in=[S.ROUTED, S.IN_PROGRESS]
        )
    )
    supplied = mine.filter(last_action=Action.SUPPLY_MATERIAL)
    return [
        _section(
            "service.review",
            _("企业已补充材料，待审阅"),
            inbox,
            supplied,
            now,
            cal,
        ),
        _section(
            "service.answer",
            _("待答复的企业诉求"),
            inbox,
            mine.exclude(last_action=Action.SUPPLY_MATERIAL),
            now,
            cal,
        ),
    ]


def _enterprise(user, now, cal) -> list:
    mine_url = reverse("service:mine")
    own = ServiceRequest.objects.visible_to(user)
    return [
        _section(
            "service.supply",
            _("需要补充材料的诉求"),
            mine_url,
            own.filter(status=S.AWAITING_MATERIAL),
            now,
            cal,
            clocked=False,
        ),
        _section(
            "service.rate",
            _("已答复、待您评价的诉求"),
            mine_url,
            own.filter(status=S.ANSWERED),
            now,
            cal,
            clocked=False,
        ),
    ]


def _overseer(user, now, cal) -> list:
    inbox = reverse("service:inbox")
    scoped = ServiceRequest.objects.visible_to(user)
    if sees_every_request(user):
        qs = scoped.escalated(Escalation.LEADER, calendar=cal, now=now)
        return [
            _section(
                "service.escalated",
                _("升级到市领导关注的诉求"),
                f"{inbox}?escalation=3",
                qs,
                now,
                cal,
            )
        ]
    label = _("本链超期诉求（链办督办）") if user.role == Role.CHAIN else _("本县超期诉求")
    qs = scoped.overdue(now)
    return [_section("service.overdue", label, f"{inbox}?overdue=true", qs, now, cal)]


def sections_for(user, now: dt.datetime | None = None) -> list[TodoSection]:
    """The 企呼我应 work waiting for `user`, as workbench sections (empty ones left out)."""
    now = now or timezone.now()
    cal = ServiceCalendar()
    found: list = []
    if is_requester(user):
        found += _enterprise(user, now, cal)
    if is_dispatch_staff(user):
        found += _dispatcher(now, cal)
    if user.role == Role.DEPARTMENT and user.department_id:
        found += _department(user, now, cal)
    if oversees_requests(user):
        found += _overseer(user, now, cal)
    return [s for s in found if s is not None]
