"""Who may do what with projects (on top of core.permissions); rows are scoped by
`Project.objects.visible_to(user)`, stage moves by the TRANSITIONS table in services."""

from wulian.core.choices import Role
from wulian.core.permissions import GOVERNMENT_ROLES, role_allowed, sees_whole_city

# Register a project.
CREATE_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN, Role.COUNTY})
# Open a lead for a target company from the chains' gap analysis.
OPEN_LEAD_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN})
# Edit a visible project's facts; move it along the pipeline (each move in TRANSITIONS).
EDIT_ROLES = GOVERNMENT_ROLES


def can_create_project(user) -> bool:
    return role_allowed(user, CREATE_ROLES)


def can_open_lead(user) -> bool:
    return role_allowed(user, OPEN_LEAD_ROLES)


def can_edit_project(user) -> bool:
    """Edit facts of the projects the user sees (not their stage)."""
    return role_allowed(user, EDIT_ROLES)


def sees_every_project(user) -> bool:
    """Leaders see every project; others are scoped by department, chain or county."""
    return sees_whole_city(user)
