"""What chains adds to an enterprise's profile: the links it is on (see enterprises.profile)."""

from __future__ import annotations

from django.urls import reverse

from wulian.core.choices import labels_in_language
from wulian.core.sqlread import Columns, placeholders, select
from wulian.enterprises.profile import ChainPlacement

from .choices import LinkRole, Segment
from .models import Chain, EnterpriseLink, Link


def chain_names() -> list[tuple[str, str]]:
    """(code, name) of every chain, in chain order."""
    return list(Chain.objects.order_by("sort", "code").values_list("code", "name"))


_PLACED = Columns(EnterpriseLink, ["enterprise_id", "role", "link_id"], alias="el")
_LINK = Columns(Link, ["name", "segment"], alias="l")
_CHAIN = Columns(Chain, ["code", "name"], alias="c")


def enterprise_chains(enterprise_ids: list[int]) -> dict[int, list[ChainPlacement]]:
    """Each enterprise's placements, 主营 before 配套, in chain and link order.

    In plain SQL (core.sqlread): the enterprise API's detail and the profile read it on every
    request, and the ORM statement cost more to build than to run."""
    out: dict[int, list[ChainPlacement]] = {}
    ids = list(enterprise_ids)
    if not ids:
        return out
    placed, link, chain = _PLACED, _LINK, _CHAIN
    rows = select(
        f"SELECT {placed.sql}, {link.sql}, {chain.sql} FROM {placed.table}"
        f" INNER JOIN {link.table} ON {link.ref('id')} = {placed.ref('link_id')}"
        f" INNER JOIN {chain.table} ON {chain.ref('id')} = {link.ref('chain_id')}"
        f" WHERE {placed.ref('enterprise_id')} IN ({placeholders(len(ids))})"
        f" ORDER BY {placed.ref('enterprise_id')}, {placed.ref('role')}, {chain.ref('sort')},"
        f" {link.ref('sort')}, {placed.ref('link_id')}",
        ids,
        binary=True,
    )
    # Labels once per language, URLs once per call, not per row.
    segments = labels_in_language(Segment)
    roles = labels_in_language(LinkRole)
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
