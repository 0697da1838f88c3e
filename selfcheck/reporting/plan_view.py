"""The action plan as the report shows it (page, DOCX, XLSX, CSV): made from the export,
so a report built from a file on another machine shows the same plan."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from selfcheck.actionplan.rules import is_overdue, month_label
from selfcheck.formatting import local_time
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.export_format import AssessmentExport, MeasureData
from selfcheck.vocabulary import MeasurePriority, MeasureStatus

BLOCK_TITLE = "Baustein Maßnahmenplan"


class PlanMeasureView(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    description: str
    questions: str  # "MS-01, MS-03" or ""
    responsible: str
    deadline: str  # "März 2027" or ""
    priority: str
    status: str
    overdue: bool
    last_note: str  # the newest reason or note in the status history


class PlanFieldView(msgspec.Struct, frozen=True, kw_only=True):
    field_id: str
    title: str
    measures: list[PlanMeasureView]


def _deadline(measure: MeasureData) -> date | None:
    return date.fromisoformat(f"{measure.deadline}-01") if measure.deadline else None


def measure_view(measure: MeasureData, today: date) -> PlanMeasureView:
    deadline = _deadline(measure)
    reasons = [change.reason for change in measure.history if change.reason]
    return PlanMeasureView(
        title=measure.title,
        description=measure.description,
        questions=", ".join(measure.question_ids),
        responsible=measure.responsible,
        deadline=month_label(deadline),
        priority=MeasurePriority(measure.priority).label,
        status=MeasureStatus(measure.status).label,
        overdue=is_overdue(deadline, measure.status, today),
        last_note=reasons[-1] if reasons else "",
    )


def plan_view(
    questionnaire: Questionnaire, export: AssessmentExport, generated_at: datetime
) -> list[PlanFieldView]:
    """The plan per field in questionnaire order; overdue as of the report's moment."""
    moment = local_time(generated_at)
    assert moment is not None
    today = moment.date()
    return [
        PlanFieldView(
            field_id=field.id,
            title=field.title,
            measures=[measure_view(m, today) for m in export.measures if m.field_id == field.id],
        )
        for field in questionnaire.fields
        if any(m.field_id == field.id for m in export.measures)
    ]
