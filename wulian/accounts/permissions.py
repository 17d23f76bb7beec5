"""Who may do what with accounts and account claims (on top of core.permissions): accounts
and the organisation are for administrators; claims for administrators and county staff."""

from wulian.core.choices import Role
from wulian.core.permissions import is_administrator, role_allowed

# Accounts, departments and counties: administrators only (they pass every role check).
ADMIN_ROLES = frozenset()
# Review enterprise account claims: county staff (their county's) and administrators.
REVIEW_ROLES = frozenset({Role.COUNTY})


def may_review_claims(user) -> bool:
    """Administrators review every claim; county staff the claims of their county."""
    return is_administrator(user) or (role_allowed(user, REVIEW_ROLES) and bool(user.region_id))


def sees_every_claim(user) -> bool:
    return is_administrator(user)


def can_decide(claim, user) -> bool:
    """Administrators decide any claim; county staff those on their county's enterprises."""
    if not may_review_claims(user):
        return False
    return sees_every_claim(user) or claim.enterprise.region_id == user.region_id
