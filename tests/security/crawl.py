"""Render the app's real pages by following links, as a visitor would.

Bounded: at most a few URLs per route (the 105 history pages look alike) and a fixed
number in total. Only HTML routes are fetched: no downloads, never an event stream.
`unvisited_pages` tells which HTML routes the crawl did not reach, so a new page cannot
slip past the page checks.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from httpx import Response

from tests.helpers import Client
from tests.security.routes import Route, app_routes

PER_ROUTE = 3
MAX_PAGES = 250
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Page:
    url: str
    route: Route | None
    response: Response

    @property
    def is_html(self) -> bool:
        return str(self.response.headers.get("content-type", "")).startswith("text/html")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        target = None
        if tag == "a":
            target = attributes.get("href")
        elif tag == "form" and (attributes.get("method") or "get").lower() == "get":
            target = attributes.get("action")
        elif tag in {"div", "section", "a", "button"}:
            target = attributes.get("hx-get")
        if target:
            self.links.append(unescape(target))


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [
        link.split("#", 1)[0]
        for link in parser.links
        if link.startswith("/") and not link.startswith("//") and link.split("#", 1)[0]
    ]


def route_of(routes: list[Route], url: str) -> Route | None:
    path = url.split("?", 1)[0]
    matches = [r for r in routes if r.method == "GET" and r.pattern.match(path)]
    # A fixed path ("/teilnehmen") wins over a parameter ("/w/{code}"), as in the router.
    return min(matches, key=lambda r: len(r.parameters), default=None)


async def crawl(client: Client, start: Iterable[str]) -> list[Page]:
    routes = app_routes(client.app)
    queue: deque[str] = deque(start)
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    pages: list[Page] = []
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or url.startswith(("/static/", "/api/schema")):
            continue
        seen.add(url)
        route = route_of(routes, url)
        if route is not None:
            # Pages only: downloads (DOCX, charts) and event streams are not what this checks.
            if not route.is_html_page or per_route[route.path] >= PER_ROUTE:
                continue
            per_route[route.path] += 1
        response = await asyncio.wait_for(client.get(url), REQUEST_TIMEOUT)
        page = Page(url, route, response)
        pages.append(page)
        if page.is_html:
            queue.extend(links_of(response.text))
    return pages


def unvisited_pages(client: Client, pages: Iterable[Page]) -> list[str]:
    """HTML routes that no crawled URL rendered successfully."""
    rendered = {p.route.path for p in pages if p.route and p.response.status_code == 200}
    return sorted(
        r.path for r in app_routes(client.app) if r.is_html_page and r.path not in rendered
    )
