"""Who may do what with the enterprise records (on top of core.permissions)."""

from wulian.core.choices import Role

# Import and maintain the registry, monthly figures and tags.
IMPORT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Change the 亩均 weights and thresholds, run an evaluation.
MUJUN_EDIT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Log and plan visits; act on early-warning flags (链办 and county staff first of all).
VISIT_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.DEPARTMENT, Role.COUNTY})
