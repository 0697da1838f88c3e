"""Every kind of visitor walks through the app; together they render every page."""

from __future__ import annotations

from dataclasses import replace

from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.demo import seed_demo
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.settings import Settings
from tests.conftest import PASSWORD
from tests.helpers import Client, csrf_token, log_in, post_form
from tests.security.conftest import Towns
from tests.security.crawl import Page, crawl


async def error_pages(client: Client) -> list[Page]:
    """Pages that only appear when something goes wrong."""
    pages = []
    for url in ["/gibt-es-nicht", "/s/diesen-link-gibt-es-nicht-1234"]:
        pages.append(Page(url, None, await client.get(url)))
    refused = await client.post("/moderation/kommunen", data={"name": "ohne Token"})
    pages.append(Page("POST ohne CSRF-Token", None, refused))
    too_large = await client.post(
        "/moderation/kommunen",
        content=b"name=" + b"x" * (client.app.state.settings.max_body_bytes + 1),
        headers={
            "x-csrftoken": await csrf_token(client),
            "content-type": "application/x-www-form-urlencoded",
        },
    )
    pages.append(Page("POST zu groß", None, too_large))
    wrong_login = await log_in(client, "niemand@example.org", "falsches-passwort")
    pages.append(Page("Anmeldung fehlgeschlagen", None, wrong_login))
    return pages


async def crawl_as_everyone(
    client: Client,
    towns: Towns,
    settings: Settings,
    database: Database,
    registry: QuestionnaireRegistry,
) -> list[Page]:
    aheim = towns.aheim
    pages = await error_pages(client)
    pages += await crawl(client, ["/", "/anmelden", "/teilnehmen", f"/w/{aheim.join_code}"])

    await log_in(client, "admin@example.org", PASSWORD)
    pages += await crawl(client, ["/moderation"])
    invalid = await post_form(client, "/moderation/kommunen", {"name": ""})
    pages.append(Page("Formular mit Fehler", None, invalid))
    client.cookies.clear()

    staff = f"/s/{aheim.staff_token}"
    pages += await crawl(client, [staff, f"{staff}/bericht", f"/s/{aheim.colleague_token}"])
    pages += await crawl(client, [f"/protokoll/{aheim.scribe_token}"])
    joined = await post_form(client, f"/w/{aheim.join_code}/beitreten", {"group": ""})
    assert joined.status_code == 200
    pages += await crawl(client, [f"/w/{aheim.join_code}", f"/w/{aheim.join_code}/runde"])
    client.cookies.clear()

    await seed_demo(database, registry.latest())
    async with AsyncTestClient(app=create_app(replace(settings, demo=True))) as demo:
        pages += await crawl(demo, ["/", "/demo"])
    return pages
