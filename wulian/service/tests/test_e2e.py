"""In a real browser, the whole loop: file, route, answer, send back once, confirm with a rating."""

import pytest

from conftest import browser_login, confirm_dialog
from wulian.service.models import ServiceRequest

from .factories import setup_loop

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def logout(page, live_server):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")


def test_the_whole_loop(page, live_server, users):
    setup_loop(users)

    # ent_demo files a request
    browser_login(page, live_server, "ent_demo")
    page.click("text=我的诉求")
    page.select_option("#id_category", "policy")
    page.fill("#id_title", "亩均效益奖励兑现")
    page.fill("#id_description", "去年的亩均效益奖励尚未到账，请协调。")
    page.click("#file-form button[type=submit]")
    page.locator("[data-testid=status]").get_by_text("已提交").wait_for()
    request = ServiceRequest.objects.get(title="亩均效益奖励兑现")
    detail = f"{live_server.url}/service/requests/{request.pk}/"
    clock = page.inner_text("[data-testid=clock]")
    assert "剩余" in clock or "今日到期" in clock

    # the dispatcher accepts and routes it (the rule suggests 经信局)
    logout(page, live_server)
    browser_login(page, live_server, "dispatcher")
    page.click("text=企呼我应")
    page.locator("[data-testid=waiting-table]").get_by_text("亩均效益奖励兑现").click()
    page.click("#step-accept button")
    page.locator("[data-testid=status]").get_by_text("已受理").wait_for()
    assert page.locator("#step-route select").input_value() == "jxj"
    page.click("#step-route button")
    page.locator("[data-testid=status]").get_by_text("已派单").wait_for()
    assert page.inner_text("[data-testid=department]") == "市经信局"

    # econ answers from the inbox
    logout(page, live_server)
    browser_login(page, live_server, "econ")
    page.click("text=企呼我应")
    page.locator("[data-testid=request-table]").get_by_text("亩均效益奖励兑现").click()
    page.fill("#answer-text", "已核实，奖励资金本月拨付。")
    page.click("#step-answer button")
    page.locator("[data-testid=status]").get_by_text("已答复").wait_for()

    # ent_demo sends it back once
    logout(page, live_server)
    browser_login(page, live_server, "ent_demo")
    page.goto(detail)
    page.fill("#step-send_back input[name=reason]", "请明确拨付的具体日期")
    page.click("#step-send_back button")
    confirm_dialog(page, "退回承办部门重新办理")
    page.locator("[data-testid=status]").get_by_text("办理中").wait_for()

    # econ answers again
    logout(page, live_server)
    browser_login(page, live_server, "econ")
    page.goto(detail)
    page.fill("#answer-text", "奖励资金将于本月 28 日前拨付到账。")
    page.click("#step-answer button")
    page.locator("[data-testid=status]").get_by_text("已答复").wait_for()

    # ent_demo accepts with a rating
    logout(page, live_server)
    browser_login(page, live_server, "ent_demo")
    page.goto(detail)
    page.select_option("#rating", "5")
    page.fill("#rating-comment", "答复明确，感谢")
    page.click("#step-confirm button")
    confirm_dialog(page, "确认诉求“亩均效益奖励兑现”的答复")
    page.locator("[data-testid=status]").get_by_text("已办结").wait_for()
    assert "5 / 5" in page.inner_text("[data-testid=rating]")
    events = page.inner_text("[data-testid=events]")
    assert "退回" in events and "确认并评价" in events

    request.refresh_from_db()
    assert request.status == "closed" and request.rating == 5 and request.reopen_count == 1
