"""Providers of the report views: the export and the report of the assessment a handler
acts on. The assessment itself comes from `selfcheck.assessments.dependencies` (checked
for the moderator) or from `provide_released_assessment` (invited staff). `ReportSettings`
serves the moderator's forms that change what the report shows (also the peers switch)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Final

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, QueryParameter
from litestar.response import Redirect
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, StaffInvitation
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.chart_cache import ChartFile, rendered_chart
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import ReportData
from selfcheck.reporting.export_format import AssessmentExport
from selfcheck.reporting.service import report_from_export, with_development
from selfcheck.web.forms import flash

NOT_RELEASED: Final = (
    "Der Vergleichsbericht ist noch nicht freigegeben. Die Moderation gibt ihn nach dem "
    "Workshop frei; danach finden Sie ihn hier."
)


def provide_released_assessment(invitation: NamedDependency[StaffInvitation]) -> Assessment:
    """Staff see the report only once the moderator released it."""
    if not invitation.assessment.report_released:
        raise NotFound(NOT_RELEASED)
    return invitation.assessment


async def provide_export(
    db_session: NamedDependency[AsyncSession], assessment: NamedDependency[Assessment]
) -> AssessmentExport:
    """Everything the assessment holds, as of now."""
    return await export_assessment(db_session, assessment)


async def provide_report(
    db_session: NamedDependency[AsyncSession],
    registry: NamedDependency[QuestionnaireRegistry],
    assessment: NamedDependency[Assessment],
    export: NamedDependency[AssessmentExport],
) -> ReportData:
    report = report_from_export(registry, export)
    return await with_development(db_session, registry, assessment, report)


async def provide_chart(
    report: NamedDependency[ReportData],
    name: FromQuery[str] = "radar",
    fmt: Annotated[str, QueryParameter(name="format")] = "svg",
) -> ChartFile:
    """The chart `?name=radar&format=svg` of the report, drawn or from the cache."""
    return await rendered_chart(report, name, fmt)


@dataclass(frozen=True)
class ReportSettings:
    """A moderator's checked assessment with what a setting of its report needs (release,
    the round that counts per field, the comparison with other municipalities): each
    change leads back to the report page."""

    request: Request[Any, Any, Any]
    assessment: NamedDependency[Assessment]

    def back(self, message: str, anchor: str = "") -> Redirect:
        """To the report page (at `anchor`), which shows `message` once."""
        flash(self.request, message)
        page = self.request.app.route_reverse("report_page", assessment_id=self.assessment.id)
        return Redirect(path=f"{page}#{anchor}" if anchor else page)


REPORT = {
    "chart": Provide(provide_chart),
    "export": Provide(provide_export),
    "report": Provide(provide_report),
}
# For the moderator's forms that change what the report shows.
REPORT_SETTINGS: Final = {"report_settings": Provide(ReportSettings, sync_to_thread=False)}
