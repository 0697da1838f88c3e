"""Demo data: a fictitious municipality with a filled-in questionnaire, so that a newcomer
sees a working system at once (`selfcheck serve --demo`, `selfcheck demo`)."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.engine import Database
from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    Municipality,
    Participant,
    Workshop,
)
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.scoring import score
from selfcheck.workshop import services

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
    """Create the demo municipality once, with its workshop; return its assessment id."""
    assessment_id = await _seed_demo_assessment(database, questionnaire)
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        await seed_demo_workshop(session, assessment, questionnaire)
    return assessment_id


async def _seed_demo_assessment(database: Database, questionnaire: Questionnaire) -> int:
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


# --- The demo workshop -----------------------------------------------------------------

DEMO_WORKSHOP = "Demo-Workshop Weltoffenes Musterstadt"
# Stakeholder groups of the 30 demo participants (None: no group given).
_DEMO_GROUPS: list[str | None] = [
    *["verwaltung"] * 6,
    *["politik"] * 6,
    *["zivilgesellschaft"] * 10,
    *["wirtschaft"] * 4,
    *["sonstige"] * 2,
    None,
    None,
]
_DEMO_NOTES = [
    ("MS", "strength", "Die Steuerungsgruppe Integration trifft sich regelmäßig.", "", ""),
    (
        "MS",
        "measure",
        "Für die Ziele des Integrationskonzepts messbare Indikatoren festlegen.",
        "Steuerungsgruppe Integration",
        "bis Ende 2026",
    ),
    ("IO", "strength", "Führungskräfte haben an interkulturellen Schulungen teilgenommen.", "", ""),
    (
        "IO",
        "need",
        "Die Beschwerdestelle bei Diskriminierung ist in der Stadtgesellschaft kaum bekannt.",
        "",
        "",
    ),
    (
        "IO",
        "measure",
        "Die Beschwerdestelle bekannt machen: Faltblatt in fünf Sprachen und ein Infoabend.",
        "Integrationsbüro",
        "bis Mitte 2027",
    ),
    (
        "EB",
        "need",
        "Migrantenorganisationen werden oft erst spät in Beteiligungsverfahren einbezogen.",
        "",
        "",
    ),
    (
        "EB",
        "measure",
        "Feste Sitze für Migrantenorganisationen im Beteiligungsbeirat schaffen.",
        "Büro des Bürgermeisters",
        "2027",
    ),
]


async def seed_demo_workshop(
    session: AsyncSession, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    """A closed Stimmungsbild of 30 participants that clearly disagrees with the
    administration on two fields, a closed question round and some notes. Created once."""
    taken = await session.scalar(
        select(Workshop.id).where(
            Workshop.assessment_id == assessment.id, Workshop.title == DEMO_WORKSHOP
        )
    )
    if taken is not None:
        return
    rng = random.Random(2027)
    workshop = await services.create_workshop(session, assessment, DEMO_WORKSHOP)
    people = [await services.join(session, workshop, group) for group in _DEMO_GROUPS]
    admin = {r.field_id: r.category for r in score(questionnaire, demo_answers(questionnaire))}
    # The two best-rated fields after the first one are where the workshop disagrees.
    ranked = sorted((c, i, f) for i, (f, c) in enumerate(admin.items()) if c is not None)
    disputed = {field_id for _, _, field_id in ranked[1:3]}
    mood = await services.create_round(session, workshop, questionnaire, "mood")
    await services.open_round(session, workshop, mood.id)
    for person in people:
        for field_id, category in admin.items():
            if rng.random() < 0.05:
                continue  # not everybody rates every field
            centre = min((category or 2) + 2, 4) if field_id in disputed else category or 2
            vote = min(max(centre + rng.choice([-1, 0, 0, 0, 1]), 1), 4)
            await services.cast_vote(
                session, person, mood.id, field_id, str(vote), questionnaire=questionnaire
            )
    await services.close_round(session, workshop, mood.id)
    await _demo_question_round(session, workshop, questionnaire, people, rng)
    for field_id, kind, text, responsible, timeframe in _DEMO_NOTES:
        await services.add_note(
            session, workshop, questionnaire, field_id, kind, text, responsible, timeframe
        )


async def _demo_question_round(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    people: list[Participant],
    rng: random.Random,
) -> None:
    field = questionnaire.fields[0]
    questions = [q.id for q in field.questions[:4]]
    round_ = await services.create_round(
        session, workshop, questionnaire, "questions", field.id, questions
    )
    await services.open_round(session, workshop, round_.id)
    values = [o.value for o in questionnaire.scale.options] + [questionnaire.scale.dont_know.value]
    for person in people[:25]:
        for question_id in questions:
            value = rng.choices(values, weights=[3] * (len(values) - 1) + [1])[0]
            await services.cast_vote(
                session, person, round_.id, question_id, value, questionnaire=questionnaire
            )
    await services.close_round(session, workshop, round_.id)
