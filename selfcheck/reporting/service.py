"""Gathering the report: from the database or from an export file, to the same `ReportData`."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import ReportData, compare
from selfcheck.reporting.export_format import AssessmentExport


def report_from_export(registry: QuestionnaireRegistry, export: AssessmentExport) -> ReportData:
    """The report as of the moment the export was made."""
    questionnaire = registry.for_assessment(export)
    return compare(questionnaire, export, generated_at=export.exported_at)


async def build_report_data(
    session: AsyncSession, registry: QuestionnaireRegistry, assessment: Assessment
) -> ReportData:
    """The report of an assessment and all its workshops, as of now."""
    return report_from_export(registry, await export_assessment(session, assessment))
