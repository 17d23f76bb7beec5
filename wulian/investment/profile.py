"""What investment adds to an enterprise's profile: the projects it invests in or runs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wulian.enterprises.profile import ProfileSection

from .models import Project


def projects_section(*, enterprise, user) -> dict | None:
    """The enterprise's projects the user may see, largest first."""
    rows = (
        Project.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .order_by("-planned_wan", "id")[:20]
    )
    return {"projects": list(rows)}


SECTION = ProfileSection(
    key="projects",
    title=_("项目"),
    order=50,
    template="investment/partials/profile_projects.html",
    render=projects_section,
)
