"""In a real browser: log in, search the registry, upload a bad file and read the errors."""

import pytest
from playwright.sync_api import expect

from conftest import browser_login

from .factories import EnterpriseFactory
from .helpers import xlsx_bytes
from .test_import import good_rows

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_login_search_and_bad_upload(page, live_server, base_config, tmp_path):
    EnterpriseFactory(name="衢州氟硅新材料有限公司", region_id="330803")
    EnterpriseFactory(name="龙游特种纸业有限公司", region_id="330825")

    browser_login(page, live_server, "econ")
    assert "经信局干部" in page.inner_text("[data-testid=current-user]")

    page.click("text=企业库")
    page.fill("#f-q", "特种纸")
    page.click("#enterprise-filter button[type=submit]")
    table = page.locator("[data-testid=enterprise-table]")
    # Wait for htmx to swap in the filtered results, not the table that was already there.
    expect(table).not_to_contain_text("衢州氟硅新材料有限公司")
    expect(table).to_contain_text("龙游特种纸业有限公司")
    assert "q=" in page.url  # the filter is in the address bar (hx-push-url)

    rows = good_rows()
    rows[1][2] = "火星区"
    rows[2][8] = "-100"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx_bytes(rows))
    page.goto(f"{live_server.url}/enterprises/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("#import-form button[type=submit]")
    errors = page.locator("[data-testid=import-errors]")
    errors.wait_for()
    text = errors.inner_text()
    assert "第3行" in text and "未知区县" in text
    assert "第4行" in text and "不能为负数" in text
    assert page.locator("[data-testid=import-commit]").count() == 0
