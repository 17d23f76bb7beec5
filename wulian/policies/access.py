"""Who may do what with policies and payouts (row scope is in querysets)."""

from wulian.core.choices import Role
from wulian.core.permissions import ALL_ROLES, GOVERNMENT_ROLES

CATALOGUE_ROLES = ALL_ROLES
EDIT_ROLES = frozenset({Role.DEPARTMENT})  # superusers pass every role check
MATCH_ROLES = ALL_ROLES
PAYOUT_ROLES = ALL_ROLES
STATS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN, Role.COUNTY})
GOV_ROLES = GOVERNMENT_ROLES


def handles(user, policy) -> bool:
    """The issuing department's staff (and administrators) run a policy's payouts."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(
        user.role == Role.DEPARTMENT
        and user.department_id
        and user.department_id == policy.issuer_id
    )


def may_issue(user, department) -> bool:
    """Department staff issue policies for their own department; administrators for any."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.role == Role.DEPARTMENT and department and user.department_id == department.pk)


def enterprise_ids_of(user) -> set[int]:
    if not user or not user.is_authenticated or user.role != Role.ENTERPRISE:
        return set()
    cache = getattr(user, "_policy_enterprise_ids", None)
    if cache is None:
        cache = set(user.enterprises.values_list("id", flat=True))
        user._policy_enterprise_ids = cache
    return cache
