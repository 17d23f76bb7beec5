"""Who may do what with policies and payouts (on top of core.permissions; row scope is in
querysets)."""

from wulian.core.choices import Role
from wulian.core.permissions import ALL_ROLES, GOVERNMENT_ROLES, role_allowed, sees_whole_city

CATALOGUE_ROLES = ALL_ROLES
EDIT_ROLES = frozenset({Role.DEPARTMENT})  # superusers pass every role check
MATCH_ROLES = ALL_ROLES
PAYOUT_ROLES = ALL_ROLES
STATS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN, Role.COUNTY})
GOV_ROLES = GOVERNMENT_ROLES
# Every enterprise's matches and payouts (chain offices, counties and enterprises: their own).
ALL_ROWS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Told on the workbench of overdue payouts in their scope (the city for leaders).
OVERSEER_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.COUNTY})


def can_issue_policies(user) -> bool:
    """Issue policies (for the user's own department; see may_issue)."""
    return role_allowed(user, EDIT_ROLES)


def is_department_staff(user) -> bool:
    """A department's own account (not an administrator): it runs its policies' payouts."""
    return role_allowed(user, {Role.DEPARTMENT}) and not user.is_superuser


def sees_every_match(user) -> bool:
    """Every enterprise's matches (and, for leaders, every payout)."""
    return role_allowed(user, ALL_ROWS_ROLES)


def sees_every_payout_overdue(user) -> bool:
    """Overdue payouts go before the city's leaders after POLICY_ESCALATION_WORKDAYS."""
    return sees_whole_city(user)


def oversees_payouts(user) -> bool:
    return role_allowed(user, OVERSEER_ROLES)


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
