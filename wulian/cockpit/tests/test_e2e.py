"""In a real browser: the leader opens the cockpit, reads the seed's 外贸 figures and the
computed CAGR, and drills into the tile."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_leader_opens_cockpit_and_drills_into_trade(page, live_server, cockpit_world):
    browser_login(page, live_server, "leader")
    page.click("text=驾驶舱")
    tile = page.locator("[data-testid=tile-trade]")
    expect(tile).to_contain_text("785.6")
    expect(tile).to_contain_text("358.4")
    expect(tile).to_contain_text("+21.68%")
    expect(page.locator("[data-testid=tile-exports]")).to_contain_text("全省第1")
    expect(page.locator("[data-testid=county-map] canvas")).to_have_count(1)
    tile.click()
    page.wait_for_url(f"{live_server.url}/indicators/trade/")
    expect(page.locator("[data-testid=cagr]")).to_contain_text("+21.68%")
    expect(page.locator("[data-testid=observation-table]")).to_contain_text("785.6亿元")
