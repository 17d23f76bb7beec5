"""What chains adds to an enterprise's profile: the links it is on (see enterprises.profile)."""

from __future__ import annotations

from django.urls import reverse

from wulian.enterprises.profile import ChainPlacement

from .choices import LinkRole, Segment
from .models import Chain, EnterpriseLink


def chain_names() -> list[tuple[str, str]]:
    """(code, name) of every chain, in chain order."""
    return list(Chain.objects.order_by("sort", "code").values_list("code", "name"))


def enterprise_chains(enterprise_ids: list[int]) -> dict[int, list[ChainPlacement]]:
    """Each enterprise's placements, 主营 before 配套, in chain and link order."""
    out: dict[int, list[ChainPlacement]] = {}
    rows = (
        EnterpriseLink.objects.filter(enterprise_id__in=enterprise_ids)
        .order_by("enterprise_id", "role", "link__chain__sort", "link__sort", "link_id")
        .values_list(
            "enterprise_id",
            "role",
            "link_id",
            "link__name",
            "link__segment",
            "link__chain__code",
            "link__chain__name",
        )
    )
    # Labels and URLs once per call, not per row (a choice's display rebuilds its list).
    segments = {value: str(label) for value, label in Segment.choices}
    roles = {value: str(label) for value, label in LinkRole.choices}
    maps: dict[str, str] = {}
    for enterprise_id, role, link_id, link_name, segment, chain_code, chain_name in rows:
        if chain_code not in maps:
            maps[chain_code] = reverse("chains:map", args=[chain_code])
        out.setdefault(enterprise_id, []).append(
            ChainPlacement(
                chain_code=chain_code,
                chain_name=chain_name,
                link_id=link_id,
                link_name=link_name,
                segment=segment,
                segment_display=segments.get(segment, segment),
                role=role,
                role_display=roles.get(role, role),
                url=f"{maps[chain_code]}?link={link_id}",
            )
        )
    return out
