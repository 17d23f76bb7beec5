"""The pages a signed-in user can reach, for checks that walk them all (the phone-width check;
an all-pages walk for script errors can use the same list).

`walk_pages` starts from the menu and follows one hop of links in the page header and body,
keeping one URL per route (the view a path resolves to), so a list page and
one of its detail pages are both visited without walking every row.
"""

import re

from django.urls import Resolver404, resolve

# Downloads, files and the admin site are not pages of ours.
SKIP = re.compile(r"\.(xlsx|docx|csv|pdf)$|/api/|/admin/|/attachments/|/documents/|/open311/")


def route_of(url: str) -> str:
    """The route a URL belongs to: the name of the view its path resolves to (so /indicators/gdp/
    and /indicators/trade/ are one route), or the path for one that does not resolve."""
    path = url.split("#", 1)[0].split("?", 1)[0]
    try:
        return resolve(path).view_name
    except Resolver404:
        return path


def menu_urls(page) -> list[str]:
    """The menu entries of the page that is open (visible or folded behind the toggle)."""
    return page.eval_on_selector_all(
        "#wl-menu .wl-nav a.nav-link", "els => els.map(e => e.getAttribute('href'))"
    )


def walk_pages(page, base_url: str, check, limit: int = 80) -> list[str]:
    """Open the menu's pages and one hop of same-site links from each, one URL per route, and
    call `check(url, response)` on each page once it has loaded; the URLs visited."""
    page.goto(f"{base_url}/")
    start = ["/", *menu_urls(page)]
    urls: list[str] = []
    routes: set[str] = set()

    def add(url: str) -> None:
        path = url.split("#", 1)[0].split("?", 1)[0]
        if url.startswith("/") and not SKIP.search(path) and route_of(url) not in routes:
            routes.add(route_of(url))
            urls.append(url)

    for url in start:
        add(url)
    for url in list(urls):
        check(url, page.goto(f"{base_url}{url}"))
        for href in page.eval_on_selector_all(
            ".page-header a[href^='/'], .page-body a[href^='/']",
            "els => els.map(e => e.getAttribute('href'))",
        ):
            add(href)
    for url in urls[len(start) : limit]:
        check(url, page.goto(f"{base_url}{url}"))
    return urls[:limit]
