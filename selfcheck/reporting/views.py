"""The comparison report on the web: a printable page with downloads for moderators, the
same page for invited staff once the moderator released it, and the JSON API.

Charts, the DOCX and the spreadsheets are made in a worker thread (matplotlib and
python-docx are CPU-bound). Rendered charts are cached by the content of the report, so
the images of a page are not drawn again while nothing changed.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from typing import Annotated, Any, Final
from urllib.parse import quote

import anyio.to_thread
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for
from selfcheck.assessments.staff_views import provide_invitation
from selfcheck.db.models import Assessment, StaffInvitation, User
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting import bundle, round_choice
from selfcheck.reporting.charts import (
    MEDIA_TYPES,
    Chart,
    Format,
    find_chart,
    render,
    report_charts,
)
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import SPLIT, STRONG, ReportData
from selfcheck.reporting.export_format import AssessmentExport
from selfcheck.reporting.service import build_report_data, report_from_export, with_development
from selfcheck.settings import Settings
from selfcheck.web.forms import FormData, checkbox, flash, optional_int, pop_flash, text

NOT_RELEASED: Final = (
    "Der Vergleichsbericht ist noch nicht freigegeben. Die Moderation gibt ihn nach dem "
    "Workshop frei; danach finden Sie ihn hier."
)
# SVG files carry inline styles; served as images they need them, and nothing else.
SVG_POLICY: Final = "default-src 'none'; style-src 'unsafe-inline'"


# --- Chart cache -----------------------------------------------------------------------


class ChartCache:
    """A small LRU of rendered charts keyed by report content, chart and format."""

    def __init__(self, size: int = 64) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            data = self._items.get(key)
            if data is not None:
                self._items.move_to_end(key)
            return data

    def put(self, key: tuple[str, str, str], data: bytes) -> None:
        with self._lock:
            self._items[key] = data
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


CHARTS = ChartCache()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def content_key(report: ReportData) -> str:
    """Changes with the data, not with the time the report was read."""
    stable = msgspec.structs.replace(report, generated_at=_EPOCH)
    return hashlib.sha256(msgspec.msgpack.encode(stable)).hexdigest()


async def rendered_chart(report: ReportData, name: str, fmt: str) -> tuple[bytes, str]:
    chart = find_chart(report, name)
    if chart is None or fmt not in MEDIA_TYPES:
        raise NotFound("Dieses Diagramm gibt es in diesem Bericht nicht.")
    key = (content_key(report), name, fmt)
    data = CHARTS.get(key)
    if data is None:
        data = await anyio.to_thread.run_sync(render, chart, _format(fmt))
        CHARTS.put(key, data)
    return data, MEDIA_TYPES[fmt]


def _format(fmt: str) -> Format:
    return "svg" if fmt == "svg" else "png"


def chart_response(data: bytes, media_type: str) -> Response[bytes]:
    headers = {"Cache-Control": "private, max-age=86400"}
    if media_type == MEDIA_TYPES["svg"]:
        headers["Content-Security-Policy"] = SVG_POLICY
    return Response(data, media_type=media_type, headers=headers)


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


@dataclass(frozen=True)
class _Loaded:
    assessment: Assessment
    export: AssessmentExport
    report: ReportData


async def _load(
    db_session: AsyncSession, registry: QuestionnaireRegistry, assessment: Assessment
) -> _Loaded:
    export = await export_assessment(db_session, assessment)
    report = report_from_export(registry, export)
    return _Loaded(
        assessment, export, await with_development(db_session, registry, assessment, report)
    )


def _page_context(report: ReportData, charts: list[Chart], chart_url: str) -> dict[str, Any]:
    return {
        "report": report,
        "charts": charts,
        "chart_url": chart_url,
        # Part of the image addresses: new data, new address, so browsers may cache images.
        "chart_version": content_key(report)[:16],
        "strong": [f for f in report.fields if f.divergence == STRONG],
        "split": [f for f in report.fields if f.divergence == SPLIT],
    }


# --- Moderators ------------------------------------------------------------------------


class ReportController(Controller):
    path = "/moderation/selbstchecks/{assessment_id:int}/bericht"

    @get("/", name="report_page")
    async def page(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> Template:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        report = await build_report_data(db_session, registry, assessment)
        base = f"/moderation/selbstchecks/{assessment.id}/bericht"
        return Template(
            "reporting/moderator_report.html",
            context={
                **_page_context(report, report_charts(report), f"{base}/diagramm"),
                "assessment": assessment,
                "base": base,
                "show_tools": True,
                "user": current_user,
                "flash": pop_flash(request),
                "round_options": await round_choice.round_options(db_session, assessment),
                "chosen_rounds": await round_choice.chosen_rounds(db_session, assessment),
            },
        )

    @post("/runde", name="report_round_choice")
    async def choose_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
        data: FormData,
    ) -> Redirect:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
        field_id = text(data, "field_id")
        round_id = optional_int(data, "round_id", "Runde")
        await round_choice.choose_round(db_session, assessment, questionnaire, field_id, round_id)
        flash(
            request,
            "Die ausgewählte Runde zählt jetzt für dieses Handlungsfeld."
            if round_id is not None
            else "Für dieses Handlungsfeld zählt wieder die zuletzt geschlossene Runde.",
        )
        base = f"/moderation/selbstchecks/{assessment.id}/bericht"
        return Redirect(path=f"{base}#feld-{field_id}")

    @get("/diagramm", name="report_chart")
    async def chart(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
        name: str = "radar",
        fmt: Annotated[str, Parameter(query="format")] = "svg",
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        report = await build_report_data(db_session, registry, assessment)
        return chart_response(*await rendered_chart(report, name, fmt))

    @get("/vergleichsbericht.docx", name="report_docx")
    async def docx(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        settings: Settings,
        current_user: User,
        assessment_id: int,
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        report = await build_report_data(db_session, registry, assessment)
        template = bundle.template_path(settings)
        data = await anyio.to_thread.run_sync(bundle.docx_bytes, report, template)
        return download(data, f"{file_stem(report)}.docx", bundle.DOCX_MEDIA_TYPE)

    @get("/diagramme.zip", name="report_charts_zip")
    async def charts_zip(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        report = await build_report_data(db_session, registry, assessment)
        data = await anyio.to_thread.run_sync(bundle.charts_zip, report)
        return download(data, f"{file_stem(report)}-diagramme.zip", "application/zip")

    @get("/daten.xlsx", name="report_xlsx")
    async def xlsx(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        loaded = await _load(db_session, registry, assessment)
        data = await anyio.to_thread.run_sync(
            bundle.xlsx_file, registry, loaded.export, loaded.report
        )
        return download(data, f"{file_stem(loaded.report)}-daten.xlsx", bundle.XLSX_MEDIA_TYPE)

    @get("/daten-csv.zip", name="report_csv")
    async def csv(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        loaded = await _load(db_session, registry, assessment)
        data = await anyio.to_thread.run_sync(
            bundle.csv_file, registry, loaded.export, loaded.report
        )
        return download(data, f"{file_stem(loaded.report)}-csv.zip", "application/zip")

    @get("/export.json", name="report_export")
    async def export(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> Response[bytes]:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        loaded = await _load(db_session, registry, assessment)
        return download(
            bundle.json_file(loaded.export),
            f"{file_stem(loaded.report)}-export.json",
            "application/json",
        )

    @post("/freigabe", name="report_release")
    async def release(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        assessment_id: int,
        data: FormData,
    ) -> Redirect:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        assessment.report_released = checkbox(data, "released")
        flash(
            request,
            "Der Bericht ist für die eingeladenen Mitarbeitenden freigegeben."
            if assessment.report_released
            else "Die Freigabe ist zurückgenommen; Mitarbeitende sehen den Bericht nicht mehr.",
        )
        return Redirect(path=f"/moderation/selbstchecks/{assessment.id}/bericht")


class ComparisonApi(Controller):
    path = "/api/assessments"
    tags = ["Selbstchecks"]

    @get(
        "/{assessment_id:int}/comparison",
        summary="Vergleich Verwaltung und Workshop je Handlungsfeld (Moderation)",
    )
    async def comparison(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        current_user: User,
        assessment_id: int,
    ) -> ReportData:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        return await build_report_data(db_session, registry, assessment)


# --- Invited staff ---------------------------------------------------------------------


async def _released_assessment(db_session: AsyncSession, invitation: StaffInvitation) -> Assessment:
    await db_session.refresh(invitation, ["assessment"])
    assessment = invitation.assessment
    if not assessment.report_released:
        raise NotFound(NOT_RELEASED)
    return assessment


class StaffReportController(Controller):
    path = "/s/{token:str}/bericht"
    dependencies = {"invitation": Provide(provide_invitation)}

    @get("/", name="staff_report")
    async def page(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        token: str,
    ) -> Template:
        assessment = await _released_assessment(db_session, invitation)
        report = await build_report_data(db_session, registry, assessment)
        return Template(
            "reporting/staff_report.html",
            context={
                **_page_context(report, report_charts(report), f"/s/{token}/bericht/diagramm"),
                "base": f"/s/{token}",
            },
        )

    @get("/diagramm", name="staff_report_chart")
    async def chart(
        self,
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        invitation: StaffInvitation,
        name: str = "radar",
        fmt: Annotated[str, Parameter(query="format")] = "svg",
    ) -> Response[bytes]:
        assessment = await _released_assessment(db_session, invitation)
        report = await build_report_data(db_session, registry, assessment)
        return chart_response(*await rendered_chart(report, name, fmt))
