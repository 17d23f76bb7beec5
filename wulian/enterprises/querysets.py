"""Read paths for enterprises; `visible_to` is the one place that scopes them by role."""

from django.db import models

from wulian.core.choices import Role
from wulian.core.models import CITY_CODE


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnterpriseQuerySet":
        """Enterprises the user may see.

        Leaders, departments and chain offices see the whole registry (it is the city's
        reference list); county staff see their county; an enterprise user sees only the
        enterprises their account belongs to; anyone else sees nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role in (Role.LEADER, Role.DEPARTMENT, Role.CHAIN):
            return self
        if user.role == Role.COUNTY:
            return self.filter(region_id=user.region_id) if user.region_id else self.none()
        if user.role == Role.ENTERPRISE:
            return self.filter(accounts=user)
        return self.none()

    def in_region(self, code: str | None) -> "EnterpriseQuerySet":
        """`code` is a GB/T 2260 code; the city's code (or none) means every county."""
        if not code or code == CITY_CODE:
            return self
        return self.filter(region_id=code)

    def search(self, text: str) -> "EnterpriseQuerySet":
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(models.Q(name__icontains=text) | models.Q(uscc__startswith=text.upper()))
