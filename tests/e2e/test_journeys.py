"""Each role's main journey in a real browser, across the modules: cockpit, indicators, chain
map and projects (leader), chain map and gaps (chain office), enterprises, 企呼我应 and 四定 tasks
(department), the dispatch board (营商办), county scoping, an enterprise filing a request, and the
audit log (administrator). Every test builds a small world of its own through the apps' services
and factories (the full demo is far too large for a test)."""

import re

import pytest
from playwright.sync_api import expect

from conftest import browser_login
from wulian.enterprises.tests.factories import EnterpriseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Pages cache computed figures in the process's cache, which the live server shares."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _patient_expect():
    """Two test workers share two cores with the live servers: give assertions some slack."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def _service_world(users):
    """Categories, the rule policy → 经信局, and ent_demo's enterprise in 龙游县."""
    from wulian.service.tests.factories import setup_loop

    return setup_loop(users)


def test_leader_cockpit_to_indicator_and_ranking(page, live_server, users):
    from wulian.chains.tests.helpers import SMALL, build_chain
    from wulian.indicators import demo as indicators_demo
    from wulian.investment.tests.factories import ProjectFactory

    indicators_demo.load()
    ProjectFactory(name="氟新材料一体化项目", stage="negotiating", planned_wan=200000)
    build_chain("xcl", "新材料", SMALL["links"], SMALL["edges"], firms=[("acid", 50000, "main")])
    browser_login(page, live_server, "leader")

    page.get_by_role("link", name="驾驶舱", exact=True).first.click()
    expect(page.locator("[data-testid=headline-tiles]")).to_be_visible()
    expect(page.locator("[data-testid=tile-trade]")).to_contain_text("785.6")
    expect(page.locator("[data-testid=tile-exports]")).to_contain_text("全省第1")
    expect(page.locator("[data-testid=tile-chains]")).to_contain_text("新材料")

    # A tile opens its indicator's page.
    page.click("[data-testid=tile-trade]")
    page.wait_for_url(f"{live_server.url}/indicators/trade/")
    expect(page.locator("[data-testid=observation-table]")).to_contain_text("785.6亿元")

    # Back on the cockpit, the chain table opens the chain's map.
    page.go_back()
    page.locator("[data-testid=tile-chains]").get_by_role("link", name="新材料").click()
    page.wait_for_url(f"{live_server.url}/chains/xcl/")
    expect(page.locator("[data-testid=link-table]")).to_contain_text("树脂")

    # The major-projects tile opens the investment board.
    page.go_back()
    page.locator("[data-testid=tile-pipeline] a").click()
    page.wait_for_url(f"{live_server.url}/investment/")
    expect(page.locator("[data-testid=column-negotiating]")).to_contain_text("氟新材料一体化项目")

    # The province ranking grades Quzhou 保五争三拼第一.
    page.goto(f"{live_server.url}/cockpit/")
    page.get_by_role("link", name="全省排名").click()
    page.wait_for_url(re.compile(r"/indicators/ranking/"))
    expect(page.locator(".page-title")).to_contain_text("保五争三拼第一")
    title = page.locator("#ranking .card-title")
    # Each choice reloads the table (htmx drops a second request while one is in flight).
    page.select_option("#r-ind", "exports")
    expect(title).to_contain_text("外贸出口额")
    page.select_option("#r-basis", "growth")
    expect(title).to_contain_text("外贸出口额 · 2024 · 按增速")
    quzhou = page.locator("[data-testid=ranking-table] tr.table-active")
    expect(quzhou).to_contain_text("衢州")
    expect(quzhou.locator("[data-testid=rank-badge]")).to_have_text("第1位 · 第一")


def test_chain_office_map_panel_and_gaps(page, live_server, users):
    from wulian.chains.tests.helpers import build_chain
    from wulian.fusion.tests.helpers import build_known_chain

    _chain, links = build_known_chain()
    acid_firm = links["acid"].enterprise_links.order_by("-enterprise__output_wan").first()
    build_chain("xny", "新能源", [("cell", "电芯", "mid")])
    browser_login(page, live_server, "chief_xcl")

    page.get_by_role("link", name="产业链图谱").first.click()
    expect(page.locator("[data-testid=chain-card-xcl]")).to_be_visible()
    expect(page.locator("[data-testid=chain-card-xny]")).to_have_count(0)
    page.click("[data-testid=chain-card-xcl]")
    page.wait_for_url(f"{live_server.url}/chains/xcl/")
    expect(page.locator(".page-title")).to_contain_text("新材料产业链图谱")

    # A link of the table opens its panel with the link's enterprises.
    page.locator("[data-testid=link-table]").get_by_role("link", name="氢氟酸").click()
    panel = page.locator("[data-testid=link-panel]")
    expect(panel.locator(".card-title").first).to_have_text("氢氟酸")
    enterprises = panel.locator("[data-testid=link-enterprises]")
    expect(enterprises.locator("tr")).to_have_count(5)
    expect(enterprises).to_contain_text(acid_firm.enterprise.name)

    # The gaps page explains its findings in Chinese.
    page.get_by_role("link", name="延链补链强链").click()
    page.wait_for_url(f"{live_server.url}/fusion/xcl/gaps/")
    fill = page.locator("[data-testid=findings-fill]")
    expect(fill).to_contain_text("中间体")
    expect(fill).to_contain_text("「中间体」本地主营企业 1 家")
    expect(page.locator("[data-testid=findings-extend]")).to_contain_text("向下游延链")
    expect(page.locator("[data-testid=ranked-targets]")).to_contain_text("大目标")


def test_department_searches_answers_and_reads_its_tasks(page, live_server, users):
    from wulian.keywork.tests.factories import make_task
    from wulian.service.tests.factories import ROUTED, file_request, walk

    _service_world(users)
    EnterpriseFactory(name="衢州氟硅新材料有限公司", region_id="330803")
    EnterpriseFactory(name="龙游特种纸业有限公司", region_id="330825")
    request = walk(file_request(users, title="亩均效益奖励兑现"), users, ROUTED)
    make_task(dept="jxj", title="新材料产业链项目推进")
    make_task(dept="zrzy", title="自然资源部门的任务")
    browser_login(page, live_server, "econ")

    # The enterprise registry: search by name.
    page.get_by_role("link", name="企业库").first.click()
    page.fill("#f-q", "特种纸")
    page.click("#enterprise-filter button[type=submit]")
    table = page.locator("[data-testid=enterprise-table]")
    expect(table).not_to_contain_text("衢州氟硅新材料有限公司")
    expect(table).to_contain_text("龙游特种纸业有限公司")

    # The inbox holds the request routed to 经信局; answer it.
    page.get_by_role("link", name="企呼我应").first.click()
    expect(page.locator(".page-title")).to_contain_text("诉求办理")
    row = page.locator("[data-testid=request-table] tr", has_text="亩均效益奖励兑现")
    expect(row.locator("[data-testid=status]")).to_have_text("已派单")
    row.get_by_role("link", name="亩均效益奖励兑现").click()
    page.wait_for_url(f"{live_server.url}/service/requests/{request.pk}/")
    page.fill("#answer-text", "已核实，奖励资金本月拨付。")
    page.click("#step-answer button")
    expect(page.locator("[data-testid=status]")).to_have_text("已答复")
    expect(page.locator("[data-testid=answer]")).to_have_text("已核实，奖励资金本月拨付。")

    # 四定 tasks: those of 经信局, not another department's.
    page.goto(f"{live_server.url}/keywork/tasks/")
    expect(page.locator(".page-title")).to_contain_text("市经信局的任务")
    tasks = page.locator("[data-testid=task-table]")
    expect(tasks).to_contain_text("新材料产业链项目推进")
    expect(tasks).to_contain_text("市经信局")
    expect(tasks).not_to_contain_text("自然资源部门的任务")


def test_dispatcher_routes_from_the_board(page, live_server, users):
    from wulian.service.tests.factories import file_request

    _service_world(users)
    request = file_request(users, title="厂房用地指标协调")
    browser_login(page, live_server, "dispatcher")

    page.get_by_role("link", name="企呼我应").first.click()
    page.wait_for_url(f"{live_server.url}/service/board/")
    waiting = page.locator("[data-testid=waiting-table]")
    expect(waiting.locator("tr", has_text="厂房用地指标协调")).to_contain_text("已提交")
    waiting.get_by_role("link", name="厂房用地指标协调").click()
    page.wait_for_url(f"{live_server.url}/service/requests/{request.pk}/")
    page.click("#step-accept button")
    expect(page.locator("[data-testid=status]")).to_have_text("已受理")
    # The rule suggests 经信局; the dispatcher sends it to 自然资源和规划局 instead.
    expect(page.locator("#step-route select")).to_have_value("jxj")
    page.select_option("#step-route select", "zrzy")
    page.click("#step-route button")
    expect(page.locator("[data-testid=status]")).to_have_text("已派单")
    expect(page.locator("[data-testid=department]")).to_have_text("市自然资源和规划局")

    page.goto(f"{live_server.url}/service/board/")
    expect(page.locator("[data-testid=waiting-table]")).not_to_contain_text("厂房用地指标协调")
    request.refresh_from_db()
    assert request.status == "routed" and request.department.code == "zrzy"


def test_county_sees_only_its_enterprises(page, live_server, users):
    own = EnterpriseFactory(name="龙游造纸机械有限公司", region_id="330825")
    EnterpriseFactory(name="龙游竹木制品有限公司", region_id="330825")
    other = EnterpriseFactory(name="江山门业有限公司", region_id="330881")
    EnterpriseFactory(name="柯城氟化工有限公司", region_id="330802")
    browser_login(page, live_server, "county_ly")

    page.get_by_role("link", name="企业库").first.click()
    table = page.locator("[data-testid=enterprise-table]")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    for i in range(2):
        expect(rows.nth(i).locator("td").nth(2)).to_have_text("龙游县")
    expect(table).not_to_contain_text("江山门业有限公司")
    expect(table).not_to_contain_text("柯城氟化工有限公司")

    table.get_by_role("link", name="龙游造纸机械有限公司").click()
    page.wait_for_url(f"{live_server.url}/enterprises/{own.pk}/")
    expect(page.locator(".page-title")).to_contain_text("龙游造纸机械有限公司")

    # Another county's enterprise does not exist for this user.
    response = page.goto(f"{live_server.url}/enterprises/{other.pk}/")
    assert response.status == 404
    expect(page.locator(".page-title")).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text("江山门业有限公司")


def test_enterprise_files_a_request_and_sees_only_itself(page, live_server, users):
    _categories, enterprise = _service_world(users)
    EnterpriseFactory(name="龙游邻居企业有限公司", region_id="330825")
    browser_login(page, live_server, "ent_demo")

    page.get_by_role("link", name="我的诉求").first.click()
    page.wait_for_url(f"{live_server.url}/service/mine/")
    page.select_option("#id_category", "policy")
    page.fill("#id_title", "技改补助申报咨询")
    page.fill("#id_description", "今年的技术改造补助何时开始申报？")
    page.click("#file-form button[type=submit]")
    expect(page.locator(".alert-success")).to_contain_text("诉求已提交")
    expect(page.locator("[data-testid=status]")).to_have_text("已提交")
    expect(page.locator("[data-testid=clock]")).to_have_text(
        re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} .*(剩余|今日到期)")
    )

    page.get_by_role("link", name="我的诉求").first.click()
    row = page.locator("[data-testid=request-table] tbody tr", has_text="技改补助申报咨询")
    expect(row.locator("[data-testid=status]")).to_have_text("已提交")
    expect(row.locator("td").nth(6)).to_have_text(re.compile(r"剩余|今日到期"))

    # The registry shows this enterprise and no other.
    page.get_by_role("link", name="企业库").first.click()
    rows = page.locator("[data-testid=enterprise-table] tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(enterprise.name)


def test_admin_reads_its_change_in_the_audit_log(page, live_server, users):
    from wulian.fusion.services import set_weights

    weights = {"industry": 0.3, "innovation": 0.2, "talent": 0.15, "capital": 0.2}
    set_weights(actor=users["leader"], service=0.15, **weights)  # someone else's change
    browser_login(page, live_server, "admin")

    page.goto(f"{live_server.url}/fusion/")
    page.fill("#w-industry", "0.35")
    page.fill("#w-capital", "0.15")
    page.click("#weights-form button")
    expect(page.locator(".alert-success")).to_contain_text("已更新权重")

    page.get_by_role("link", name="审计日志").first.click()
    rows = page.locator("[data-testid=audit-table] tbody tr")
    # the leader's change, by its actor (the admin's own change names the leader too: the
    # record's former 修改人, shown by name)
    actor = page.locator("td:nth-child(2)", has_text="市领导（演示）")
    expect(rows.filter(has=actor)).to_have_count(1)
    page.fill("#a-actor", "admin")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"actor=admin"))
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").nth(1)).to_have_text(str(users["admin"]))
    expect(rows.first.locator("td").nth(2)).to_have_text("修改")
    expect(rows.first.locator("td").nth(3)).to_contain_text("融合评分权重")
    expect(rows.first.locator("td").nth(4)).to_contain_text("0.30 → 0.35")
