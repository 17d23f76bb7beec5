"""The scorecard rollup for the cockpit, its freshness, the weights, and what it reads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from wulian.chains import services as chain_services
from wulian.enterprises.tests.factories import EnterpriseFactory
from wulian.fusion.models import ChainScore, ScoreWeights
from wulian.fusion.services import chain_scorecards, refresh_scores, set_weights

pytestmark = pytest.mark.django_db


def test_chain_scorecards_contract(known, django_assert_max_num_queries):
    refresh_scores()
    with django_assert_max_num_queries(6):
        (card,) = chain_scorecards()
    assert {"code", "name", "output_wan", "total", "industry", "innovation", "talent"} <= set(card)
    assert {"capital", "service"} <= set(card)
    assert card["code"] == "xcl" and card["output_wan"] == 848000.0


def test_rollup_recomputes_after_the_chain_changes(known, users):
    _chain, links = known
    before = chain_scorecards()[0]["industry"]
    for _ in range(3):
        chain_services.place_enterprise(
            actor=users["chief_xcl"],
            enterprise=EnterpriseFactory(output_wan=300000),
            link=links["ore"],
        )
    assert chain_scorecards()[0]["industry"] > before
    assert ChainScore.objects.count() == 1


def test_weights_only_by_leaders_and_must_sum_to_one(
    known, users, django_capture_on_commit_callbacks
):
    values = {"industry": 0.4, "innovation": 0.2, "talent": 0.1, "capital": 0.2, "service": 0.1}
    with pytest.raises(PermissionDenied):
        set_weights(actor=users["chief_xcl"], **values)
    with pytest.raises(ValidationError) as info:
        set_weights(actor=users["leader"], **{**values, "industry": 0.5})
    assert "之和应为 1" in info.value.messages[0]
    with django_capture_on_commit_callbacks(execute=True):
        set_weights(actor=users["leader"], **values)
    assert float(ScoreWeights.current().industry) == 0.4
    assert ChainScore.objects.get().detail["weights"]["industry"] == 0.4


def test_scores_read_the_service_and_investment_modules(known, users):
    # given a request about the 氢氟酸 link, answered and confirmed, and a project filling it
    from wulian.investment.tests.factories import ProjectFactory
    from wulian.service.tests.factories import ANSWERED, file_request, setup_loop, walk

    _chain, links = known
    setup_loop(users)
    request = file_request(users, link=links["acid"])
    walk(request, users, [*ANSWERED, ("confirm", "ent_demo", {"rating": 4})])
    ProjectFactory(planned_wan=100000, links=[links["acid"]])
    # when the scores are recomputed
    detail = refresh_scores()["xcl"]
    # then the link's facts and the chain's service score come from them
    acid = next(r for r in detail["link_scores"] if r["name"] == "氢氟酸")
    assert acid["facts"]["requests"] == 1 and acid["facts"]["projects"] == 1
    assert detail["service_evidence"]["total"] == 1 and detail["service"] is not None
    assert detail["missing"] == []


def test_refresh_command(known):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("refresh_fusion", stdout=out)
    assert "新材料: 融合总分" in out.getvalue()
    detail = ChainScore.objects.get().detail
    acid = next(r for r in detail["link_scores"] if r["name"] == "氢氟酸")
    assert acid["facts"]["talent_gap"] == 0 and acid["facts"]["main"] == 5
    assert acid["facts"]["requests"] == 0  # no 企业诉求 in this test


def test_an_empty_chain_has_no_scores_on_the_scorecard(known):
    from wulian.chains.models import Chain

    Chain.objects.create(code="empty", name="空链", sort=9)
    cards = {card["code"]: card for card in chain_scorecards()}
    assert cards["empty"]["total"] is None and cards["empty"]["industry"] is None
    assert cards["xcl"]["total"] is not None
