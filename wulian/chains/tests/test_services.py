"""Editing chains (cycle refused, rights), the link rollup and chain_summaries."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wulian.chains import services
from wulian.chains.models import Chain, ChainStat, EnterpriseLink, Link, LinkEdge, LinkStat
from wulian.core.models import AuditEvent
from wulian.enterprises.tests.factories import EnterpriseFactory

from .helpers import SMALL, build_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(users):
    return build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[
            ("acid", 50000, "main"),
            ("acid", 30000, "main"),
            ("resin", 200000, "main", "330802", {"is_listed": True}),
            ("film", 1000, "support"),
        ],
    )


def test_an_edge_that_closes_a_cycle_is_refused(users, small):
    _chain, links = small
    with pytest.raises(ValidationError) as info:
        services.add_edge(actor=users["chief_xcl"], source=links["film"], target=links["ore"])
    assert "循环" in info.value.messages[0]
    assert (
        "矿石 → 酸 → 树脂 → 薄膜 → 矿石" in info.value.messages[0]
        or "薄膜 → 矿石" in (info.value.messages[0])
    )
    assert not LinkEdge.objects.filter(source=links["film"], target=links["ore"]).exists()


def test_chain_office_edits_only_its_own_chain(users, small):
    _chain, links = small
    edge = services.add_edge(
        actor=users["chief_xcl"], source=links["resin"], target=links["lonely"]
    )
    assert AuditEvent.objects.filter(model="chains.linkedge", object_id=str(edge.pk)).exists()
    other, other_links = build_chain("xny", "新能源", [("a", "甲", "up"), ("b", "乙", "down")])
    with pytest.raises(PermissionDenied):
        services.add_edge(
            actor=users["chief_xcl"], source=other_links["a"], target=other_links["b"]
        )
    with pytest.raises(PermissionDenied):
        services.create_link(actor=users["econ"], chain=other, code="c", name="丙", segment="up")
    services.create_link(actor=users["leader"], chain=other, code="c", name="丙", segment="up")


def test_link_with_enterprises_cannot_be_deleted_and_bad_input_is_refused(users, small):
    chain, links = small
    with pytest.raises(ValidationError) as info:
        services.delete_link(actor=users["chief_xcl"], link=links["acid"])
    assert "2 家企业" in info.value.messages[0]
    with pytest.raises(ValidationError):
        services.create_link(actor=users["chief_xcl"], chain=chain, code="x", name="", segment="up")
    with pytest.raises(ValidationError):
        services.create_link(
            actor=users["chief_xcl"], chain=chain, code="acid", name="重复", segment="up"
        )
    services.delete_link(actor=users["chief_xcl"], link=links["lonely"])
    assert not chain.links.filter(code="lonely").exists()


def test_rollup_and_summaries(small):
    _chain, links = small
    acid = LinkStat.objects.get(link=links["acid"])
    assert (acid.enterprises, acid.main_enterprises, int(acid.output_wan)) == (2, 2, 80000)
    film = LinkStat.objects.get(link=links["film"])
    assert (film.enterprises, film.main_enterprises, int(film.output_wan)) == (1, 0, 0)
    assert LinkStat.objects.get(link=links["resin"]).listed == 1
    (summary,) = services.chain_summaries()
    assert summary == {
        "code": "xcl",
        "name": "新材料",
        "links": 5,
        "enterprises": 4,
        "output_wan": 280000.0,
        "is_synthetic": False,
    }


def test_strength_classes():
    strength = services.link_strength
    assert strength(main=0, output_wan=0, top_wan=0, chain_output=100) == "missing"
    assert strength(main=2, output_wan=50, top_wan=50, chain_output=100) == "weak"
    assert strength(main=5, output_wan=1, top_wan=1, chain_output=100) == "weak"
    assert strength(main=5, output_wan=10, top_wan=100_000, chain_output=100) == "strong"
    assert strength(main=5, output_wan=10, top_wan=10, chain_output=100) == "medium"


def test_a_link_still_referred_to_is_not_deleted_and_nothing_cascades(users, small):
    # given a link with no enterprises but a supply edge into it and a project filling it
    from wulian.investment.tests.factories import ProjectFactory

    chain, links = small
    film = links["film"]
    film.enterprise_links.all().delete()
    project = ProjectFactory(links=[film])

    # when the chain office deletes it, it is refused, naming what still refers to it
    with pytest.raises(ValidationError) as info:
        services.delete_link(actor=users["chief_xcl"], link=film)
    message = info.value.messages[0]
    assert "供应关系" in message and "项目" in message and "不能删除" in message

    # then the link, its edge and the project's tie to it are all still there
    assert chain.links.filter(pk=film.pk).exists()
    assert chain.edges.filter(target=film).exists()
    assert list(project.links.all()) == [film]


def test_chain_summaries_follow_a_write_at_once(small):
    """Cached until one of their tables is written (core.cache.derived), even by plain SQL."""
    from django.db import connection

    chain, links = small
    assert services.chain_summaries()[0]["links"] == 5
    Link.objects.filter(pk=links["lonely"].pk).delete()
    assert services.chain_summaries()[0]["links"] == 4
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Chain._meta.db_table} SET name = %s WHERE id = %s", ["新材料链", chain.pk]
        )
    assert services.chain_summaries()[0]["name"] == "新材料链"


def _distinct_on_chain(chain) -> int:
    """The count ChainStat stands for, counted directly from the memberships."""
    return EnterpriseLink.objects.filter(link__chain=chain).values("enterprise").distinct().count()


def test_chain_stat_counts_distinct_enterprises_after_every_membership_change(users, small):
    chain, links = small
    chief = users["chief_xcl"]
    (summary,) = services.chain_summaries()
    assert summary["enterprises"] == ChainStat.objects.get(chain=chain).enterprises == 4
    # an enterprise already on the chain placed on a second link: still counted once
    firm = EnterpriseLink.objects.filter(link=links["acid"]).order_by("id").first().enterprise
    services.place_enterprise(actor=chief, enterprise=firm, link=links["resin"])
    assert ChainStat.objects.get(chain=chain).enterprises == _distinct_on_chain(chain) == 4
    # a new enterprise placed on two links counts once more
    newcomer = EnterpriseFactory()
    services.place_on_links(actor=chief, enterprise=newcomer, links=[links["acid"], links["film"]])
    assert ChainStat.objects.get(chain=chain).enterprises == _distinct_on_chain(chain) == 5
    # taken off one of its two links: still on the chain; off both: gone
    services.remove_enterprise(
        actor=chief, placement=EnterpriseLink.objects.get(enterprise=newcomer, link=links["acid"])
    )
    assert ChainStat.objects.get(chain=chain).enterprises == _distinct_on_chain(chain) == 5
    services.remove_enterprise(
        actor=chief, placement=EnterpriseLink.objects.get(enterprise=newcomer, link=links["film"])
    )
    assert ChainStat.objects.get(chain=chain).enterprises == _distinct_on_chain(chain) == 4
    # and the summaries read it (cached values follow the write)
    (summary,) = services.chain_summaries()
    assert summary["enterprises"] == 4
    ChainStat.objects.filter(chain=chain).update(enterprises=99)
    (summary,) = services.chain_summaries()
    assert summary["enterprises"] == 99  # read from the rollup, not counted again
