"""At 390×844: the cockpit stacks its tiles, the chain map offers its table (links as cards, the
chosen link's panel brought into view) beside a graph drawn at a readable width, and a double
click files one request and dispatches it once."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _boxes(locator) -> list[dict]:
    return [locator.nth(i).bounding_box() for i in range(locator.count())]


def _comes_into_view(page, selector: str) -> None:
    """Wait until the element's top edge is on the screen (scrolling may be smooth)."""
    page.wait_for_function(
        """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                      return r.top >= -1 && r.top < window.innerHeight; }""",
        arg=selector,
        timeout=3000,
    )


def test_the_cockpit_stacks_its_tiles_on_a_phone(page, live_server, users):
    from wulian.indicators import demo as indicators_demo

    indicators_demo.load()
    browser_login(page, live_server, "leader")
    tiles = page.locator("[data-testid=headline-tiles] > div")

    # on a desk, several tiles share a row
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/cockpit/")
    boxes = _boxes(tiles)
    assert len(boxes) >= 4
    assert len({round(b["y"]) for b in boxes[:4]}) == 1, boxes[:4]

    # on a phone, one tile under another, each as wide as the screen allows
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/cockpit/")
    boxes = _boxes(tiles)
    assert len({round(b["x"]) for b in boxes}) == 1, boxes
    assert all(b["width"] >= PHONE["width"] - 40 for b in boxes), boxes
    assert all(a["y"] + a["height"] <= b["y"] + 1 for a, b in zip(boxes, boxes[1:], strict=False))
    # the charts below stack too, and nothing widens the page
    charts = _boxes(page.locator("#trend-chart, #map-chart"))
    assert charts[0]["y"] + charts[0]["height"] <= charts[1]["y"], charts
    assert _fits(page)


def test_the_chain_map_on_a_phone_offers_its_table(page, live_server, users):
    from wulian.chains.tests.helpers import SMALL, build_chain

    build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[("acid", 50000, "main", "330825", {"name": "龙游氟酸科技有限公司"})],
    )
    browser_login(page, live_server, "chief_xcl")

    # on a desk the graph is drawn in its card and no phone note is shown
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/chains/xcl/")
    expect(page.locator("[data-testid=phone-chart-note]")).to_be_hidden()
    expect(page.locator("[data-testid=link-table] thead")).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/chains/xcl/")
    assert _fits(page)

    # the graph is drawn wider than the screen, readable, and swiped inside its card
    chart = page.locator("[data-testid=chain-chart]")
    expect(chart.locator("canvas")).to_be_visible()
    assert chart.bounding_box()["width"] >= 700
    scroller = page.locator(".wl-chart-scroll")
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    assert scroller.bounding_box()["width"] <= PHONE["width"]

    # 看表格视图 jumps to the table, whose links are cards (name first, then the figures)
    note = page.locator("[data-testid=phone-chart-note]")
    expect(note).to_be_visible()
    note.get_by_role("link", name="看表格视图").click()
    _comes_into_view(page, "#link-table-card")
    table = page.locator("[data-testid=link-table]")
    expect(table.locator("thead")).to_be_hidden()
    card = table.locator("tbody tr", has_text="酸").first
    assert card.evaluate("tr => getComputedStyle(tr).display") == "flex"
    assert card.bounding_box()["width"] <= PHONE["width"]
    expect(card.locator("td[data-label=强弱]")).to_be_visible()

    # choosing a link in the table brings its panel into view
    card.get_by_role("link", name="酸", exact=True).click()
    expect(page.locator("[data-testid=link-panel]")).to_contain_text("龙游氟酸科技有限公司")
    _comes_into_view(page, "#link-panel")
    assert _fits(page)


def test_a_double_click_files_once_and_dispatches_once_on_a_phone(page, live_server, users):
    from wulian.service.choices import Action
    from wulian.service.models import ServiceEvent, ServiceRequest
    from wulian.service.tests.factories import setup_loop

    setup_loop(users)
    page.set_viewport_size(PHONE)

    # the enterprise double-clicks 提交: one request
    browser_login(page, live_server, "ent_demo")
    page.goto(f"{live_server.url}/service/mine/")
    page.select_option("#id_category", "policy")
    page.fill("#id_title", "用电增容申请进度")
    page.fill("#id_description", "新厂房用电增容申请已提交两个月，请协调供电公司。")
    page.locator("#file-form button[type=submit]").dblclick()
    expect(page.locator("[data-testid=status]")).to_have_text("已提交")
    page.wait_for_load_state("networkidle")
    assert ServiceRequest.objects.filter(title="用电增容申请进度").count() == 1
    request = ServiceRequest.objects.get(title="用电增容申请进度")

    # the dispatcher picks it on the board's card and double-clicks the confirmation
    page.context.clear_cookies()
    browser_login(page, live_server, "dispatcher")
    page.goto(f"{live_server.url}/service/board/")
    assert _fits(page)
    page.check(f"[data-testid=pick-{request.pk}]")
    page.click("[data-testid=dispatch]")
    page.locator("[data-testid=confirm-dialog] [data-confirm-text]").wait_for(state="visible")
    page.locator("[data-testid=confirm-ok]").dblclick()
    expect(page.locator(".alert-success")).to_contain_text("已受理并派单 1 件")
    page.wait_for_load_state("networkidle")
    request.refresh_from_db()
    assert (request.status, request.department.code) == ("routed", "jxj")
    events = ServiceEvent.objects.filter(request=request)
    assert events.filter(action=Action.ACCEPT).count() == 1
    assert events.filter(action=Action.ROUTE).count() == 1

    # the handler double-clicks 开始办理 on the request's page: one step
    page.context.clear_cookies()
    browser_login(page, live_server, "econ")
    page.goto(f"{live_server.url}{request.get_absolute_url()}")
    page.locator("#step-start button[type=submit]").dblclick()
    expect(page.locator("[data-testid=status]")).to_have_text("办理中")
    page.wait_for_load_state("networkidle")
    assert events.filter(action=Action.START).count() == 1
    expect(page.locator(".alert-danger")).to_have_count(0)


def test_a_project_document_refuses_a_big_file_before_sending(page, live_server, base_config):
    from wulian.investment.models import ProjectDocument
    from wulian.investment.tests.factories import ProjectFactory

    project = ProjectFactory(name="电子特气项目", stage="signed")
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/investment/projects/{project.pk}/")
    assert _fits(page)
    upload = page.locator("input[type=file][name=file]")
    expect(upload).to_have_attribute("accept", ".pdf,.jpg,.jpeg,.png")
    limit = int(upload.get_attribute("data-max-bytes"))
    big = {"name": "可研报告.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * limit}
    upload.set_input_files(files=[big])
    expect(page.locator("[data-testid=file-error]")).to_contain_text("文件过大：可研报告.pdf")
    assert upload.evaluate("el => el.files.length") == 0
    assert not ProjectDocument.objects.exists()


def test_the_top_bar_fits_a_desk_for_every_role(page, live_server, users):
    """At 1440 px the whole menu and the account line do not widen the page (the menu scrolls
    inside the bar) and 退出 stays on the screen."""
    page.set_viewport_size(DESKTOP)
    for username in ("ent_demo", "econ", "dispatcher", "leader"):
        page.context.clear_cookies()
        browser_login(page, live_server, username)
        assert _fits(page), username
        logout = page.locator("header").get_by_role("button", name="退出")
        box = logout.bounding_box()
        assert box["x"] + box["width"] <= DESKTOP["width"], (username, box)
