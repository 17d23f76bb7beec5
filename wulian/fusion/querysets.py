"""Read paths for the fusion datasets; `visible_to` is the one place that scopes them by role.

A platform, fund, talent row, financing event or peer-city output belongs to the links it
serves. A user sees a row when it touches a link of a chain they may open
(`Link.objects.visible_to`: every chain for leaders, departments and county staff, their own
chain for a chain office), or when it names no link at all; and, for rows tied to an
enterprise, only when they may see that enterprise (county staff: their county's). The page,
the API and the xlsx export all read through here. Writes are held to the same links by
`links_outside` (a chain office maintains its own chain's data).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from wulian.chains.models import Link
from wulian.chains.permissions import sees_every_chain
from wulian.enterprises.models import Enterprise
from wulian.enterprises.permissions import sees_whole_registry


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class FusionQuerySet(models.QuerySet):
    """Rows tied to links through one foreign key (`link`) or a many-to-many (`links`)."""

    link_field = "link"  # or "links" for a many-to-many
    has_enterprise = False

    def visible_to(self, user) -> FusionQuerySet:
        if not _signed_in(user):
            return self.none()
        qs = self
        if not sees_every_chain(user):
            qs = qs._on_links(Link.objects.visible_to(user))
        if self.has_enterprise and not sees_whole_registry(user):
            qs = qs.filter(
                models.Q(enterprise__isnull=True)
                | models.Q(enterprise__in=Enterprise.objects.visible_to(user))
            )
        return qs

    def _on_links(self, links) -> FusionQuerySet:
        if self.link_field == "links":
            through = self.model.links.through
            own = through._meta.get_field(self.model._meta.model_name).attname
            touches = through.objects.filter(**{own: models.OuterRef("pk")})
            return self.filter(
                ~models.Exists(touches) | models.Exists(touches.filter(link__in=links))
            )
        return self.filter(models.Q(link__isnull=True) | models.Q(link__in=links))


class PlatformQuerySet(FusionQuerySet):
    link_field = "links"
    has_enterprise = True


class FundQuerySet(FusionQuerySet):
    link_field = "links"


class TalentDemandQuerySet(FusionQuerySet):
    has_enterprise = True


class LinkRowQuerySet(FusionQuerySet):
    """Talent supply and peer-city output: one link each, no enterprise."""


class FinancingQuerySet(FusionQuerySet):
    has_enterprise = True


def links_outside(user, link_ids: Iterable[int | None]) -> list[int]:
    """The links among `link_ids` that the user may not write to (none for most roles)."""
    wanted = {pk for pk in link_ids if pk}
    if not wanted or sees_every_chain(user):
        return []
    allowed = set(Link.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))
    return sorted(wanted - allowed)
