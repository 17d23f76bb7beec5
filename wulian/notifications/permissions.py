"""Who may do what with notifications and channels (on top of core.permissions). Everyone
reads their own notifications; group robots belong to departments; channel health and the
outbox are for administrators."""

from wulian.core.choices import Role
from wulian.core.permissions import is_administrator, role_allowed

# The group-robot page and endpoint (administrators pass every role check).
ROBOT_ROLES = frozenset({Role.DEPARTMENT})
# Channel health: administrators only.
HEALTH_ROLES = frozenset()


def can_configure_channels(user) -> bool:
    """Open the group-robot page (a department's own robots; administrators all)."""
    return role_allowed(user, ROBOT_ROLES)


def sees_every_robot(user) -> bool:
    """Every department's robots, the channels' health, the outbox and the worker."""
    return is_administrator(user)


def can_manage_robot(user, department) -> bool:
    """Administrators any robot; a department's staff their own department's."""
    if is_administrator(user):
        return True
    return (
        department is not None
        and role_allowed(user, ROBOT_ROLES)
        and user.department_id == getattr(department, "pk", department)
    )
