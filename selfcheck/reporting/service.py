"""Gathering the report: from the database or from an export file, to the same `ReportData`."""

from __future__ import annotations

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan.services import measures_implemented_since
from selfcheck.assessments.development import development_of
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
    if development.previous is not None:
        implemented = await measures_implemented_since(
            session, assessment.municipality_id, development.previous.date
        )
        by_field: dict[str, list[str]] = {}
        for measure in implemented:
            by_field.setdefault(measure.field_id, []).append(measure.title)
        development = msgspec.structs.replace(development, implemented_measures=by_field)
    return msgspec.structs.replace(report, development=development)
