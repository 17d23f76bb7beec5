"""Who may do what with the chain maps (on top of core.permissions)."""

from wulian.core.choices import Role
from wulian.core.permissions import is_government_user, role_allowed

# Edit links and edges (their own chain for chain offices, see can_edit_chain).
EDIT_ROLES = frozenset({Role.LEADER, Role.CHAIN})
# Import links, enterprise mappings and target companies.
IMPORT_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.DEPARTMENT})
# Every chain (county staff see only their county's enterprises on the links).
ALL_CHAINS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.COUNTY})


def sees_every_chain(user) -> bool:
    """Open every chain; chain offices only their own, enterprises the ones they sit on."""
    return role_allowed(user, ALL_CHAINS_ROLES)


def can_edit_chain(user, chain) -> bool:
    """Chain offices edit their own chain's links and edges; leaders and superusers any."""
    if role_allowed(user, {Role.LEADER}):
        return True
    return role_allowed(user, EDIT_ROLES) and user.chain_code == chain.code


def can_import_chains(user) -> bool:
    """Import links, enterprise mappings and target companies."""
    return role_allowed(user, IMPORT_ROLES)


def sees_analysis(user) -> bool:
    """Scorecards and gap analysis are for government users, not enterprises."""
    return is_government_user(user)
