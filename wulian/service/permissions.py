"""Who may do what in 企呼我应 (on top of core.permissions); row scope is in querysets, the step
owners of each transition in workflow.actors_for."""

from wulian.core.choices import Role
from wulian.core.permissions import (
    ALL_ROLES,
    GOVERNMENT_ROLES,
    is_enterprise_user,
    role_allowed,
    sees_whole_city,
)

REQUEST_ROLES = ALL_ROLES
STATS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
BOARD_ROLES = frozenset({Role.DEPARTMENT})
GOV_ROLES = GOVERNMENT_ROLES
# Told on the workbench of what is overdue in their scope (the city for leaders).
OVERSEER_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.COUNTY})


def is_dispatcher(user) -> bool:
    """营商办 staff (the department flagged is_dispatcher), or a superuser: they accept and
    route requests, keep the routing rules and the categories' deadlines."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(
        user.role == Role.DEPARTMENT and user.department_id and user.department.is_dispatcher
    )


def is_dispatch_staff(user) -> bool:
    """A 营商办 account itself (the dispatcher's own worklist), not an administrator."""
    return is_dispatcher(user) and not user.is_superuser


def sees_every_request(user) -> bool:
    """Leaders see every request; the others by department, county, chain or enterprise."""
    return sees_whole_city(user)


def sees_city_stats(user) -> bool:
    """Statistics for the whole city: leaders and 营商办."""
    return sees_whole_city(user) or is_dispatcher(user)


def sees_stats(user) -> bool:
    """The statistics page (a department sees its own rows, see stats_scope)."""
    return role_allowed(user, STATS_ROLES)


def oversees_requests(user) -> bool:
    """Leaders, chain offices and counties follow overdue requests in their scope."""
    return role_allowed(user, OVERSEER_ROLES)


def may_file_request(user) -> bool:
    """Enterprise users file for their own enterprises; administrators for any."""
    return role_allowed(user, {Role.ENTERPRISE})


def is_requester(user) -> bool:
    """An enterprise account: its pages are its own requests."""
    return is_enterprise_user(user)


def stats_scope(user) -> set[str] | None:
    """None for the whole city; otherwise the department rollup keys the user may see."""
    if sees_city_stats(user):
        return None
    if user.is_authenticated and user.role == Role.DEPARTMENT and user.department_id:
        return {str(user.department_id)}
    return set()
