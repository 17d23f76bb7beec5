"""Who may do what with key work and meetings (on top of core.permissions); rows are scoped
by the QuerySets' `visible_to(user)`, status moves by the transition tables in services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wulian.core.choices import Role
from wulian.core.permissions import GOVERNMENT_ROLES, role_allowed, sees_whole_city

if TYPE_CHECKING:
    from .models import Meeting, MeetingSeries, Task

# The task lists, details and exports (county staff see meetings, not tasks).
TASK_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN})
# Assign a task (leaders to any department, staff to their own).
CREATE_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# The late-tasks board by department.
LEADER_ROLES = frozenset({Role.LEADER})
MEETING_ROLES = GOVERNMENT_ROLES
# Every meeting; chain offices see the city's and their chain's, counties the city's.
ALL_MEETINGS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})


def is_leader(user) -> bool:
    """市领导 (and administrators): every task, the late board, any department's task."""
    return sees_whole_city(user)


def sees_tasks(user) -> bool:
    return role_allowed(user, TASK_ROLES)


def can_create_tasks(user) -> bool:
    return role_allowed(user, CREATE_ROLES)


def sees_every_meeting(user) -> bool:
    return role_allowed(user, ALL_MEETINGS_ROLES)


def works_in(user, department_id) -> bool:
    """Staff of that department."""
    return bool(
        role_allowed(user, {Role.DEPARTMENT})
        and department_id
        and user.role == Role.DEPARTMENT
        and user.department_id == department_id
    )


def can_report(user, task: Task) -> bool:
    """Leaders, and staff of the lead or a co-department."""
    if is_leader(user):
        return True
    if not works_in(user, user.department_id):
        return False
    if task.lead_department_id == user.department_id:
        return True
    return task.co_departments.filter(pk=user.department_id).exists()


def can_close(user, task: Task) -> bool:
    """Leaders, and staff of the lead department."""
    return is_leader(user) or works_in(user, task.lead_department_id)


def can_manage_meeting(user, meeting: Meeting | MeetingSeries) -> bool:
    """Leaders; the chain office of a chain meeting; the organising department."""
    series = getattr(meeting, "series", meeting)
    if is_leader(user):
        return True
    if role_allowed(user, {Role.CHAIN}):
        return bool(series.chain_code) and user.chain_code == series.chain_code
    return works_in(user, series.organiser_id)
