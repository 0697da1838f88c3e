"""Every page works under the Content-Security-Policy: no inline script, no event-handler
attributes, no inline styles – checked on the real pages, rendered with real data."""

from __future__ import annotations

import pytest

from selfcheck.db.engine import Database
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings
from tests.helpers import Client
from tests.security.conftest import Towns
from tests.security.crawl import unvisited_pages
from tests.security.routes import csp_problems
from tests.security.visitors import crawl_as_everyone

pytestmark = pytest.mark.usefixtures("sqlite_only")


LEGAL_LINKS = ('href="/barrierefreiheit"', 'href="/datenschutz"', 'href="/impressum"')


async def test_every_html_page_has_no_inline_script_and_links_the_legal_pages(
    client: Client,
    towns: Towns,
    settings: Settings,
    database: Database,
    registry: QuestionnaireRegistry,
) -> None:
    """One crawl for two properties of every page: nothing the CSP would block, and the
    accessibility statement, privacy notice and Impressum one step away in the footer of
    every full page (participants' phones and error pages included; the projector has them
    beside its join code)."""
    pages = await crawl_as_everyone(client, towns, settings, database, registry)
    html_pages = [p for p in pages if p.is_html]
    assert len(html_pages) >= 40
    problems = {p.url: csp_problems(p.response.text) for p in html_pages}
    assert {url: found for url, found in problems.items() if found} == {}
    assert unvisited_pages(client, pages) == [], "diese Seiten hat kein Besuch erreicht"

    documents = [p for p in html_pages if "<html" in p.response.text]
    assert len(documents) >= 30
    assert any('class="projector"' in p.response.text for p in documents)
    missing = {
        p.url: [link for link in LEGAL_LINKS if link not in p.response.text.split("<footer")[-1]]
        for p in documents
    }
    assert {url: links for url, links in missing.items() if links} == {}


def test_the_page_check_finds_what_the_policy_would_block() -> None:
    assert csp_problems('<script src="/static/answer.js"></script>') == []
    assert csp_problems('<script type="application/json">{"a": 1}</script>') == []
    assert csp_problems("<script>alert(1)</script>")
    assert csp_problems('<img src="x" onerror="alert(1)">')
    assert csp_problems('<button hx-on:click="alert(1)">x</button>')
    assert csp_problems('<a href="javascript:alert(1)">x</a>')
    assert csp_problems('<span style="width: 50%"></span>')
    assert csp_problems("<style>body { color: red }</style>")
