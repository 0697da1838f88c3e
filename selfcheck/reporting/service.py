"""Gathering the report: from the database or from an export file, to the same `ReportData`."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.development import development_of
from selfcheck.db.models import Assessment
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import ReportData, compare
from selfcheck.reporting.export_format import AssessmentExport, QuestionnaireRef


def questionnaire_of(registry: QuestionnaireRegistry, ref: QuestionnaireRef) -> Questionnaire:
    try:
        return registry.get(ref.id, ref.version)
    except KeyError:
        raise InvalidInput(
            f"Der Fragebogen „{ref.id}“ in Version „{ref.version}“ ist auf diesem System nicht "
            "installiert. Legen Sie die passende Fragebogen-Datei in den Fragebogen-Ordner "
            "und starten Sie Selbstcheck neu."
        ) from None


def report_from_export(registry: QuestionnaireRegistry, export: AssessmentExport) -> ReportData:
    """The report as of the moment the export was made."""
    questionnaire = questionnaire_of(registry, export.questionnaire)
    return compare(questionnaire, export, generated_at=export.exported_at)


async def build_report_data(
    session: AsyncSession, registry: QuestionnaireRegistry, assessment: Assessment
) -> ReportData:
    """The report of an assessment and all its workshops, as of now."""
    report = report_from_export(registry, await export_assessment(session, assessment))
    return await with_development(session, registry, assessment, report)


async def with_development(
    session: AsyncSession,
    registry: QuestionnaireRegistry,
    assessment: Assessment,
    report: ReportData,
) -> ReportData:
    """The report with the development against the municipality's earlier Selbstchecks."""
    development = await development_of(session, registry, assessment)
    if development is None:
        return report
    # ACTION PLAN (coordinator): measures marked "umgesetzt" since the previous Selbstcheck,
    # per field id, e.g. with `measures_implemented_since(session, assessment, since)` and
    # `since = development.previous.date` (when `development.previous` is not None):
    # development = msgspec.structs.replace(development, implemented_measures=...)
    return msgspec.structs.replace(report, development=development)
