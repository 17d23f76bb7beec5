"""Screenshots of the main pages, for the README: `make screenshots` → docs/screenshots/.

Builds a throwaway database with the demo, serves it on a free loopback port, signs in as the
role each page is for and captures the page in headless Chromium.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# (account, path, file name); pages of modules that are not installed are skipped.
PAGES = [
    ("-", "/accounts/login/", "login"),
    ("leader", "/", "workbench-leader"),
    ("chief_xcl", "/", "workbench-chain"),
    ("econ", "/", "workbench-department"),
    ("dispatcher", "/", "workbench-dispatcher"),
    ("county_ly", "/", "workbench-county"),
    ("ent_demo", "/", "workbench-enterprise"),
    ("econ", "/notifications/", "notifications"),
    ("admin", "/notifications/channels/", "notification-channels"),
    ("leader", "/cockpit/", "cockpit"),
    ("chief_xcl", "/chains/xcl/", "chain-map"),
    ("chief_xcl", "/fusion/xcl/", "fusion"),
    ("chief_xcl", "/fusion/xcl/gaps/", "gaps"),
    ("leader", "/indicators/", "indicators"),
    ("econ", "/enterprises/", "enterprises"),
    ("econ", "/service/inbox/", "service-inbox"),
    ("dispatcher", "/service/board/", "service-board"),
    ("leader", "/service/overview/", "service-overview"),
    ("ent_demo", "/service/mine/", "service-mine"),
    ("leader", "/investment/", "investment-board"),
    ("leader", "/keywork/late/", "keywork-late"),
    ("leader", "/keywork/meetings/", "meetings"),
    ("admin", "/audit/", "audit-log"),
]
# The same pages as a phone shows them (390×844): the enterprise's and the staff's daily ones.
PHONE_PAGES = [
    ("ent_demo", "/service/mine/", "phone-service-mine"),
    ("econ", "/service/inbox/", "phone-service-inbox"),
    ("dispatcher", "/service/board/", "phone-service-board"),
    ("leader", "/cockpit/", "phone-cockpit"),
    ("chief_xcl", "/chains/xcl/", "phone-chain-map"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    python = sys.executable
    tmp = tempfile.mkdtemp(prefix="wulian-shots-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
        "WORKER_URL": f"sqlite:///{tmp}/queue.sqlite3",
    }
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True)
    # what the worker would have done by now: reminders, escalations, digests, deliveries
    subprocess.run([python, "manage.py", "worker", "--run", "all"], cwd=ROOT, env=env, check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            sized = [(p, (1440, 900)) for p in PAGES] + [(p, (390, 844)) for p in PHONE_PAGES]
            for (account, path, name), (width, height) in sized:
                context = browser.new_context(
                    locale="zh-CN", viewport={"width": width, "height": height}
                )
                page = context.new_page()
                if account != "-":
                    page.goto(f"{base}/accounts/login/")
                    page.fill("#id_username", account)
                    page.fill("#id_password", "wulian-demo")
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                response = page.goto(f"{base}{path}")
                if response is None or response.status != 200:
                    print(f"skipped {path}: {response.status if response else 'no response'}")
                    context.close()
                    continue
                page.wait_for_load_state("networkidle")
                page.wait_for_timeout(800)  # let ECharts finish its entrance animation
                page.screenshot(path=str(OUT / f"{name}.png"))
                print(f"docs/screenshots/{name}.png  ← {account} {path}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
