"""In a real browser: the 新材料 chain office opens its map and clicks links."""

import pytest

from conftest import browser_login

from .helpers import SMALL, build_chain

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_chief_opens_the_map_and_clicks_a_link(page, live_server, base_config):
    build_chain(
        "xcl",
        "新材料",
        SMALL["links"],
        SMALL["edges"],
        firms=[
            ("acid", 50000, "main", "330825", {"name": "龙游氟酸科技有限公司"}),
            ("resin", 90000, "main", "330802", {"name": "衢州氟树脂有限公司"}),
        ],
    )
    build_chain("xny", "新能源", [("cell", "电芯", "mid")])
    browser_login(page, live_server, "chief_xcl")

    page.click("text=产业链图谱")
    assert page.locator("[data-testid=chain-card-xny]").count() == 0
    page.click("[data-testid=chain-card-xcl]")
    page.locator("[data-testid=chain-chart] canvas").wait_for()

    # The accessible table of links opens the same panel as the chart.
    page.locator("[data-testid=link-table]").get_by_text("酸", exact=True).click()
    panel = page.locator("[data-testid=link-enterprises]")
    panel.get_by_text("龙游氟酸科技有限公司").wait_for()
    assert "衢州氟树脂有限公司" not in panel.inner_text()

    # A click on the chart's node (found through the ECharts API) loads that link.
    x, y = page.evaluate(
        """() => {
          const chart = window.wulianChainChart;
          const node = chart.getOption().series[0].data.find(n => n.name === '树脂');
          const rect = chart.getDom().getBoundingClientRect();
          const [px, py] = chart.convertToPixel({seriesIndex: 0}, [node.x, node.y]);
          return [rect.left + px, rect.top + py];
        }"""
    )
    page.mouse.click(x, y)
    page.locator("[data-testid=link-enterprises]").get_by_text("衢州氟树脂有限公司").wait_for()


def test_a_link_named_like_html_shows_as_text_in_the_tooltip(page, live_server, base_config):
    name = '<img src=x onerror="window.injected=1">酸'
    build_chain("xcl", "新材料", [("acid", name, "up"), ("resin", "树脂", "mid")], [])
    browser_login(page, live_server, "chief_xcl")
    page.goto(f"{live_server.url}/chains/xcl/")
    page.locator("[data-testid=chain-chart] canvas").wait_for()
    page.evaluate(
        """(name) => {
          const chart = window.wulianChainChart;
          const index = chart.getOption().series[0].data.findIndex(n => n.name === name);
          chart.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: index});
        }""",
        name,
    )
    chart = page.locator("[data-testid=chain-chart]")
    chart.get_by_text(name).wait_for()
    assert chart.locator("img").count() == 0
    assert chart.get_by_text("强弱：").count() == 1
    assert page.evaluate("() => window.injected") is None
