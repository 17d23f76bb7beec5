"""The chain taxonomy file (data/chains.toml): read, validate, load.

The file is the city's to edit. Validation says in Chinese what is wrong and where; a file
with errors writes nothing. A link with no supply edge (an orphan) and a chain without links
are allowed but reported as warnings, so a city can grow its taxonomy step by step.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from django.core.exceptions import ValidationError
from django.db import transaction

from wulian.core import audit
from wulian.core.choices import AuditAction

from .choices import Segment

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "chains.toml"
SEGMENT_LABELS = {value: str(label) for value, label in Segment.choices}


@dataclass
class LinkSpec:
    code: str
    name: str
    segment: str
    industry_codes: list[str] = field(default_factory=list)
    supplies: list[str] = field(default_factory=list)
    description: str = ""


@dataclass
class ChainSpec:
    code: str
    name: str
    sort: int = 0
    description: str = ""
    links: list[LinkSpec] = field(default_factory=list)


@dataclass
class Taxonomy:
    chains: list[ChainSpec]
    warnings: list[str] = field(default_factory=list)


def find_cycle(edges: list[tuple[str, str]], names: dict[str, str]) -> str | None:
    """A readable description of one supply cycle (names joined by →), or None."""
    graph = nx.DiGraph(edges)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    path = [names.get(u, u) for u, _v in cycle] + [names.get(cycle[0][0], cycle[0][0])]
    return " → ".join(path)


def _text(value, where: str, errors: list[str], required: bool = True) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(f"{where}：不能为空")
        return ""
    if not isinstance(value, str):
        errors.append(f"{where}：应为文字")
        return ""
    return value.strip()


def parse_taxonomy(data: dict) -> Taxonomy:
    """Validate a parsed taxonomy; raises ValidationError listing every problem in Chinese."""
    errors: list[str] = []
    warnings: list[str] = []
    chains: list[ChainSpec] = []
    seen_chains: set[str] = set()
    raw_chains = data.get("chain")
    if not isinstance(raw_chains, list) or not raw_chains:
        raise ValidationError(["产业链文件中没有任何 [[chain]]。"])
    for index, raw in enumerate(raw_chains, start=1):
        where = f"第{index}条产业链"
        code = _text(raw.get("code"), f"{where}的 code", errors)
        name = _text(raw.get("name"), f"{where}的 name", errors)
        label = f"产业链“{name or code or index}”"
        if code in seen_chains:
            errors.append(f"{label}：代码 {code} 重复")
        seen_chains.add(code)
        chain = ChainSpec(
            code=code,
            name=name,
            sort=int(raw.get("sort", index)),
            description=str(raw.get("description", "")).strip(),
        )
        raw_links = raw.get("link") or []
        if not raw_links:
            warnings.append(f"{label}没有任何环节（空链）")
        codes: dict[str, str] = {}
        for j, raw_link in enumerate(raw_links, start=1):
            lwhere = f"{label}第{j}个环节"
            lcode = _text(raw_link.get("code"), f"{lwhere}的 code", errors)
            lname = _text(raw_link.get("name"), f"{lwhere}的 name", errors)
            segment = str(raw_link.get("segment", "")).strip()
            if segment not in SEGMENT_LABELS:
                errors.append(
                    f"{lwhere}“{lname}”：segment 应为 up（上游）、mid（中游）或 down（下游），"
                    f"而不是“{segment}”"
                )
            if lcode in codes:
                errors.append(f"{lwhere}：环节代码 {lcode} 在本链中重复")
            codes[lcode] = lname
            supplies = raw_link.get("supplies") or []
            industry = raw_link.get("industry_codes") or []
            if not isinstance(supplies, list) or not isinstance(industry, list):
                errors.append(f"{lwhere}“{lname}”：supplies 和 industry_codes 应为列表")
                supplies, industry = [], []
            chain.links.append(
                LinkSpec(
                    code=lcode,
                    name=lname,
                    segment=segment,
                    industry_codes=[str(c).strip().upper() for c in industry],
                    supplies=[str(s).strip() for s in supplies],
                    description=str(raw_link.get("description", "")).strip(),
                )
            )
        edges = []
        for link in chain.links:
            for target in link.supplies:
                if target not in codes:
                    errors.append(f"{label}环节“{link.name}”：供应的下游环节 {target} 不存在")
                elif target == link.code:
                    errors.append(f"{label}环节“{link.name}”：不能供应自身")
                else:
                    edges.append((link.code, target))
        cycle = find_cycle(edges, codes)
        if cycle:
            errors.append(f"{label}的供应关系存在循环：{cycle}（产业链必须是无环的上下游关系）")
        connected = {u for u, _v in edges} | {v for _u, v in edges}
        for link in chain.links:
            if link.code and link.code not in connected:
                warnings.append(f"{label}的环节“{link.name}”没有任何供应关系（孤立环节）")
        chains.append(chain)
    if errors:
        raise ValidationError(errors)
    return Taxonomy(chains=chains, warnings=warnings)


def read_taxonomy(path: Path | str = DEFAULT_PATH) -> Taxonomy:
    """Read and validate a TOML taxonomy file."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([f"产业链文件格式错误：{exc}"]) from exc
    return parse_taxonomy(data)


@transaction.atomic
def load_taxonomy(*, actor, taxonomy: Taxonomy) -> dict[str, int]:
    """Create the chains, links and edges of the taxonomy that do not exist yet.

    Existing records keep their edits (names changed in the UI are not overwritten), so the
    load is idempotent. Returns counts of what was created.
    """
    from .models import Chain, Link, LinkEdge

    created = {"chains": 0, "links": 0, "edges": 0}
    for spec in taxonomy.chains:
        chain, new = Chain.objects.get_or_create(
            code=spec.code,
            defaults={"name": spec.name, "sort": spec.sort, "description": spec.description},
        )
        if new:
            created["chains"] += 1
            audit.record(
                actor=actor, action=AuditAction.CREATE, instance=chain, after=audit.snapshot(chain)
            )
        existing = {link.code: link for link in chain.links.all()}
        for order, lspec in enumerate(spec.links, start=1):
            if lspec.code in existing:
                continue
            link = Link.objects.create(
                chain=chain,
                code=lspec.code,
                name=lspec.name,
                segment=lspec.segment,
                description=lspec.description,
                industry_codes=",".join(lspec.industry_codes),
                sort=order,
            )
            existing[lspec.code] = link
            created["links"] += 1
            audit.record(
                actor=actor, action=AuditAction.CREATE, instance=link, after=audit.snapshot(link)
            )
        have = set(chain.edges.values_list("source__code", "target__code"))
        new_edges = [
            LinkEdge(chain=chain, source=existing[lspec.code], target=existing[target])
            for lspec in spec.links
            for target in lspec.supplies
            if (lspec.code, target) not in have
        ]
        LinkEdge.objects.bulk_create(new_edges)
        audit.record_many(
            actor=actor,
            changes=[(AuditAction.CREATE, e, None, audit.snapshot(e)) for e in new_edges],
            note="产业链文件载入",
        )
        created["edges"] += len(new_edges)
    return created
