"""What chains adds to an enterprise's profile: the links it is on (see enterprises.profile)."""

from __future__ import annotations

from django.urls import reverse

from wulian.enterprises.profile import ChainPlacement

from .models import Chain, EnterpriseLink


def chain_names() -> list[tuple[str, str]]:
    """(code, name) of every chain, in chain order."""
    return list(Chain.objects.order_by("sort", "code").values_list("code", "name"))


def enterprise_chains(enterprise_ids: list[int]) -> dict[int, list[ChainPlacement]]:
    """Each enterprise's placements, 主营 before 配套, in chain and link order."""
    out: dict[int, list[ChainPlacement]] = {}
    rows = (
        EnterpriseLink.objects.filter(enterprise_id__in=enterprise_ids)
        .select_related("link__chain")
        .order_by("enterprise_id", "role", "link__chain__sort", "link__sort", "link_id")
    )
    for placement in rows:
        link = placement.link
        out.setdefault(placement.enterprise_id, []).append(
            ChainPlacement(
                chain_code=link.chain.code,
                chain_name=link.chain.name,
                link_id=link.pk,
                link_name=link.name,
                segment=link.segment,
                segment_display=str(link.get_segment_display()),
                role=placement.role,
                role_display=str(placement.get_role_display()),
                url=reverse("chains:map", args=[link.chain.code]) + f"?link={link.pk}",
            )
        )
    return out
