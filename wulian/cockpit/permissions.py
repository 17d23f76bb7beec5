"""Who may open the cockpit: city leaders, and departments (who report to them)."""

from wulian.core.choices import Role

COCKPIT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
