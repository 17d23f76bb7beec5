"""In a real browser: a department issues a 快申快享 policy with conditions built as sentences,
the enterprise sees it matched, applies with the checklist, and the department pays."""

import pytest

from conftest import browser_login
from wulian.policies.models import Payout, Policy

from .helpers import build_registry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_issue_match_apply_pay(page, live_server, users):
    ents = build_registry(n=30)
    target = next(e for e in ents if e.region_id == "330825")
    target.accounts.add(users["ent_demo"])

    # the department builds the conditions in the form: 所属区县 属于 龙游县
    browser_login(page, live_server, "econ")
    page.goto(f"{live_server.url}/policies/new/")
    page.fill("#id_title", "龙游县企业数字化补助（测试）")
    page.check("input[name=mode][value=application]")
    page.fill("#id_materials", "申请表\n营业执照")
    row = page.locator("[data-testid=condition-row]").first
    row.locator("select").nth(0).select_option("region")
    row.locator("select").nth(1).select_option("in")
    row.locator("[data-role=value]").select_option(["330825"])
    page.click("[data-testid=add-condition]")
    second = page.locator("[data-testid=condition-row]").nth(1)
    second.locator("select").nth(0).select_option("employees")
    second.locator("select").nth(1).select_option(">=")
    second.locator("[data-role=value]").fill("0")
    page.fill("#id_amount_wan", "6")
    page.click("[data-testid=save-policy]")
    page.locator("[data-testid=policy-conditions]").get_by_text("所属区县 属于 龙游县").wait_for()
    policy = Policy.objects.get(title="龙游县企业数字化补助（测试）")
    assert policy.conditions == [
        {"field": "region", "op": "in", "value": ["330825"]},
        {"field": "employees", "op": ">=", "value": 0},
    ]
    assert policy.matched == sum(1 for e in ents if e.region_id == "330825")

    # the enterprise sees the policy as matched and applies
    page.context.clear_cookies()
    browser_login(page, live_server, "ent_demo")
    page.goto(f"{live_server.url}/policies/")
    page.locator("[data-testid=my-policies]").get_by_text("龙游县企业数字化补助（测试）").click()
    page.locator("[data-testid=my-match]").get_by_text("所属区县：龙游县").wait_for()
    for box in page.locator("[data-testid=apply-card] input[name=materials]").all():
        box.check()
    page.click("[data-testid=apply]")
    page.locator("[data-testid=payout-status]").get_by_text("已申请").wait_for()
    payout = Payout.objects.get()

    # the department approves and pays on the payout page
    page.context.clear_cookies()
    browser_login(page, live_server, "econ")
    page.goto(f"{live_server.url}/policies/payouts/{payout.pk}/")
    page.click("[data-testid=step-approve] button")
    page.locator("[data-testid=payout-status]").get_by_text("已核准待拨付").wait_for()
    page.click("[data-testid=step-pay] button")
    page.locator("[data-testid=payout-status]").get_by_text("已兑现").wait_for()
    payout.refresh_from_db()
    assert payout.status == "paid" and str(payout.paid_wan) == "6.00"
