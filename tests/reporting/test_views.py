"""The report page, its downloads, the release to staff and the JSON API."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx import Document
from openpyxl import load_workbook

from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment
from selfcheck.reporting.chart_cache import content_key
from selfcheck.reporting.comparison import compare
from selfcheck.reporting.importing import decode_export
from tests.conftest import PASSWORD, World
from tests.helpers import Client, log_in, post_form
from tests.reporting.builders import answers_for, make_export
from tests.reporting.conftest import Diverging
from tests.workshop.factories import QUESTIONNAIRE


def _base(diverging: Diverging) -> str:
    return f"/moderation/selbstchecks/{diverging.assessment.id}/bericht"


async def _invite(database: Database, assessment_id: int) -> str:
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        _, token = await invite(session, assessment, "Anna Amt", "Sozialamt")
    return f"/s/{token}"


async def test_the_moderator_sees_summary_charts_fields_and_measures_on_the_report_page(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await client.get(_base(diverging))
    assert response.status_code == 200
    page = response.text
    assert "Vergleichsbericht: Verwaltung und Workshop" in page
    assert page.count("deutliche Abweichung") >= 2 + 2  # summary table and field headings
    assert page.count("Baustein für das Integrationskonzept: Maßnahmen") == 7
    assert "Indikatoren für alle Ziele festlegen" in page
    assert f'src="{_base(diverging)}/diagramm?name=radar&amp;format=svg&amp;v=' in page
    assert 'aria-describedby="beschreibung-radar"' in page
    assert '<link rel="stylesheet" href="/static/report.css">' in page
    assert f'href="{_base(diverging)}/vergleichsbericht.docx"' in page
    assert "Anhang: Fragen und Antworten der Verwaltung" in page


async def test_the_assessment_page_links_to_the_report(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{diverging.assessment.id}")
    assert f'href="{_base(diverging)}"' in page.text


async def test_the_report_downloads_are_a_docx_charts_spreadsheets_and_the_export(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    base = _base(diverging)

    docx = await client.get(f"{base}/vergleichsbericht.docx")
    assert docx.status_code == 200
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="selbstcheck-aheim-' in docx.headers["content-disposition"]
    assert len(Document(io.BytesIO(docx.content)).inline_shapes) == 3

    xlsx = await client.get(f"{base}/daten.xlsx")
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames[0] == "Vergleich"

    csv = zipfile.ZipFile(io.BytesIO((await client.get(f"{base}/daten-csv.zip")).content))
    assert "stimmen.csv" in csv.namelist()

    charts = zipfile.ZipFile(io.BytesIO((await client.get(f"{base}/diagramme.zip")).content))
    assert sorted(charts.namelist()) == sorted(
        f"{name}.{ext}" for name in ("radar", "verteilung", "fragen-MS")
        for ext in ("png", "svg", "txt")
    )  # fmt: skip

    export = await client.get(f"{base}/export.json")
    assert decode_export(export.content).municipality.name == "Aheim"


async def test_charts_are_served_as_svg_or_png_and_unknown_names_are_not_found(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    base = _base(diverging)
    svg = await client.get(f"{base}/diagramm", params={"name": "verteilung", "format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert b"Einstufung der Verwaltung" in svg.content
    png = await client.get(f"{base}/diagramm", params={"name": "fragen-MS", "format": "png"})
    assert png.content.startswith(b"\x89PNG")
    missing = await client.get(f"{base}/diagramm", params={"name": "fragen-KK"})
    assert missing.status_code == 404
    assert "Dieses Diagramm gibt es in diesem Bericht nicht." in missing.text


async def test_another_municipalitys_moderator_sees_neither_page_nor_data(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "bob@bstadt.example", PASSWORD)
    assert (await client.get(_base(diverging))).status_code == 404
    assert (await client.get(f"{_base(diverging)}/export.json")).status_code == 404
    api = await client.get(f"/api/assessments/{diverging.assessment.id}/comparison")
    assert api.status_code == 404


async def test_staff_see_the_report_under_their_link_only_while_it_is_released(
    client: Client, database: Database, diverging: Diverging
) -> None:
    link = await _invite(database, diverging.assessment.id)
    before = await client.get(f"{link}/bericht")
    assert before.status_code == 404
    assert "Der Vergleichsbericht ist noch nicht freigegeben." in before.text

    await log_in(client, "alice@aheim.example", PASSWORD)
    released = await post_form(client, f"{_base(diverging)}/freigabe", {"released": "1"})
    assert released.status_code == 200  # followed the redirect back to the report
    assert "für die eingeladenen Mitarbeitenden freigegeben" in released.text

    page = await client.get(f"{link}/bericht")
    assert page.status_code == 200
    assert "Interkulturelle Öffnung und Antirassismus" in page.text
    assert "vergleichsbericht.docx" not in page.text  # downloads stay with the moderation
    chart = await client.get(f"{link}/bericht/diagramm", params={"name": "radar"})
    assert chart.headers["content-type"].startswith("image/svg+xml")

    await post_form(client, f"{_base(diverging)}/freigabe", {})
    assert (await client.get(f"{link}/bericht")).status_code == 404
    assert (await client.get(f"{link}/bericht/diagramm")).status_code == 404


async def test_the_api_gives_the_comparison_per_field_as_json(
    client: Client, diverging: Diverging
) -> None:
    await log_in(client, "alice@aheim.example", PASSWORD)
    response = await client.get(f"/api/assessments/{diverging.assessment.id}/comparison")
    assert response.status_code == 200
    body = response.json()
    fields = {f["field_id"]: f for f in body["fields"]}
    assert fields["MS"]["divergence"] == "strong"
    assert fields["MS"]["workshop"]["overall"]["median"] == 3
    assert fields["MS"]["admin"]["category"] == 1
    assert [c["count"] for c in fields["IO"]["workshop"]["overall"]["counts"]] == [2, 1, 9, 1]
    assert body["divergence_strong"] == 2


async def test_the_report_of_an_assessment_without_workshop_explains_the_gap(
    client: Client, world: World
) -> None:
    await log_in(client, "bob@bstadt.example", PASSWORD)
    page = await client.get(f"/moderation/selbstchecks/{world.bstadt_assessment.id}/bericht")
    assert page.status_code == 200
    message = (
        "Im Workshop wurde dieses Handlungsfeld nicht in einer abgeschlossenen Runde bewertet."
    )
    assert page.text.count(message) == 7


async def test_the_print_stylesheet_lays_the_report_out_on_a4_pages(client: Client) -> None:
    css = (await client.get("/static/report.css")).text
    assert "@page { size: A4;" in css
    assert ".field-report { break-before: page;" in css


def test_chart_addresses_change_with_the_data_but_not_with_the_time_of_reading() -> None:
    def report(value: str, hour: int) -> str:
        export = make_export(QUESTIONNAIRE, answers_for(QUESTIONNAIRE, {"MS": value}))
        return content_key(compare(QUESTIONNAIRE, export, datetime(2026, 1, 1, hour, tzinfo=UTC)))

    assert report("ja", 9) == report("ja", 17)
    assert report("ja", 9) != report("nein", 9)
