import pytest


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cockpit_world(base_config):
    """Indicators demo plus a few enterprises with monthly figures and their rollup."""
    import datetime as dt
    from decimal import Decimal

    from wulian.enterprises.models import EnterpriseMonth
    from wulian.enterprises.months import rebuild_month_rollups
    from wulian.enterprises.tests.factories import EnterpriseFactory
    from wulian.indicators import demo

    demo.load()
    rows = []
    for i, (region, industry) in enumerate(
        [("330803", "C2613"), ("330825", "C2221"), ("330825", "C3311")]
    ):
        enterprise = EnterpriseFactory(
            region_id=region, industry_code=industry, chain_code=["xcl", "tzz", ""][i]
        )
        for month in (dt.date(2025, 9, 1), dt.date(2025, 10, 1)):
            rows.append(
                EnterpriseMonth(
                    enterprise=enterprise,
                    month=month,
                    output_wan=Decimal(1000 * (i + 1)),
                    is_synthetic=True,
                )
            )
    EnterpriseMonth.objects.bulk_create(rows)
    rebuild_month_rollups()
