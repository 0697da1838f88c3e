"""The accessibility statement, privacy notice and Impressum: rendered from the operator's
Markdown folder, safely, with a notice for moderators while the shipped templates show."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from selfcheck.app import create_app
from selfcheck.db.engine import Database
from selfcheck.legal.texts import LegalPage, LegalTextsMissing, render_markdown
from selfcheck.settings import Settings
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in

NOTICE = "zeigen noch die mitgelieferten Vorlagen"


@pytest.fixture
def operator_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "recht"
    folder.mkdir()
    for page in LegalPage:
        (folder / page.filename).write_text(
            f"# {page.label} der Stadt Aheim\n\nKontakt: recht@aheim.example\n", encoding="utf-8"
        )
    return folder


@pytest.fixture
async def operator_client(
    settings: Settings, database: Database, operator_folder: Path
) -> AsyncIterator[Client]:
    app = create_app(replace(settings, legal_dir=operator_folder))
    async with AsyncTestClient(app=app) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/impressum", "Impressum"),
    ],
)
async def test_each_legal_page_renders_the_shipped_template(
    client: Client, path: str, heading: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.text
    assert "SELFCHECK-VORLAGE" not in response.text  # the marker line is not shown


async def test_the_accessibility_statement_names_limits_feedback_and_arbitration(
    client: Client,
) -> None:
    page = (await client.get("/barrierefreiheit")).text
    for expected in [
        "teilweise barrierefrei",
        "Diagramme im Vergleichsbericht",
        "Live-Anzeigen",
        "nicht vollständig auf",
        "Barrieren melden",
        "Schlichtungsstelle nach § 16 BGG",
    ]:
        assert expected in page


async def test_the_privacy_notice_states_the_configured_retention_periods(
    settings: Settings, database: Database
) -> None:
    app = create_app(replace(settings, retain_workshop_days=45, retain_invitation_days=120))
    async with AsyncTestClient(app=app) as client:
        page = (await client.get("/datenschutz")).text
    assert "45 Tage" in page and "120 Tage" in page
    assert "{aufbewahrung" not in page


async def test_moderators_see_a_notice_while_the_shipped_templates_are_in_use(
    client: Client, world: World
) -> None:
    assert NOTICE not in (await client.get("/")).text
    assert NOTICE not in (await client.get("/datenschutz")).text
    await log_in(client, world.alice.email, PASSWORD)
    dashboard = await client.get("/moderation")
    assert NOTICE in dashboard.text
    assert "SELFCHECK_LEGAL_DIR" in dashboard.text


async def test_the_notice_disappears_with_the_operators_own_texts(
    operator_client: Client, world: World
) -> None:
    await log_in(operator_client, world.admin.email, PASSWORD)
    assert NOTICE not in (await operator_client.get("/moderation")).text
    page = await operator_client.get("/impressum")
    assert "<h1>Impressum der Stadt Aheim</h1>" in page.text


def test_raw_html_and_script_links_in_a_legal_text_are_not_passed_through() -> None:
    html = render_markdown(
        '<script>alert(1)</script>\n\n[klick](javascript:alert(1)) <img src=x onerror="a()">'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript:' not in html


async def test_a_folder_without_the_texts_is_refused_with_a_message_naming_the_setting(
    settings: Settings, tmp_path: Path
) -> None:
    with pytest.raises(LegalTextsMissing, match=r"SELFCHECK_LEGAL_DIR.*impressum\.md"):
        create_app(replace(settings, legal_dir=tmp_path))
