"""At phone width (390×844) the menu folds behind a toggle and no page reachable from the menu
scrolls sideways — for the enterprise, a department user, the dispatcher and the leader."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from tests.e2e.pages import walk_pages

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def phone_world(users):
    """A little of everything, so that lists and detail pages have rows to lay out: requests in
    several states, a chain with firms, projects, tasks, a meeting and the indicators."""
    from wulian.chains.tests.helpers import SMALL, build_chain
    from wulian.indicators import demo as indicators_demo
    from wulian.investment.tests.factories import ProjectFactory
    from wulian.keywork.tests.factories import make_task, meeting
    from wulian.service.tests.factories import ANSWERED, ROUTED, file_request, setup_loop, walk

    setup_loop(users)
    long_title = "关于年产十万吨含氟新材料项目配套用地指标与能耗指标协调的诉求"
    file_request(users, title=long_title)
    walk(file_request(users, title="技改补助申报咨询"), users, ROUTED)
    walk(file_request(users, title="亩均效益奖励兑现"), users, ANSWERED)
    indicators_demo.load()
    build_chain("xcl", "新材料", SMALL["links"], SMALL["edges"], firms=[("acid", 50000, "main")])
    ProjectFactory(name="氟新材料一体化项目（一期、二期）配套工程", stage="negotiating")
    make_task(dept="jxj", title="新材料产业链“链长制”重点项目推进与要素保障")
    meeting(title="市级月度例会")


def _sideways_pages(page, live_server, username) -> tuple[list[str], dict[str, int]]:
    """Sign in as the user at phone width, check the folded menu, open every page reachable
    from it; the pages wider than the screen, by URL."""
    page.context.clear_cookies()
    browser_login(page, live_server, username)

    # the menu is folded behind its toggle and opens with it
    toggle = page.locator("[data-testid=menu-toggle]")
    expect(toggle).to_be_visible()
    first_item = page.locator("#wl-menu .wl-nav a.nav-link").first
    expect(first_item).to_be_hidden()
    toggle.click()
    expect(first_item).to_be_visible()

    wide = {}

    def check(url, response):
        assert response is not None and response.status == 200, (username, url)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            wide[url] = scroll_width

    urls = walk_pages(page, live_server.url, check)
    return urls, wide


def test_no_page_scrolls_sideways_on_a_phone(page, live_server, users):
    # given one world, seen by four users on a phone
    phone_world(users)
    page.set_viewport_size(PHONE)

    for username in ("ent_demo", "econ", "dispatcher", "leader"):
        # when every page reachable from the menu is opened at 390 px
        urls, wide = _sideways_pages(page, live_server, username)

        # then none is wider than the screen
        assert len(urls) >= 4, (username, urls)
        assert wide == {}, f"{username}: pages wider than {PHONE['width']} px: {wide}"
