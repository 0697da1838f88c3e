"""The comparison report on the web: a printable page with downloads for moderators, the
same page for invited staff once the moderator released it, and the JSON API.

The DOCX and the spreadsheets are made in a worker thread (python-docx and openpyxl are
CPU-bound); charts come from `reporting.chart_cache` through the `chart` provider.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import quote

import anyio.to_thread
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.dependencies import provide_assessment, provide_invitation
from selfcheck.db.models import Assessment, User
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting import bundle, round_choice
from selfcheck.reporting.chart_cache import ChartFile, content_key
from selfcheck.reporting.charts import (
    MEDIA_TYPES,
    Chart,
    report_charts,
)
from selfcheck.reporting.comparison import SPLIT, STRONG, ReportData
from selfcheck.reporting.dependencies import (
    REPORT,
    REPORT_SETTINGS,
    ReportSettings,
    provide_released_assessment,
)
from selfcheck.reporting.export_format import AssessmentExport
from selfcheck.reporting.peer_section import PeerSection
from selfcheck.settings import Settings
from selfcheck.web.forms import FormData, checkbox, optional_int, text

# SVG files carry inline styles; served as images they need them, and nothing else.
SVG_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'"


def chart_response(chart: ChartFile) -> Response[bytes]:
    headers = {"Cache-Control": "private, max-age=86400"}
    if chart.media_type == MEDIA_TYPES["svg"]:
        headers["Content-Security-Policy"] = SVG_POLICY
    return Response(chart.data, media_type=chart.media_type, headers=headers)


# --- Downloads -------------------------------------------------------------------------


def download(data: bytes, filename: str, media_type: str) -> Response[bytes]:
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def file_stem(report: ReportData) -> str:
    """ "selbstcheck-musterstadt-demo-2026-11-22" """
    name = unicodedata.normalize("NFKD", report.municipality.lower())
    name = name.replace("ß", "ss")
    slug = re.sub(r"[^a-z0-9]+", "-", name.encode("ascii", "ignore").decode()).strip("-")
    return f"selbstcheck-{slug or 'kommune'}-{report.generated_at:%Y-%m-%d}"


def _page_context(report: ReportData, charts: list[Chart]) -> dict[str, Any]:
    return {
        "report": report,
        "charts": charts,
        # Part of the image addresses: new data, new address, so browsers may cache images.
        "chart_version": content_key(report)[:16],
        "strong": [f for f in report.fields if f.divergence == STRONG],
        "split": [f for f in report.fields if f.divergence == SPLIT],
    }


TableFile = Callable[[QuestionnaireRegistry, AssessmentExport, ReportData], bytes]


def _table_download(
    path: str, name: str, make: TableFile, suffix: str, media_type: str
) -> HTTPRouteHandler:
    """A download of the report's data as tables (XLSX, CSV zip), made in a worker thread."""

    async def send(
        self: Controller,
        registry: NamedDependency[QuestionnaireRegistry],
        export: NamedDependency[AssessmentExport],
        report: NamedDependency[ReportData],
    ) -> Response[bytes]:
        data = await anyio.to_thread.run_sync(make, registry, export, report)
        return download(data, f"{file_stem(report)}{suffix}", media_type)

    return get(path, name=name)(send)


# --- Moderators ------------------------------------------------------------------------


class ReportController(Controller):
    """On the moderation router, which provides the checked assessment."""

    path = "/selbstchecks/{assessment_id:int}/bericht"
    dependencies = {**REPORT, **REPORT_SETTINGS}

    @get("/", name="report_page")
    async def page(
        self,
        db_session: NamedDependency[AsyncSession],
        current_user: NamedDependency[User],
        assessment: NamedDependency[Assessment],
        report: NamedDependency[ReportData],
        peers: NamedDependency[PeerSection],
    ) -> Template:
        return Template(
            "reporting/moderator_report.html",
            context={
                **_page_context(report, report_charts(report)),
                "assessment": assessment,
                "show_tools": True,
                "user": current_user,
                "round_options": await round_choice.round_options(db_session, assessment),
                "chosen_rounds": await round_choice.chosen_rounds(db_session, assessment),
                "peers": peers,
            },
        )

    @post("/runde", name="report_round_choice")
    async def choose_round(
        self,
        db_session: NamedDependency[AsyncSession],
        questionnaire: NamedDependency[Questionnaire],
        report_settings: NamedDependency[ReportSettings],
        data: FormData,
    ) -> Redirect:
        field_id = text(data, "field_id")
        round_id = optional_int(data, "round_id", "Runde")
        await round_choice.choose_round(
            db_session, report_settings.assessment, questionnaire, field_id, round_id
        )
        return report_settings.back(
            "Die ausgewählte Runde zählt jetzt für dieses Handlungsfeld."
            if round_id is not None
            else "Für dieses Handlungsfeld zählt wieder die zuletzt geschlossene Runde.",
            f"feld-{field_id}",
        )

    @get("/diagramm", name="report_chart")
    async def chart(self, chart: NamedDependency[ChartFile]) -> Response[bytes]:
        return chart_response(chart)

    @get("/vergleichsbericht.docx", name="report_docx")
    async def docx(
        self,
        settings: NamedDependency[Settings],
        report: NamedDependency[ReportData],
        peers: NamedDependency[PeerSection],
    ) -> Response[bytes]:
        template = bundle.template_path(settings)
        data = await anyio.to_thread.run_sync(bundle.docx_bytes, report, template, peers)
        return download(data, f"{file_stem(report)}.docx", bundle.DOCX_MEDIA_TYPE)

    @get("/diagramme.zip", name="report_charts_zip")
    async def charts_zip(self, report: NamedDependency[ReportData]) -> Response[bytes]:
        data = await anyio.to_thread.run_sync(bundle.charts_zip, report)
        return download(data, f"{file_stem(report)}-diagramme.zip", "application/zip")

    xlsx = _table_download(
        "/daten.xlsx", "report_xlsx", bundle.xlsx_file, "-daten.xlsx", bundle.XLSX_MEDIA_TYPE
    )
    csv = _table_download(
        "/daten-csv.zip", "report_csv", bundle.csv_file, "-csv.zip", "application/zip"
    )

    @get("/export.json", name="report_export")
    async def export(
        self, export: NamedDependency[AssessmentExport], report: NamedDependency[ReportData]
    ) -> Response[bytes]:
        data = bundle.json_file(export)
        return download(data, f"{file_stem(report)}-export.json", "application/json")

    @post("/freigabe", name="report_release")
    async def release(
        self, report_settings: NamedDependency[ReportSettings], data: FormData
    ) -> Redirect:
        assessment = report_settings.assessment
        assessment.report_released = checkbox(data, "released")
        return report_settings.back(
            "Der Bericht ist für die eingeladenen Mitarbeitenden freigegeben."
            if assessment.report_released
            else "Die Freigabe ist zurückgenommen; Mitarbeitende sehen den Bericht nicht mehr."
        )


class ComparisonApi(Controller):
    path = "/api/assessments"
    tags = ["Selbstchecks"]
    dependencies = {"assessment": Provide(provide_assessment), **REPORT}

    @get(
        "/{assessment_id:int}/comparison",
        summary="Vergleich Verwaltung und Workshop je Handlungsfeld (Moderation)",
    )
    async def comparison(self, report: NamedDependency[ReportData]) -> ReportData:
        return report


# --- Invited staff ---------------------------------------------------------------------


class StaffReportController(Controller):
    path = "/s/{token:str}/bericht"
    dependencies = {
        "invitation": Provide(provide_invitation),
        "assessment": Provide(provide_released_assessment, sync_to_thread=False),
        **REPORT,
    }

    @get("/", name="staff_report")
    async def page(self, report: NamedDependency[ReportData], token: FromPath[str]) -> Template:
        return Template(
            "reporting/staff_report.html",
            context={**_page_context(report, report_charts(report)), "token": token},
        )

    @get("/diagramm", name="staff_report_chart")
    async def chart(self, chart: NamedDependency[ChartFile]) -> Response[bytes]:
        return chart_response(chart)
