"""Gathering the report: from the database or from an export file, to the same `ReportData`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

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
    return report_from_export(registry, await export_assessment(session, assessment))
