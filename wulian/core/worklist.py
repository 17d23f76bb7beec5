"""The shape of "what waits for me": each app lists its own, the workbench gathers them.

Apps below the workbench return `TodoSection`s from their own `worklist.py` (typed read
functions); `wulian.workbench` puts them together for one person, overdue first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

ITEMS_PER_SECTION = 8


@dataclass(frozen=True)
class Todo:
    """One thing to do: what, where it is done, by when."""

    title: str
    url: str
    detail: str = ""
    due: dt.datetime | dt.date | None = None
    overdue: bool = False
    status: str = ""

    @property
    def due_label(self) -> str:
        """The deadline, short: month, day and time this year; the full date otherwise."""
        if isinstance(self.due, dt.datetime):
            local = timezone.localtime(self.due)
            if local.year == timezone.localdate().year:
                return local.strftime("%m-%d %H:%M")
            return local.strftime("%Y-%m-%d")
        return self.due.strftime("%Y-%m-%d") if self.due else ""


@dataclass
class TodoSection:
    """A kind of work waiting for the person, with how many and how many are overdue."""

    key: str
    label: str
    url: str  # the page where the whole list is worked on
    count: int
    overdue: int
    items: list[Todo] = field(default_factory=list)


def due_moment(due: dt.datetime | dt.date | None) -> dt.datetime | None:
    """A deadline as an aware moment (a date is due at the end of that day, local time)."""
    if due is None or isinstance(due, dt.datetime):
        return due
    return timezone.make_aware(dt.datetime.combine(due, dt.time(23, 59, 59)))


def due_sort_key(todo: Todo) -> tuple:
    """Overdue first, then the nearest deadline, items without one last."""
    moment = due_moment(todo.due)
    return (not todo.overdue, moment is None, moment.timestamp() if moment else 0.0, todo.title)
