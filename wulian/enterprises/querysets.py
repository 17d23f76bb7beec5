"""Read paths for enterprises; `visible_to` is the one place that scopes them by role."""

import datetime as dt

from django.db import models

from wulian.core.choices import Role
from wulian.core.models import CITY_CODE

from .permissions import sees_all_flags, sees_whole_registry


class EnterpriseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnterpriseQuerySet":
        """Enterprises the user may see.

        Leaders, departments and chain offices see the whole registry (it is the city's
        reference list); county staff see their county; an enterprise user sees only the
        enterprises their account belongs to; anyone else sees nothing.
        """
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_whole_registry(user):
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

    def on_chain(self, code: str | None) -> "EnterpriseQuerySet":
        """Enterprises whose main chain (主产业链) is `code`; every enterprise when empty."""
        return self.filter(chain_code=code) if code else self


def _enterprise_scope(queryset, user, prefix: str = "enterprise__"):
    """Rows of enterprise-owned records scoped as their enterprises are (see visible_to)."""
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if sees_whole_registry(user):
        return queryset
    if user.role == Role.COUNTY:
        if not user.region_id:
            return queryset.none()
        return queryset.filter(**{f"{prefix}region_id": user.region_id})
    if user.role == Role.ENTERPRISE:
        return queryset.filter(**{f"{prefix}accounts": user})
    return queryset.none()


class EnterpriseMonthQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnterpriseMonthQuerySet":
        """Monthly figures of the enterprises the user may see."""
        return _enterprise_scope(self, user)

    def between(self, first: dt.date | None, last: dt.date | None) -> "EnterpriseMonthQuerySet":
        qs = self
        if first:
            qs = qs.filter(month__gte=first)
        if last:
            qs = qs.filter(month__lte=last)
        return qs


class EnterpriseTagQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EnterpriseTagQuerySet":
        return _enterprise_scope(self, user)

    def current(self, on: dt.date | None = None) -> "EnterpriseTagQuerySet":
        """Tags that hold on `on` (today by default): started and not yet expired."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=day),
        )


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "VisitQuerySet":
        """Visits are government records: enterprise users do not see them."""
        if user and user.is_authenticated and user.role == Role.ENTERPRISE:
            return self.none()
        return _enterprise_scope(self, user)

    def planned(self) -> "VisitQuerySet":
        return self.filter(visited_on__isnull=True)

    def done(self) -> "VisitQuerySet":
        return self.filter(visited_on__isnull=False)


class MujunResultQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MujunResultQuerySet":
        """Results of the enterprises the user may see."""
        return _enterprise_scope(self, user)

    def for_filters(self, *, year=None, region=None, chain=None, grade=None):
        qs = self
        if year:
            qs = qs.filter(year=year)
        if region and region != CITY_CODE:
            qs = qs.filter(region_id=region)
        if chain:
            qs = qs.filter(enterprise__chain_code=chain)
        if grade:
            qs = qs.filter(grade=grade)
        return qs


class WarningFlagQuerySet(models.QuerySet):
    def visible_to(self, user) -> "WarningFlagQuerySet":
        """Leaders and departments see every flag, a chain office its chain's, county staff
        their county's; enterprises see none (a flag is the government's own judgement).

        By the flag's own copies of its enterprise's county and chain (see WarningFlag)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if sees_all_flags(user):
            return self
        if user.role == Role.CHAIN:
            if not user.chain_code:
                return self.none()
            return self.filter(chain_code=user.chain_code)
        if user.role == Role.COUNTY and user.region_id:
            return self.filter(region_id=user.region_id)
        return self.none()

    def live(self) -> "WarningFlagQuerySet":
        return self.filter(status__in=("open", "visit", "request"))
