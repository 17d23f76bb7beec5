"""Every page every role can reach is drawn: signed in as each demo role, the pages of the menu
and the main links from them (tests/e2e/pages.py, one page per route) load with no script
error, no failed request for an asset, and every chart container ([data-chart]) holding a drawn
chart with data. One browser for all roles, one sign-in per role."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import browser_login
from tests.e2e.pages import walk_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ("leader", "chief_xcl", "econ", "dispatcher", "county_ly", "ent_demo", "admin")

# A chart container whose ECharts instance is missing (the script failed before drawing) or
# whose series hold no data. A map series counts as drawn once its map is registered.
EMPTY_CHARTS = """
() => Array.from(document.querySelectorAll('[data-chart]')).filter((el) => {
  const chart = window.echarts && window.echarts.getInstanceByDom(el);
  if (!chart) return true;
  const series = chart.getOption().series || [];
  return !series.some((s) => (s.data && s.data.length) || (s.links && s.links.length));
}).map((el) => el.id || el.dataset.chart)
"""


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def every_module_world(users):
    """A little of every module, so that each page has rows and each chart has data."""
    from wulian.chains.tests.helpers import SMALL, build_chain
    from wulian.enterprises.models import Enterprise, EnterpriseMonth
    from wulian.enterprises.months import rebuild_month_rollups
    from wulian.fusion.services import refresh_scores
    from wulian.indicators import demo as indicators_demo
    from wulian.investment.tests.factories import ProjectFactory
    from wulian.keywork.tests.factories import make_task, meeting
    from wulian.service.tests.factories import ANSWERED, ROUTED, file_request, setup_loop, walk

    setup_loop(users)
    file_request(users, title="用地指标协调")
    walk(file_request(users, title="技改补助申报咨询"), users, ROUTED)
    walk(
        file_request(users, title="亩均效益奖励兑现"),
        users,
        [*ANSWERED, ("confirm", "ent_demo", {"rating": 5})],
    )
    indicators_demo.load()
    build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[("acid", 50000, "main", "330825"), ("resin", 30000, "main", "330802")],
    )
    ProjectFactory(name="氟新材料一体化项目", stage="negotiating", planned_wan=200000)
    ProjectFactory(name="电子特气项目", stage="signed", planned_wan=150000)
    make_task(dept="jxj", title="新材料产业链重点项目推进")
    meeting(title="市级月度例会")
    months = [dt.date(2025, 9, 1), dt.date(2025, 10, 1)]
    EnterpriseMonth.objects.bulk_create(
        EnterpriseMonth(
            enterprise=enterprise,
            month=month,
            output_wan=Decimal(1000),
            is_synthetic=True,
        )
        for enterprise in Enterprise.objects.all()
        for month in months
    )
    rebuild_month_rollups()
    refresh_scores()


def _problems_of(page, live_server, username) -> tuple[list[str], dict[str, list[str]]]:
    """Sign in as the user, open every page reachable from the menu; what went wrong, by URL."""
    problems: dict[str, list[str]] = {}
    current = {"url": "/"}

    def note(text):
        problems.setdefault(current["url"], []).append(text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            note(f"{response.status} {response.url}")

    def on_console(message):
        if message.type == "error":
            note(f"console: {message.text}")

    handlers = {
        "pageerror": lambda error: note(f"script error: {error}"),
        "console": on_console,
        "requestfailed": lambda request: note(f"failed: {request.url} {request.failure}"),
        "response": on_response,
    }
    for event, handler in handlers.items():
        page.on(event, handler)
    page.context.clear_cookies()
    browser_login(page, live_server, username)

    def check(url, response):
        current["url"] = url
        assert response is not None and response.status == 200, (username, url)
        page.wait_for_load_state("networkidle")
        empty = page.evaluate(EMPTY_CHARTS)
        if empty:
            note(f"empty charts: {empty}")

    try:
        urls = walk_pages(page, live_server.url, check)
    finally:
        for event, handler in handlers.items():
            page.remove_listener(event, handler)
    return urls, problems


def test_every_page_of_every_role_is_drawn(page, live_server, users):
    # given one small world with every module's data
    every_module_world(users)
    visited = {}
    for username in ROLES:
        # when the user opens every page reachable from the menu
        urls, problems = _problems_of(page, live_server, username)
        visited[username] = urls
        # then no script error, failed asset or empty chart anywhere
        assert problems == {}, f"{username}: {problems}"
    assert len(visited["leader"]) >= 15 and len(visited["ent_demo"]) >= 3, visited
    # the pages with charts were among them
    leader = " ".join(visited["leader"])
    for path in ("/cockpit/", "/indicators/ranking/", "/indicators/prosperity/"):
        assert path in leader, path
