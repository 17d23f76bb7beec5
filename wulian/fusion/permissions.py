"""Who may do what with the five-chain scorecards (on top of core.permissions)."""

from wulian.core.choices import Role
from wulian.core.permissions import GOVERNMENT_ROLES, is_government_user, role_allowed

# Import platforms, talent, funds and listed companies.
IMPORT_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.DEPARTMENT})
# The scorecards, gaps and evidence pages.
READ_ROLES = GOVERNMENT_ROLES
# Change the dimension weights of the fusion score.
WEIGH_ROLES = frozenset({Role.LEADER})


def can_weigh(user) -> bool:
    """Change the dimension weights (市领导)."""
    return role_allowed(user, WEIGH_ROLES)


def sees_scores(user) -> bool:
    """Scores and gaps are the government's; enterprises see the chains, not the scores."""
    return is_government_user(user)
