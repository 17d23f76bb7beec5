"""What 企呼我应 adds to an enterprise's profile: its requests and how they ended."""

from __future__ import annotations

from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from wulian.enterprises.profile import ProfileSection

from .choices import RequestStatus
from .models import ServiceRequest

LIMIT = 10


def requests_section(*, enterprise, user) -> dict | None:
    """The enterprise's latest requests (as the user may see them) with status and rating."""
    visible = ServiceRequest.objects.visible_to(user).filter(enterprise=enterprise)
    totals = visible.aggregate(
        n=Count("id"),
        closed=Count("id", filter=Q(status=RequestStatus.CLOSED)),
        rating=Avg("rating"),
    )
    rows = visible.select_related("category", "department").order_by("-submitted_at")[:LIMIT]
    return {"requests": list(rows), "totals": totals}


SECTION = ProfileSection(
    key="service-requests",
    title=_("企呼我应诉求"),
    order=40,
    template="service/partials/profile_requests.html",
    render=requests_section,
)
