"""Who may use what. Every page and endpoint declares `allowed_roles`; undeclared means denied.

Row-level scoping lives in each app's QuerySet `visible_to(user)`; these classes only decide
whether a kind of user may open the view at all.
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ImproperlyConfigured
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .choices import Role

ALL_ROLES = frozenset(Role.values)
GOVERNMENT_ROLES = frozenset({Role.LEADER, Role.CHAIN, Role.DEPARTMENT, Role.COUNTY})


def role_allowed(user, allowed_roles) -> bool:
    """A signed-in, active user whose role is in `allowed_roles`; administrators always."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in allowed_roles


# Named predicates that every app shares; each app's own rules live in `<app>/permissions.py`.


def is_administrator(user) -> bool:
    """A signed-in, active superuser (系统管理员)."""
    return role_allowed(user, frozenset()) and user.is_superuser


def sees_whole_city(user) -> bool:
    """市领导 (and administrators): every row of every module, city-wide figures."""
    return role_allowed(user, {Role.LEADER})


def is_government_user(user) -> bool:
    """Anyone but an enterprise account: leaders, chain offices, departments, counties."""
    return role_allowed(user, GOVERNMENT_ROLES)


def is_enterprise_user(user) -> bool:
    """An enterprise account; an administrator never counts as one, whatever its role says."""
    return role_allowed(user, {Role.ENTERPRISE}) and not user.is_superuser


class DeclaredRolePermission(BasePermission):
    """DRF: the view must declare `allowed_roles`; the user's role must be in it. A view that
    also declares `write_roles` needs those for anything but reading (GET, HEAD, OPTIONS)."""

    message = "您没有权限访问此接口。"

    def has_permission(self, request, view) -> bool:
        allowed = getattr(view, "allowed_roles", None)
        if allowed is None:
            raise ImproperlyConfigured(f"{type(view).__name__} must declare allowed_roles")
        if request.method not in SAFE_METHODS:
            allowed = getattr(view, "write_roles", allowed)
        return role_allowed(request.user, allowed)


class RoleRequiredMixin(AccessMixin):
    """Pages: log in first, then the role must be in `allowed_roles` (403 otherwise)."""

    allowed_roles: frozenset | None = None

    def dispatch(self, request, *args, **kwargs):
        if self.allowed_roles is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare allowed_roles")
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not role_allowed(request.user, self.allowed_roles):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
