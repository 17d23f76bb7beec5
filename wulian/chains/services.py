"""Writes and rollups for the chains: link/edge edits, enterprise placement, link statistics.

Every write is atomic and audited. The link statistics (LinkStat) are a rollup of the
enterprises on each link; the services that change placements refresh them, and
`chain_summaries()` (read by the cockpit on every view) reads only the rollup, cached.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wulian.core import audit
from wulian.core.cache import derived
from wulian.core.choices import AuditAction
from wulian.core.periodtext import year_to_month_text
from wulian.core.references import references
from wulian.enterprises import months
from wulian.enterprises.services import set_chain_codes

from .choices import LinkRole, Segment
from .models import Chain, ChainStat, EnterpriseLink, Link, LinkEdge, LinkStat
from .permissions import can_edit_chain
from .taxonomy import find_cycle

# What the chain summaries are computed from (core.cache.derived: fresh after any write).
SUMMARY_TABLES = (Chain, Link, LinkStat, ChainStat, EnterpriseLink, "enterprises_enterprise")


class ChainSummary(TypedDict):
    """One chain at a glance: its links, the distinct enterprises on them and their output."""

    code: str
    name: str
    links: int
    enterprises: int
    output_wan: float
    is_synthetic: bool  # any enterprise counted is synthetic (the totals are then synthetic)


def invalidate_rollups(chain: Chain | None = None) -> None:
    """Mark `chain`'s rollups as changed after an edit of its graph.

    Touching the chain's LinkStat rows tells readers that keep their own rollups (the fusion
    scorecard compares against the newest LinkStat.computed_at) to recompute.
    """
    if chain is not None:
        LinkStat.objects.filter(link__chain=chain).update(computed_at=timezone.now())


def refresh_link_stats(chain: Chain | None = None) -> int:
    """Recompute LinkStat for every link (or one chain's links) in one grouped query."""
    links = Link.objects.all() if chain is None else chain.links.all()
    main = Q(enterprise_links__role=LinkRole.MAIN)
    rows = links.annotate(
        n=Count("enterprise_links", distinct=True),
        n_main=Count("enterprise_links", filter=main, distinct=True),
        n_listed=Count(
            "enterprise_links",
            filter=Q(enterprise_links__enterprise__is_listed=True),
            distinct=True,
        ),
        out=Sum("enterprise_links__enterprise__output_wan", filter=main),
        top=Max("enterprise_links__enterprise__output_wan"),
        staff=Sum("enterprise_links__enterprise__employees", filter=main),
    ).values_list("id", "n", "n_main", "n_listed", "out", "top", "staff")
    stats = [
        LinkStat(
            link_id=link_id,
            enterprises=n,
            main_enterprises=n_main,
            listed=n_listed,
            output_wan=out or Decimal(0),
            top_output_wan=top or Decimal(0),
            employees=staff or 0,
        )
        for link_id, n, n_main, n_listed, out, top, staff in rows
    ]
    with transaction.atomic():
        LinkStat.objects.bulk_create(
            stats,
            update_conflicts=True,
            unique_fields=["link"],
            update_fields=[
                "enterprises",
                "main_enterprises",
                "listed",
                "output_wan",
                "top_output_wan",
                "employees",
                "computed_at",
            ],
            batch_size=500,
        )
        refresh_chain_stats(chain)
    invalidate_rollups()
    sync_enterprise_chains()
    return len(stats)


def refresh_chain_stats(chain: Chain | None = None) -> None:
    """Recompute ChainStat (distinct enterprises on the links) for every chain or one."""
    chains = Chain.objects.all() if chain is None else Chain.objects.filter(pk=chain.pk)
    per_chain = dict(
        EnterpriseLink.objects.filter(link__chain__in=chains)
        .values_list("link__chain_id")
        .annotate(n=Count("enterprise", distinct=True))
        .values_list("link__chain_id", "n")
    )
    ChainStat.objects.bulk_create(
        [
            ChainStat(chain_id=pk, enterprises=per_chain.get(pk, 0))
            for pk in chains.values_list("pk", flat=True)
        ],
        update_conflicts=True,
        unique_fields=["chain"],
        update_fields=["enterprises", "computed_at"],
    )


def sync_enterprise_chains() -> int:
    """Tell the registry each enterprise's main chain: the chain of its first 主营 link.

    The registry groups monthly figures, 亩均 grades and warnings by it without reading
    chains (which sits above it). Returns how many enterprises changed.
    """
    codes: dict[int, str] = {}
    for enterprise_id, code in (
        EnterpriseLink.objects.filter(role=LinkRole.MAIN)
        .order_by("link__chain__sort", "link__chain__code", "id")
        .values_list("enterprise_id", "link__chain__code")
    ):
        codes.setdefault(enterprise_id, code)
    return set_chain_codes(codes)


def _compute_summaries() -> list[ChainSummary]:
    # The distinct enterprises per chain from the ChainStat rollup (a COUNT(DISTINCT) over
    # every link membership took 160 ms at 1.5 million enterprises).
    per_chain = dict(ChainStat.objects.values_list("chain_id", "enterprises"))
    # Whether a chain holds any synthetic enterprise: one EXISTS per chain stops at the first
    # such row (a DISTINCT over every link membership grew with the registry).
    synthetic = set(
        Chain.objects.filter(
            Exists(
                EnterpriseLink.objects.filter(
                    link__chain_id=OuterRef("pk"), enterprise__is_synthetic=True
                )
            )
        ).values_list("id", flat=True)
    )
    chains = (
        Chain.objects.order_by("sort", "code")
        .annotate(
            n_links=Count("links", distinct=True),
            output=Sum("links__stat__output_wan"),
        )
        .values_list("id", "code", "name", "n_links", "output")
    )
    return [
        {
            "code": code,
            "name": name,
            "links": n_links,
            "enterprises": per_chain.get(chain_id, 0),
            "output_wan": float(output or 0),
            "is_synthetic": chain_id in synthetic,
        }
        for chain_id, code, name, n_links, output in chains
    ]


def chain_summaries() -> list[ChainSummary]:
    """Per chain, in chain order: links, enterprises (distinct), output_wan (主营 output).

    Read from the LinkStat rollup and cached until one of its tables is written; cheap enough
    for every cockpit view. Not scoped: callers show it only to users who may see chain totals.
    """
    return derived("chains:summaries", SUMMARY_TABLES, _compute_summaries, timeout=3600)


# ---- reading a chain as a graph ------------------------------------------------------------

STRONG_SHARE = 0.08  # a link with ≥ 8% of its chain's output …
LEADER_OUTPUT_WAN = 100_000  # … and an enterprise of ≥ 10亿元 is strong
WEAK_SHARE = 0.02
MIN_MAIN = 3


def link_strength(*, main: int, output_wan: float, top_wan: float, chain_output: float) -> str:
    """strong / medium / weak / missing, from the link's own enterprises (see docs)."""
    if main == 0:
        return "missing"
    share = output_wan / chain_output if chain_output else 0.0
    if main < MIN_MAIN or share < WEAK_SHARE:
        return "weak"
    if share >= STRONG_SHARE and top_wan >= LEADER_OUTPUT_WAN:
        return "strong"
    return "medium"


STRENGTH_LABELS = {"strong": "强", "medium": "中", "weak": "弱", "missing": "缺失"}


def chain_graph(chain: Chain) -> dict[str, list[dict[str, Any]]]:
    """The chain as {"links": [...], "edges": [{"source", "target"}]} (two queries)."""
    links = list(
        chain.links.select_related("stat")
        .order_by("sort", "id")
        .values(
            "id",
            "code",
            "name",
            "segment",
            "stat__enterprises",
            "stat__main_enterprises",
            "stat__listed",
            "stat__output_wan",
            "stat__top_output_wan",
        )
    )
    chain_output = float(sum((row["stat__output_wan"] or 0) for row in links))
    segments = dict(Segment.choices)
    out = []
    for row in links:
        output = float(row["stat__output_wan"] or 0)
        top = float(row["stat__top_output_wan"] or 0)
        main = row["stat__main_enterprises"] or 0
        strength = link_strength(
            main=main, output_wan=output, top_wan=top, chain_output=chain_output
        )
        out.append(
            {
                "id": row["id"],
                "code": row["code"],
                "name": row["name"],
                "segment": row["segment"],
                "segment_label": str(segments.get(row["segment"], "")),
                "enterprises": row["stat__enterprises"] or 0,
                "main_enterprises": main,
                "listed": row["stat__listed"] or 0,
                "output_wan": round(output, 2),
                "output_share": round(output / chain_output, 4) if chain_output else 0.0,
                "top_output_wan": round(top, 2),
                "strength": strength,
                "strength_label": STRENGTH_LABELS[strength],
            }
        )
    edges = [
        {"source": s, "target": t}
        for s, t in chain.edges.order_by("id").values_list("source_id", "target_id")
    ]
    return {"links": out, "edges": edges}


# ---- editing the chain graph -------------------------------------------------------------


def _check_edit(actor, chain: Chain) -> None:
    if not can_edit_chain(actor, chain):
        raise PermissionDenied(_("只有本链链长/链办或市领导可以修改产业链。"))


def _clean_link_fields(name: str, segment: str) -> tuple[str, str]:
    name = (name or "").strip()
    errors = []
    if not name:
        errors.append(_("环节名称不能为空。"))
    if len(name) > 60:
        errors.append(_("环节名称不能超过60个字。"))
    if segment not in Segment.values:
        errors.append(_("上中下游应为上游、中游或下游。"))
    if errors:
        raise ValidationError(errors)
    return name, segment


@transaction.atomic
def create_link(*, actor, chain: Chain, code: str, name: str, segment: str, **extra) -> Link:
    """Add a link to a chain (chain office of that chain, or a leader)."""
    _check_edit(actor, chain)
    name, segment = _clean_link_fields(name, segment)
    code = (code or "").strip()
    if not code or not code.replace("_", "").replace("-", "").isalnum() or not code.isascii():
        raise ValidationError(_("环节代码应为英文字母、数字、下划线或连字符。"))
    if chain.links.filter(code=code).exists():
        raise ValidationError(_("本链已有代码为 %(c)s 的环节。") % {"c": code})
    last = chain.links.aggregate(m=Max("sort"))["m"] or 0
    link = Link.objects.create(
        chain=chain,
        code=code,
        name=name,
        segment=segment,
        sort=last + 1,
        description=extra.get("description", ""),
        industry_codes=extra.get("industry_codes", ""),
    )
    LinkStat.objects.create(link=link)
    audit.record(actor=actor, action=AuditAction.CREATE, instance=link, after=audit.snapshot(link))
    invalidate_rollups(chain)
    return link


@transaction.atomic
def update_link(*, actor, link: Link, name: str, segment: str, description: str = "") -> Link:
    """Rename a link, move it to another segment, or change its description."""
    link = Link.objects.select_for_update().select_related("chain").get(pk=link.pk)
    _check_edit(actor, link.chain)
    name, segment = _clean_link_fields(name, segment)
    before = audit.snapshot(link)
    link.name, link.segment, link.description = name, segment, description or ""
    link.save(update_fields=["name", "segment", "description"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        instance=link,
        before=before,
        after=audit.snapshot(link),
    )
    invalidate_rollups(link.chain)
    return link


@transaction.atomic
def delete_link(*, actor, link: Link) -> None:
    """Remove a link; refused while enterprises still sit on it or anything else refers to it
    (supply edges, projects, requests, routing rules, platforms …): nothing cascades."""
    link = Link.objects.select_for_update().select_related("chain").get(pk=link.pk)
    _check_edit(actor, link.chain)
    count = link.enterprise_links.count()
    if count:
        raise ValidationError(
            _("环节“%(n)s”上还有 %(c)d 家企业，请先调整企业所在环节。")
            % {"n": link.name, "c": count}
        )
    still = references(link, ignore=(LinkStat,))
    if still:
        raise ValidationError(
            _("环节“%(n)s”仍被引用（%(r)s），不能删除；请先解除这些关联。")
            % {"n": link.name, "r": "、".join(still)}
        )
    audit.record(actor=actor, action=AuditAction.DELETE, instance=link, before=audit.snapshot(link))
    link.delete()
    invalidate_rollups(link.chain)


@transaction.atomic
def add_edge(*, actor, source: Link, target: Link) -> LinkEdge:
    """Add a supply edge source → target; refused if it would close a cycle."""
    chain = source.chain
    _check_edit(actor, chain)
    # Lock the chain so two editors cannot each add half of a cycle.
    Chain.objects.select_for_update().get(pk=chain.pk)
    if target.chain_id != chain.pk:
        raise ValidationError(_("供应关系只能连接同一条产业链的环节。"))
    if source.pk == target.pk:
        raise ValidationError(_("环节不能供应自身。"))
    if LinkEdge.objects.filter(source=source, target=target).exists():
        raise ValidationError(
            _("“%(s)s → %(t)s”的供应关系已存在。") % {"s": source.name, "t": target.name}
        )
    edges = list(chain.edges.values_list("source_id", "target_id")) + [(source.pk, target.pk)]
    names = dict(chain.links.values_list("id", "name"))
    cycle = find_cycle(edges, names)
    if cycle:
        raise ValidationError(
            _("添加后供应关系将形成循环：%(c)s。产业链必须是无环的上下游关系。") % {"c": cycle}
        )
    edge = LinkEdge.objects.create(chain=chain, source=source, target=target)
    audit.record(actor=actor, action=AuditAction.CREATE, instance=edge, after=audit.snapshot(edge))
    invalidate_rollups(chain)
    return edge


@transaction.atomic
def delete_edge(*, actor, edge: LinkEdge) -> None:
    """Remove a supply edge."""
    _check_edit(actor, edge.chain)
    audit.record(actor=actor, action=AuditAction.DELETE, instance=edge, before=audit.snapshot(edge))
    edge.delete()
    invalidate_rollups(edge.chain)


@transaction.atomic
def place_enterprise(*, actor, enterprise, link: Link, role: str = LinkRole.MAIN) -> EnterpriseLink:
    """Put an enterprise on a link with its role there (or change the role)."""
    _check_edit(actor, link.chain)
    if role not in LinkRole.values:
        raise ValidationError(_("角色应为主营或配套。"))
    placed, created = EnterpriseLink.objects.get_or_create(
        enterprise=enterprise, link=link, defaults={"role": role}
    )
    if not created and placed.role != role:
        before = audit.snapshot(placed)
        placed.role = role
        placed.save(update_fields=["role"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            instance=placed,
            before=before,
            after=audit.snapshot(placed),
        )
    elif created:
        audit.record(
            actor=actor, action=AuditAction.CREATE, instance=placed, after=audit.snapshot(placed)
        )
    refresh_link_stats(link.chain)
    return placed


@transaction.atomic
def place_on_links(*, actor, enterprise, links, note: str = "") -> list[EnterpriseLink]:
    """Put an enterprise on each of `links` as 主营 where it is not yet; returns the new
    placements. For a change decided elsewhere (a major project going into production): the
    calling service has checked its actor's right to that change, so no chain-editing right
    is asked here. Audited as one batch; the chains' link statistics follow at once.
    """
    created_rows = []
    for link in links:
        placed, created = EnterpriseLink.objects.get_or_create(
            enterprise=enterprise, link=link, defaults={"role": LinkRole.MAIN}
        )
        if created:
            created_rows.append(placed)
    if created_rows:
        audit.record_many(
            actor=actor,
            changes=[(AuditAction.CREATE, p, None, audit.snapshot(p)) for p in created_rows],
            note=note,
        )
        for chain in Chain.objects.filter(pk__in={p.link.chain_id for p in created_rows}):
            refresh_link_stats(chain)
    return created_rows


@transaction.atomic
def remove_enterprise(*, actor, placement: EnterpriseLink) -> None:
    """Take an enterprise off a link."""
    link = placement.link
    _check_edit(actor, link.chain)
    audit.record(
        actor=actor,
        action=AuditAction.DELETE,
        instance=placement,
        before=audit.snapshot(placement),
    )
    placement.delete()
    refresh_link_stats(link.chain)


class ChainMonthFigures(TypedDict):
    """A chain's output from its enterprises' monthly reports (the registry's rollup).

    `ytd_yoy_pct` compares the same months of the year before (None without them).
    """

    latest: str
    latest_output_wan: float
    ytd_label: str
    ytd_output_wan: float
    ytd_yoy_pct: float | None
    enterprises: int
    is_synthetic: bool


def chain_month_figures(code: str) -> ChainMonthFigures | None:
    """Year-to-date output of the chain's enterprises from their monthly reports, or None."""
    latest = months.month_bounds()[1]
    if latest is None:
        return None
    rows = months.month_totals(
        by="chain_code", first=latest.replace(year=latest.year - 1, month=1), chain_code=code
    )
    if not rows:
        return None
    this_year = [r for r in rows if r["month"].year == latest.year]
    last_year = [
        r for r in rows if r["month"].year == latest.year - 1 and r["month"].month <= latest.month
    ]
    ytd = sum(float(r["output_wan"]) for r in this_year)
    before = sum(float(r["output_wan"]) for r in last_year)
    last = [r for r in this_year if r["month"] == latest]
    return ChainMonthFigures(
        latest=f"{latest:%Y-%m}",
        latest_output_wan=float(last[0]["output_wan"]) if last else 0.0,
        ytd_label=year_to_month_text(latest.year, latest.month),
        ytd_output_wan=ytd,
        ytd_yoy_pct=round((ytd - before) / before * 100, 1) if before else None,
        enterprises=last[0]["enterprises"] if last else 0,
        is_synthetic=any(r["is_synthetic"] for r in rows),
    )
