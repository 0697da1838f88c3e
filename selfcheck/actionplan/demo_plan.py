"""The demo municipality's action plan: a few measures in different states, so that a new
user sees the cycle at once (one overdue, one from the workshop, one from a next step, one
implemented with its history)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.results import assessment_results
from selfcheck.db.models import Assessment, Measure, Workshop, WorkshopNote
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import MeasurePriority, MeasureStatus, NoteKind

DEMO_MODERATOR = "Moderation (Demo)"


def _months_from(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


async def seed_demo_action_plan(
    session: AsyncSession, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    """Created once: nothing happens if the plan already has measures."""
    if await session.scalar(select(Measure.id).where(Measure.assessment_id == assessment.id)):
        return
    today = date.today()
    field_ids = [f.id for f in questionnaire.fields]
    note_id = await session.scalar(
        select(WorkshopNote.id)
        .join(Workshop)
        .where(Workshop.assessment_id == assessment.id, WorkshopNote.kind == NoteKind.MEASURE)
        .order_by(WorkshopNote.id)
    )
    if note_id is not None:
        adopted = await services.adopt_workshop_note(
            session, assessment, questionnaire, note_id, by=DEMO_MODERATOR
        )
        await services.change_status(
            session, adopted, MeasureStatus.IN_PROGRESS, by=DEMO_MODERATOR,
            reason="Auftrag im Verwaltungsvorstand erteilt.",
        )  # fmt: skip
    results = await assessment_results(session, questionnaire, assessment.id)
    steps = [q for o in results.outcomes for q in o.next_steps]
    if steps:
        step = await services.adopt_next_step(
            session, assessment, questionnaire, steps[0].id, by=DEMO_MODERATOR
        )
        step.responsible, step.deadline = "Hauptamt", _months_from(today, 6)
        step.priority = MeasurePriority.HIGH
    await services.create_measure(
        session, assessment, questionnaire,
        MeasureInput(
            field_id=field_ids[0], title="Ansprechstelle für Vielfalt im Rathaus benennen",
            responsible="Personalamt", deadline=_months_from(today, -3),
            priority=MeasurePriority.HIGH,
        ),
        by=DEMO_MODERATOR,
    )  # fmt: skip
    done = await services.create_measure(
        session, assessment, questionnaire,
        MeasureInput(
            field_id=field_ids[1 % len(field_ids)],
            title="Willkommensmappe in vier Sprachen auslegen",
            description="Zusammen mit dem Integrationsrat übersetzt und gestaltet.",
            responsible="Bürgerbüro", deadline=_months_from(today, -2),
        ),
        by=DEMO_MODERATOR,
    )  # fmt: skip
    await services.change_status(
        session, done, MeasureStatus.IN_PROGRESS, by="Bürgerbüro",
        reason="Texte beim Übersetzungsdienst.",
    )  # fmt: skip
    await services.change_status(
        session, done, MeasureStatus.DONE, by="Bürgerbüro",
        reason="Liegt seit dem Frühjahr im Bürgerbüro und in der Bibliothek aus.",
    )  # fmt: skip
    deferred = await services.create_measure(
        session, assessment, questionnaire,
        MeasureInput(
            field_id=field_ids[-1], title="Jährlichen Bericht zur Vielfalt im Rat vorstellen",
            responsible="Hauptamt", deadline=_months_from(today, 12),
            priority=MeasurePriority.LOW,
        ),
        by=DEMO_MODERATOR,
    )  # fmt: skip
    await services.change_status(
        session, deferred, MeasureStatus.DEFERRED, by=DEMO_MODERATOR,
        reason="Erst nach dem Beschluss des Integrationskonzepts sinnvoll.",
    )  # fmt: skip
    await services.create_measure(
        session, assessment, questionnaire,
        MeasureInput(
            field_id=field_ids[0], title="Fortbildung interkulturelle Öffnung für Führungskräfte",
            responsible="Personalamt", deadline=_months_from(today, 9),
        ),
        by=DEMO_MODERATOR,
    )  # fmt: skip
