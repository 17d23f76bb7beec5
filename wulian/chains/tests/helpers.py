"""Hand-built small chains for tests."""

from decimal import Decimal

from wulian.chains.models import Chain, EnterpriseLink, Link, LinkEdge
from wulian.chains.services import refresh_link_stats
from wulian.enterprises.tests.factories import EnterpriseFactory


def build_chain(code="xcl", name="新材料", links=(), edges=(), firms=()):
    """links: (code, name, segment); edges: (source, target); firms: (link, output_wan, role,
    region, extra) — returns (chain, {code: Link})."""
    chain, _ = Chain.objects.get_or_create(code=code, defaults={"name": name})
    made = {}
    for order, (lcode, lname, segment) in enumerate(links, start=1):
        made[lcode] = Link.objects.create(
            chain=chain, code=lcode, name=lname, segment=segment, sort=order
        )
    for source, target in edges:
        LinkEdge.objects.create(chain=chain, source=made[source], target=made[target])
    for firm in firms:
        lcode, output, role, *rest = firm
        region = rest[0] if rest else "330802"
        extra = rest[1] if len(rest) > 1 else {}
        enterprise = EnterpriseFactory(output_wan=Decimal(output), region_id=region, **extra)
        EnterpriseLink.objects.create(enterprise=enterprise, link=made[lcode], role=role)
    refresh_link_stats()
    return chain, made


SMALL = {
    "links": [
        ("ore", "矿石", "up"),
        ("acid", "酸", "up"),
        ("resin", "树脂", "mid"),
        ("film", "薄膜", "down"),
        ("lonely", "孤立环节", "mid"),
    ],
    "edges": [("ore", "acid"), ("acid", "resin"), ("resin", "film")],
}
