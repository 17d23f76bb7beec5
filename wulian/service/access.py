"""Who may open which 企呼我应 page beyond the role check (row scope is in querysets)."""

from wulian.core.choices import Role
from wulian.core.permissions import ALL_ROLES, GOVERNMENT_ROLES

REQUEST_ROLES = ALL_ROLES
STATS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
BOARD_ROLES = frozenset({Role.DEPARTMENT})
GOV_ROLES = GOVERNMENT_ROLES


def is_dispatcher(user) -> bool:
    """营商办 staff (the department flagged is_dispatcher), or a superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return bool(
        user.role == Role.DEPARTMENT and user.department_id and user.department.is_dispatcher
    )


def sees_city_stats(user) -> bool:
    """Statistics for the whole city: leaders and 营商办."""
    return user.is_authenticated and (
        user.is_superuser or user.role == Role.LEADER or is_dispatcher(user)
    )


def stats_scope(user) -> set[str] | None:
    """None for the whole city; otherwise the department rollup keys the user may see."""
    if sees_city_stats(user):
        return None
    if user.is_authenticated and user.role == Role.DEPARTMENT and user.department_id:
        return {str(user.department_id)}
    return set()
