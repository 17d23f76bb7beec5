"""Who may do what with the enterprise records (on top of core.permissions)."""

from wulian.core.choices import Role
from wulian.core.permissions import GOVERNMENT_ROLES, is_government_user, role_allowed

# Import and maintain the registry, monthly figures and tags.
IMPORT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Change the 亩均 weights and thresholds, run an evaluation.
MUJUN_EDIT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Log and plan visits; act on early-warning flags (链办 and county staff first of all).
VISIT_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.DEPARTMENT, Role.COUNTY})
# The registry is the city's reference list: these roles see all of it (counties their own).
WHOLE_REGISTRY_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN})
# Early-warning flags city-wide (chain offices and counties see their own share).
ALL_FLAGS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
ANALYSIS_ROLES = GOVERNMENT_ROLES


def can_import_enterprises(user) -> bool:
    """Import and export the registry, monthly figures and tags."""
    return role_allowed(user, IMPORT_ROLES)


def can_edit_mujun(user) -> bool:
    """Change the 亩均 weights and warning rules, run an evaluation."""
    return role_allowed(user, MUJUN_EDIT_ROLES)


def may_visit(user) -> bool:
    """Log visits and act on warning flags (rows still scoped by visible_to)."""
    return role_allowed(user, VISIT_ROLES)


def sees_whole_registry(user) -> bool:
    """Every enterprise and the records they own; others are scoped by county or account."""
    return role_allowed(user, WHOLE_REGISTRY_ROLES)


def sees_all_flags(user) -> bool:
    """Every early-warning flag of the city."""
    return role_allowed(user, ALL_FLAGS_ROLES)


def sees_analysis(user) -> bool:
    """亩均 grades, early warning and monthly figures are the government's, not enterprises'."""
    return is_government_user(user)
