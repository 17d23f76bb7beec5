"""Gather what waits for one person from every module, overdue first, with counts.

Reads only the typed worklist functions of the apps below (`service.worklist`,
`policies.worklist`, `keywork.worklist`); writes nothing except the daily digest's notification.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.accounts import worklist as accounts_worklist
from wulian.core.worklist import Todo, TodoSection, due_sort_key
from wulian.keywork import worklist as keywork_worklist
from wulian.notifications.choices import Kind
from wulian.notifications.models import NotifySettings
from wulian.notifications.services import digest_wanted, notify
from wulian.policies import worklist as policy_worklist
from wulian.service import worklist as service_worklist


@dataclass
class Workbench:
    """Everything waiting for one person: sections (most overdue first) and their totals."""

    sections: list[TodoSection]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.sections)

    @property
    def overdue(self) -> int:
        return sum(s.overdue for s in self.sections)

    def items(self) -> list[tuple[TodoSection, Todo]]:
        """Every listed item with its section, overdue first, then by deadline."""
        pairs = [(s, t) for s in self.sections for t in s.items]
        return sorted(pairs, key=lambda pair: due_sort_key(pair[1]))


def workbench_for(user, now: dt.datetime | None = None) -> Workbench:
    """What waits for `user` now, from every module."""
    now = now or timezone.now()
    sections = (
        service_worklist.sections_for(user, now)
        + policy_worklist.sections_for(user, now)
        + keywork_worklist.sections_for(user, timezone.localdate(now))
        + accounts_worklist.sections_for(user)
    )
    sections.sort(key=lambda s: (-s.overdue, -s.count, s.key))
    return Workbench(sections=sections)


def digest_text(bench: Workbench) -> str:
    lines = [
        _("%(label)s：%(n)d 项（超期 %(o)d）") % {"label": s.label, "n": s.count, "o": s.overdue}
        for s in bench.sections
    ]
    return "\n".join(lines)


def send_daily_digests(*, now: dt.datetime | None = None) -> int:
    """Each person who wants it (leaders by default) gets their workbench in one message."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    people = get_user_model().objects.filter(is_active=True).select_related("department")
    chosen = {s.user_id: s for s in NotifySettings.objects.all()}
    for person in people:
        if not digest_wanted(person, chosen.get(person.pk)):
            continue
        bench = workbench_for(person, now)
        if not bench.total:
            continue
        with transaction.atomic():
            sent += bool(
                notify(
                    kind=Kind.DIGEST,
                    recipients=[person],
                    url=reverse("home"),
                    dedupe_key=f"digest:{person.pk}:{today:%Y%m%d}",
                    title=_("每日待办摘要（%(d)s）：%(n)d 项，超期 %(o)d 项")
                    % {"d": today, "n": bench.total, "o": bench.overdue},
                    body=digest_text(bench),
                    now=now,
                )
            )
    return sent
