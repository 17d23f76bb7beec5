"""Who may use the indicator pages and endpoints (allowed_roles) and which regions they see."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from wulian.core.choices import Role
from wulian.core.models import CITY_CODE, Region
from wulian.core.permissions import GOVERNMENT_ROLES

from .querysets import may_see_region

# Enterprises do not see the government's indicator system (403).
READ_ROLES = GOVERNMENT_ROLES
# Import statistics and set targets: leaders and departments (statistics bureau, 发改委 …).
EDIT_ROLES = frozenset({Role.LEADER, Role.DEPARTMENT})


def can_edit(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in EDIT_ROLES))


def checked_region(user, code: str | None) -> str:
    """The requested region (default: the city), refused when unknown or out of scope."""
    code = (code or CITY_CODE).strip()
    if not Region.objects.filter(code=code).exists():
        raise Http404(_("未知区划代码“%(c)s”") % {"c": code})
    if not may_see_region(user, code):
        raise PermissionDenied(_("您无权查看该区划的数据。"))
    return code
