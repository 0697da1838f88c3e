"""Demo data: a fictitious municipality with a filled-in questionnaire, so that a newcomer
sees a working system at once (`selfcheck serve --demo`, `selfcheck demo`)."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, AnswerChange, Assessment, Municipality
from selfcheck.questionnaire.schema import Questionnaire

DEMO_MUNICIPALITY = "Musterstadt (Demo)"
DEMO_EDITOR = "Demo: Integrationsbüro Musterstadt"

# Probability of "ja" / "teilweise" per field, so that the demo shows several categories.
_FIELD_PROFILES = [
    (0.8, 0.15),
    (0.5, 0.3),
    (0.45, 0.3),
    (0.2, 0.4),
    (0.75, 0.2),
    (0.25, 0.35),
    (0.05, 0.3),
]


async def find_demo(database: Database) -> dict[str, Any] | None:
    async with database.reading() as session:
        assessment = await _demo_assessment(session)
        if assessment is None:
            return None
        return {"assessment_id": assessment.id, "municipality": DEMO_MUNICIPALITY}


async def seed_demo(database: Database, questionnaire: Questionnaire) -> int:
    """Create the demo municipality once; return its assessment id."""
    async with database.writing() as session:
        existing = await _demo_assessment(session)
        if existing is not None:
            return existing.id
        municipality = Municipality(name=DEMO_MUNICIPALITY, official_key=None, population=48_500)
        assessment = Assessment(
            municipality=municipality,
            title="Selbstcheck 2026",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
        )
        session.add(assessment)
        await session.flush()
        for question_id, value in demo_answers(questionnaire).items():
            answer = Answer(
                assessment_id=assessment.id,
                question_id=question_id,
                value=value,
                comment="",
                updated_by=DEMO_EDITOR,
            )
            session.add(answer)
            await session.flush()
            session.add(
                AnswerChange(answer_id=answer.id, version=1, value=value, changed_by=DEMO_EDITOR)
            )
        return assessment.id


def demo_answers(questionnaire: Questionnaire) -> dict[str, str]:
    """Deterministic answers: the same demo on every machine."""
    rng = random.Random(2026)
    values = [
        option.value for option in sorted(questionnaire.scale.options, key=lambda o: -o.points)
    ]
    best, middle, worst = values[0], values[len(values) // 2], values[-1]
    answers: dict[str, str] = {}
    for index, field in enumerate(questionnaire.fields):
        yes, partly = _FIELD_PROFILES[index % len(_FIELD_PROFILES)]
        for question in field.questions:
            draw = rng.random()
            if draw < 0.06:
                continue  # left open
            if draw < 0.1:
                answers[question.id] = questionnaire.scale.dont_know.value
                continue
            draw = rng.random()
            answers[question.id] = best if draw < yes else middle if draw < yes + partly else worst
    return answers


async def _demo_assessment(session: AsyncSession) -> Assessment | None:
    result = await session.execute(
        select(Assessment)
        .join(Municipality)
        .where(Municipality.name == DEMO_MUNICIPALITY)
        .order_by(Assessment.id)
        .limit(1)
    )
    return result.scalar_one_or_none()
