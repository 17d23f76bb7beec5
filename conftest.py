"""Fixtures shared by every app's tests: the base configuration and one user per role."""

import pytest
from django.conf import settings as django_settings


def pytest_addoption(parser):
    parser.addoption(
        "--cluster",
        action="store_true",
        help="run the tests marked cluster: two servers, two workers, PostgreSQL and Redis "
        "(make test-cluster)",
    )


def pytest_collection_modifyitems(config, items):
    # The cluster test starts its own servers on PostgreSQL and takes minutes: it runs only
    # when asked for (`make test-cluster`, after the suite in .ci/run), never in `make test`.
    if config.getoption("--cluster"):
        return
    skipped = [item for item in items if item.get_closest_marker("cluster")]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = [item for item in items if not item.get_closest_marker("cluster")]


def pytest_configure(config):
    # Tests keep their caches in their own process's memory: nothing shared between xdist
    # workers or left over from an earlier run.
    # The ORM cache is on, so that every test that writes and reads again also tests that the
    # write invalidated what was cached.
    from cachalot.settings import cachalot_settings
    from django.test.utils import override_settings

    override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "default",
                "KEY_FUNCTION": "wulian.core.cache.make_key",
                "OPTIONS": {"MAX_ENTRIES": 20000},
            }
        },
        CACHALOT_ENABLED=True,
    ).enable()
    # The worker's queue runs tasks in the calling process, in memory: a test never leaves
    # tasks in a queue file, and what a task does happens before the test looks.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    cachalot_settings.reload()


@pytest.fixture
def orm_cache_off():
    """The ORM cache off for one test, as a deployment without a shared cache runs."""
    from cachalot.settings import cachalot_settings
    from django.test.utils import override_settings

    with override_settings(CACHALOT_ENABLED=False):
        cachalot_settings.reload()
        yield
    cachalot_settings.reload()


@pytest.fixture(params=["orm-cache-on", "orm-cache-off"])
def orm_cache_on_and_off(request):
    """The test once with the ORM cache on (as the suite runs) and once with it off."""
    if request.param == "orm-cache-off":
        request.getfixturevalue("orm_cache_off")
    return request.param


@pytest.fixture(autouse=True)
def _clear_caches():
    # Each test's database is rolled back; what was cached from it must go too.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_language():
    # A request in English (Accept-Language, the language switch) leaves English active in the
    # thread after the response; every test starts in the site's language, whatever ran before.
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    # Real hashing costs ~0.3 s per login; tests need speed, not strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def base_config(db):
    """Regions, departments and the demo accounts (no synthetic data)."""
    from wulian.core import demo

    demo.load_regions()
    demo.load_departments()
    demo.load_users()


@pytest.fixture
def users(base_config):
    """The demo accounts by username: leader, chief_xcl, econ, dispatcher, county_ly, ent_demo,
    admin."""
    from wulian.core.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


DEMO_PASSWORD = django_settings.DEMO_PASSWORD


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(monkeypatch):
    """A headless Debian Chromium page driven by Playwright (for e2e tests with live_server)."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls that the test
    # makes around it are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        yield page
        context.close()
        browser.close()
        # ORM calls made while the event loop ran got connections of their own (Django keeps
        # connections per thread and per async context); close them before the test database
        # is dropped.
        connections.close_all()


def confirm_dialog(page, expect_text: str = ""):
    """Answer the page's confirmation dialog (#wl-confirm) with 确定, checking what it says."""
    dialog = page.locator("[data-testid=confirm-dialog]")
    dialog.locator("[data-confirm-text]").wait_for(state="visible")
    if expect_text:
        assert expect_text in dialog.inner_text(), dialog.inner_text()
    dialog.locator("[data-testid=confirm-ok]").click()
    dialog.wait_for(state="hidden")


def submit_form(page, button: str, expect_message: str, *, confirm: str | None = None):
    """Press a form's submit button as a user does and wait for the page it leads to.

    The POST's answer is awaited (a click that sent nothing fails here, naming the button),
    then the next page's load, then the message `expect_message`; when that message is not
    on the page, the test fails with the messages that are (a refused step says why).
    `confirm`: the text the confirmation dialog must show before 确定 is pressed."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click(button)
            if confirm is not None:
                confirm_dialog(page, confirm)
    except PlaywrightTimeout as exc:
        invalid = page.locator("form :invalid").evaluate_all(
            "els => els.map(e => (e.name || e.id) + ': ' + e.validationMessage)"
        )
        raise AssertionError(f"{button}: 表单未发出，浏览器拦下的字段：{invalid}") from exc
    assert answer.value.status in (200, 302), f"{button}: HTTP {answer.value.status}"
    page.wait_for_load_state("load")
    alerts = page.locator("[role=alert]")
    try:
        alerts.filter(has_text=expect_message).first.wait_for()
    except PlaywrightTimeout as exc:
        shown = alerts.all_inner_texts()
        raise AssertionError(f"{button}: 未见“{expect_message}”，页面提示：{shown}") from exc


def browser_login(page, live_server, username, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A throwaway Redis server of this test run (Debian's redis-server) on a loopback port."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("redis-server")
    assert binary, "缺少 redis-server：请执行 sh scripts/ensure-redis（make test 会自动执行）"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            assert time.monotonic() < deadline and server.poll() is None, "redis-server 未能启动"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)
