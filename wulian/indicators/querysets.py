"""Read paths for indicator data; `visible_to` is the one place that scopes them by role.

Leaders, chain offices and departments see every region. County staff see their own county,
the city and the province's cities (the city-level comparison), not the other counties.
Enterprise users see none of it (the pages answer 403 before this is reached).
"""

from django.db import models

from wulian.core.choices import Role

from .permissions import sees_every_region


def visible_region_filter(user) -> models.Q | None:
    """A Q on `region` for the user, None for no restriction, or Q(pk=None)-like for none."""
    if not user or not user.is_authenticated or not user.is_active:
        return models.Q(pk__in=[])
    if sees_every_region(user):
        return None
    if user.role == Role.COUNTY and user.region_id:
        return models.Q(region_id=user.region_id) | models.Q(region__is_peer_city=True)
    return models.Q(pk__in=[])


class _RegionScoped(models.QuerySet):
    def visible_to(self, user):
        q = visible_region_filter(user)
        return self if q is None else self.filter(q)


class ObservationQuerySet(_RegionScoped):
    def for_period(self, period: str, cumulative: bool | None = None):
        qs = self.filter(period=period)
        return qs if cumulative is None else qs.filter(cumulative=cumulative)


class TargetQuerySet(_RegionScoped):
    pass
