"""Who may do what in 企呼我应 (on top of core.permissions); row scope is in querysets, the step
owners of each transition in workflow.actors_for."""

from wulian.core.choices import Role
from wulian.core.models import Department
from wulian.core.permissions import (
    ALL_ROLES,
    GOVERNMENT_ROLES,
    is_enterprise_user,
    role_allowed,
    sees_whole_city,
)
from wulian.core.sqlread import Columns, select
from wulian.enterprises.models import Enterprise

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
    return bool(user.role == Role.DEPARTMENT and user.department_id and _dispatches(user))


def _dispatches(user) -> bool:
    """Whether the user's department is flagged is_dispatcher: from the department when it
    was loaded with the user, else in one plain statement kept on the user (every API read of
    a department's staff asks, and the ORM's statement cost 0.3 ms of Python to build)."""
    if "department" in user._state.fields_cache:
        return user.department.is_dispatcher
    known = user.__dict__.get("_service_dispatches")
    if known is None or known[0] != user.department_id:
        column = Columns(Department, ["is_dispatcher"], alias="d")
        rows = select(
            f"SELECT {column.sql} FROM {column.table} WHERE {column.ref('id')} = %s",
            [user.department_id],
            binary=True,
        )
        flag = bool(rows) and column.convert(rows[0])[0]
        known = user._service_dispatches = (user.department_id, flag)
    return known[1]


def enterprise_ids(user) -> set[int]:
    """The enterprises whose account `user` is, read once per user object (in one plain
    statement: the ORM's cost 0.3 ms of Python on every read of an enterprise user)."""
    known = user.__dict__.get("_service_enterprise_ids")
    if known is None:
        through = Enterprise.accounts.through
        column = Columns(through, ["enterprise_id"], alias="a")
        rows = select(
            f"SELECT {column.sql} FROM {column.table} WHERE {column.ref('user_id')} = %s",
            [user.pk],
            binary=True,
        )
        known = user._service_enterprise_ids = {row[0] for row in rows}
    return known


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
