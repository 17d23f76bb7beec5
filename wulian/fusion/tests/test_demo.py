"""The chains and fusion demo over the 15,000 synthetic enterprises: deterministic,
idempotent, real figures with sources, and gaps left on purpose."""

import pytest

from wulian.chains import demo as chains_demo
from wulian.chains.figures import chain_figures
from wulian.chains.models import Chain, EnterpriseLink, Link, TargetCompany
from wulian.core import seed
from wulian.enterprises import demo as enterprises_demo
from wulian.fusion import demo as fusion_demo
from wulian.fusion.models import ChainScore, Platform, PlatformLevel

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        Link.objects.count(),
        EnterpriseLink.objects.count(),
        TargetCompany.objects.count(),
        Platform.objects.count(),
        sorted(EnterpriseLink.objects.values_list("enterprise__uscc", "link__code", "role"))[:50],
    )


def test_demo(base_config):
    enterprises_demo.load()
    chains_demo.load()
    fusion_demo.load()
    first = snapshot()
    chains_demo.load()
    fusion_demo.load()
    assert snapshot() == first

    for chain in Chain.objects.all():
        assert chain.links.count() >= 12
    # Gaps left on purpose: every chain but 新材料 (its fluorite and silicon links are filled by
    # the miners and smelters of their real industry codes) has a link with no main enterprise.
    with_gaps = {c.name for c in Chain.objects.all() if c.links.filter(stat__main_enterprises=0)}
    assert len(with_gaps) >= 5, with_gaps
    on_links = EnterpriseLink.objects.values("enterprise").distinct().count()
    assert EnterpriseLink.objects.count() > on_links  # some enterprises sit on several links
    assert EnterpriseLink.objects.filter(role="support").exists()

    figures = {(f["key"], f["year"]): f for f in chain_figures()}
    share = figures[("chain_share", 2024)]
    assert share["value"] == 68.4 and "68.4%" in share["source"] and not share["is_preliminary"]
    assert figures[("xcl_output", 2025)]["is_preliminary"]

    real = Platform.objects.filter(is_synthetic=False)
    assert {"浙江大学衢州研究院", "电子科技大学长三角研究院", "衢州复旦研究院"} <= set(
        real.values_list("name", flat=True)
    )
    pilots = real.filter(kind="pilot")
    assert pilots.count() == 2 and set(pilots.values_list("level", flat=True)) == {
        PlatformLevel.NATIONAL
    }
    assert all(p.source.startswith(seed.TITLE) for p in real)
    institutes = Platform.objects.filter(kind="institute")
    assert institutes.count() == 16

    assert ChainScore.objects.count() == 6
    findings = [f for s in ChainScore.objects.all() for f in s.detail["findings"]]
    assert {f["kind"] for f in findings} == {"fill", "extend", "strengthen"}
