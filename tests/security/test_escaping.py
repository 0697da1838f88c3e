"""Names, titles, comments and notes that contain HTML or script are shown as text.

Everything is entered through the real forms, as a (malicious or careless) user would, and
then every page is rendered by the crawl."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from html import escape, unescape

import pytest
from openpyxl import load_workbook

from selfcheck.assessments.answers import save_answer
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality, Workshop
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import notes
from tests.conftest import PASSWORD, World
from tests.helpers import Client, csrf_token, log_in, post_form
from tests.security.conftest import Towns
from tests.security.crawl import Page, crawl
from tests.security.routes import csp_problems

pytestmark = pytest.mark.usefixtures("sqlite_only")

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'><svg onload=alert(3)>"
RAW_FRAGMENTS = ("<script>alert", "<img src=x", "<svg onload")
SHOWN_AS_TEXT = escape("<script>alert(1)</script>", quote=False)


def _assert_escaped(page: Page) -> None:
    html = page.response.text
    for fragment in RAW_FRAGMENTS:
        assert fragment not in html, f"{page.url} gibt „{fragment}“ ungefiltert aus"
    assert csp_problems(html) == [], page.url


def _id_in(url: str, pattern: str) -> str:
    match = re.search(pattern, url)
    assert match, f"{pattern} nicht in {url}"
    return match.group(1)


async def test_html_in_names_titles_comments_and_notes_is_shown_as_text(
    client: Client, world: World, database: Database, registry: QuestionnaireRegistry
) -> None:
    questionnaire = registry.latest()
    await log_in(client, "admin@example.org", PASSWORD)
    created = await post_form(client, "/moderation/kommunen", {"name": PAYLOAD})
    municipality_id = _id_in(str(created.url), r"/kommunen/(\d+)$")
    created = await post_form(
        client,
        f"/moderation/kommunen/{municipality_id}/selbstchecks",
        {"questionnaire": f"{questionnaire.id}@{questionnaire.version}", "title": PAYLOAD},
    )
    assessment_id = _id_in(str(created.url), r"/selbstchecks/(\d+)$")
    invited = await post_form(
        client,
        f"/moderation/selbstchecks/{assessment_id}/einladungen",
        {"name": PAYLOAD, "department": PAYLOAD, "is_coordinator": "on"},
    )
    staff_link = _id_in(invited.text, r"(/s/[A-Za-z0-9_-]{20,})")
    created = await post_form(
        client, f"/moderation/selbstchecks/{assessment_id}/workshops", {"title": PAYLOAD}
    )
    workshop = _id_in(str(created.url), r"(/moderation/workshops/\d+)$")
    await post_form(
        client, f"{workshop}/runden", {"kind": "field", "field_id": "MS", "title": PAYLOAD}
    )
    control = await client.get(workshop)
    await post_form(client, _id_in(control.text, r'action="([^"]+/oeffnen)"'))
    await post_form(
        client,
        f"{workshop}/notizen",
        {
            "field_id": "MS",
            "kind": "measure",
            "text": PAYLOAD,
            "responsible": PAYLOAD,
            "timeframe": PAYLOAD,
        },
    )
    scribe_page = await post_form(client, f"{workshop}/protokoll-link")
    scribe_link = _id_in(scribe_page.text, r"(/protokoll/[A-Za-z0-9_-]{20,})")
    join_code = _id_in(scribe_page.text, r"/w/([A-Z0-9]{6})")
    pages = await crawl(client, ["/moderation", workshop, f"{workshop}/leinwand"])
    client.cookies.clear()

    # A staff member writes the payload into a comment: the autosave answer is HTML too.
    autosave = await client.post(
        f"{staff_link}/antworten/MS-01",
        data={"value_MS-01": "ja", "comment_MS-01": PAYLOAD, "version_MS-01": "0"},
        headers={"hx-request": "true", "x-csrftoken": await csrf_token(client)},
    )
    assert autosave.status_code == 200
    pages.append(Page("Autosave-Antwort", None, autosave))
    pages += await crawl(client, [staff_link, f"{staff_link}/fragen/MS-01/verlauf"])
    pages += await crawl(client, [scribe_link])
    await post_form(client, f"/w/{join_code}/beitreten", {"group": ""})
    pages += await crawl(client, [f"/w/{join_code}"])

    html_pages = [p for p in pages if p.is_html]
    for rendered in html_pages:
        _assert_escaped(rendered)
    showing = {
        p.route.path if p.route else p.url for p in html_pages if SHOWN_AS_TEXT in p.response.text
    }
    # The payload is visible – as text – wherever these things are named.
    assert showing >= {
        "/moderation",
        "/moderation/kommunen/{municipality_id:int}",
        "/moderation/selbstchecks/{assessment_id:int}",
        "/moderation/selbstchecks/{assessment_id:int}/ergebnis",
        "/moderation/workshops/{workshop_id:int}",
        "/moderation/workshops/{workshop_id:int}/leinwand",
        "Autosave-Antwort",
        "/s/{token:str}",
        "/s/{token:str}/felder/{field_id:str}",
        "/s/{token:str}/fragen/{question_id:str}/verlauf",
        "/protokoll/{token:str}",
        "/w/{code:str}",
    }, sorted(showing)


FORMULA = '=HYPERLINK("https://example.org/","Klick")'


async def test_html_and_formulas_arrive_as_plain_text_in_the_docx_csv_and_xlsx_downloads(
    client: Client, towns: Towns, database: Database, registry: QuestionnaireRegistry
) -> None:
    aheim = towns.aheim
    questionnaire = registry.latest()
    async with database.writing() as session:
        municipality = await session.get(Municipality, aheim.municipality_id)
        assessment = await session.get(Assessment, aheim.assessment_id)
        workshop = await session.get(Workshop, aheim.workshop_id)
        assert municipality and assessment and workshop
        municipality.name = PAYLOAD
        await save_answer(
            session, assessment, questionnaire, question_id="MS-05", value="ja",
            comment=PAYLOAD, base_version=0, editor=PAYLOAD,
        )  # fmt: skip
        await notes.add_note(session, workshop, questionnaire, "MS", "strength", PAYLOAD)
        await notes.add_note(session, workshop, questionnaire, "MS", "need", FORMULA)
    await log_in(client, "alice@aheim.example", PASSWORD)
    base = f"/moderation/selbstchecks/{aheim.assessment_id}/bericht"

    docx = await client.get(f"{base}/vergleichsbericht.docx")
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    texts = [unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", document)]
    assert "<script>" not in document  # only ever as text, never as markup
    assert any(PAYLOAD in text for text in texts), "der Name fehlt im Bericht"

    csv_zip = await client.get(f"{base}/daten-csv.zip")
    assert csv_zip.status_code == 200
    cells = []
    with zipfile.ZipFile(io.BytesIO(csv_zip.content)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            cells += [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    assert PAYLOAD in cells
    assert FORMULA not in cells and "'" + FORMULA in cells

    xlsx = await client.get(f"{base}/daten.xlsx")
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    values = [c for sheet in workbook for row in sheet.iter_rows() for c in row]
    assert PAYLOAD in [c.value for c in values]
    assert "'" + FORMULA in [c.value for c in values]
    assert [c.coordinate for c in values if c.data_type == "f"] == []
