"""At phone width (390×844) the menu folds behind a toggle and no page reachable from the menu
scrolls sideways — for the enterprise, a department user, the dispatcher and the leader."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login, confirm_dialog
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


def test_every_menu_item_is_in_sight_on_a_desktop(page, live_server, users):
    # the administrator and a department user have the longest menus; at 1440 px each item
    # is on screen and nothing lies over it (the menu wraps rather than hiding items)
    page.set_viewport_size({"width": 1440, "height": 900})
    for username in ("admin", "econ"):
        page.context.clear_cookies()
        browser_login(page, live_server, username)
        hidden = page.evaluate(
            """() => [...document.querySelectorAll('#wl-menu .wl-nav a.nav-link')]
                .filter(a => {
                    const r = a.getBoundingClientRect();
                    const x = r.left + r.width / 2, y = r.top + r.height / 2;
                    return r.width === 0 || r.right > window.innerWidth
                        || document.elementFromPoint(x, y) !== a;
                })
                .map(a => a.textContent.trim())"""
        )
        assert hidden == [], (username, hidden)
        assert _fits(page)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# A real 1×1 PNG: the server decides the type by the file's bytes.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478"
    "9c6360000002000105fe02fea7d6a5b80000000049454e44ae426082"
)


def test_the_enterprise_loop_on_a_phone(page, live_server, users):
    """Sign in, file with a photo from the camera, supply material, read the answer, rate —
    at 390×844, each page fitting the screen."""
    from wulian.service.models import ServiceRequest
    from wulian.service.tests.factories import ROUTED, setup_loop, walk

    setup_loop(users)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "ent_demo")

    # file a request with a photo, from the folded menu
    page.click("[data-testid=menu-toggle]")
    page.locator("#wl-menu").get_by_role("link", name="我的诉求").click()
    page.wait_for_url(f"{live_server.url}/service/mine/")
    assert _fits(page)
    expect(page.locator("#id_photos")).to_have_attribute("capture", "environment")
    expect(page.locator("#id_photos")).to_have_attribute("accept", "image/*")
    page.select_option("#id_category", "policy")
    page.fill("#id_title", "厂区门口道路积水")
    page.fill("#id_description", "雨天厂区门口道路积水严重，影响货车进出，请协调处理。")
    page.set_input_files(
        "#id_photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.click("#file-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("诉求已提交")
    expect(page.locator("[data-testid=status]")).to_have_text("已提交")
    expect(page.locator("body")).to_contain_text("现场.png")
    assert _fits(page)
    request = ServiceRequest.objects.get(title="厂区门口道路积水")
    assert request.attachments.get().extension == "png"

    # the department asks for material; the enterprise supplies it from the phone
    walk(request, users, [*ROUTED, ("start", "econ", {})])
    walk(
        ServiceRequest.objects.get(pk=request.pk),
        users,
        [("request_material", "econ", {"reason": "请补充积水路段位置图"})],
    )
    page.reload()
    expect(page.locator("[data-testid=status]")).to_have_text("待补充材料")
    form = page.locator("#step-supply_material")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "位置图.png", "mimeType": "image/png", "buffer": PNG}]
    )
    form.locator("input[name=reason]").fill("已标注积水路段")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=status]")).to_have_text("办理中")
    assert _fits(page)

    # the department answers; the enterprise reads it from its list's card and rates it
    walk(
        ServiceRequest.objects.get(pk=request.pk),
        users,
        [("answer", "econ", {"answer": "已安排市政部门本周内疏通排水管道。"})],
    )
    page.goto(f"{live_server.url}/service/mine/")
    card = page.locator("[data-testid=request-table] tbody tr", has_text="厂区门口道路积水")
    expect(card.locator("[data-testid=status]")).to_have_text("已答复")
    card.locator("[data-testid=next-step]").click()
    expect(page.locator("[data-testid=answer]")).to_have_text("已安排市政部门本周内疏通排水管道。")
    assert _fits(page)
    page.select_option("#rating", "5")
    page.fill("#rating-comment", "处理及时")
    page.click("#step-confirm button")
    confirm_dialog(page, "确认诉求“厂区门口道路积水”的答复")
    expect(page.locator("[data-testid=status]")).to_have_text("已办结")
    request.refresh_from_db()
    assert (request.status, request.rating) == ("closed", 5)
    assert request.attachments.count() == 2
