"""Who may use the indicator pages and endpoints (allowed_roles) and which regions they see
(on top of core.permissions; querysets scope rows with the same rules)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.core.models import CITY_CODE, Region
from wulian.core.permissions import GOVERNMENT_ROLES, role_allowed

# Enterprises do not see the government's indicator system (403).
READ_ROLES = GOVERNMENT_ROLES
# Import statistics and set targets: leaders and departments (statistics bureau, 发改委 …).
EDIT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})
# Every region; county staff see their county, the city and the province's cities.
ALL_REGIONS_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT, Role.CHAIN})


def can_edit(user) -> bool:
    """Import statistics and set targets."""
    return role_allowed(user, EDIT_ROLES)


def sees_every_region(user) -> bool:
    return role_allowed(user, ALL_REGIONS_ROLES)


def may_see_region(user, region_code: str) -> bool:
    """Whether the user may see data of one region (used by the services that compute)."""
    if sees_every_region(user):
        return True
    if not (role_allowed(user, {Role.COUNTY}) and user.region_id):
        return False
    return (
        region_code == user.region_id
        or Region.objects.filter(code=region_code, is_peer_city=True).exists()
    )


def checked_region(user, code: str | None) -> str:
    """The requested region (default: the city), refused when unknown or out of scope."""
    code = (code or CITY_CODE).strip()
    if not Region.objects.filter(code=code).exists():
        raise Http404(_("未知区划代码“%(c)s”") % {"c": code})
    if not may_see_region(user, code):
        raise PermissionDenied(_("您无权查看该区划的数据。"))
    return code
