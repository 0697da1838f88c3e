"""Builders for report tests.

`make_export` builds an assessment export in memory, for the pure comparison functions.
`seed_assessment` writes answers and a workshop into the database through the real
services, for tests of the service, the files, the web pages and the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.answers import validate_answer
from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, AnswerChange, Assessment, Participant, Workshop
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.export_format import (
    AnswerChangeData,
    AnswerData,
    AssessmentData,
    AssessmentExport,
    MunicipalityData,
    NoteData,
    ParticipantData,
    QuestionnaireRef,
    RoundData,
    VoteData,
    WorkshopData,
)
from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind, RoundStatus
from selfcheck.workshop import notes, rounds, votes, workshops

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class RoundSpec:
    """A round where participant i votes `votes[item][i]` (None: no vote on that item)."""

    kind: str
    votes: Mapping[str, Sequence[str | None]]
    status: str = "closed"
    closed_minutes: int = 60  # closing time after T0, to order rounds
    title: str = "Runde"


@dataclass(frozen=True)
class WorkshopSpec:
    rounds: Sequence[RoundSpec]
    groups: Sequence[str | None] = ()  # group of participant i; default: none given
    min_n: int = 3
    title: str = "Workshop"
    notes: Sequence[tuple[str, str, str, str, str]] = field(default_factory=list)


def answers_for(questionnaire: Questionnaire, by_field: Mapping[str, str]) -> dict[str, str]:
    """Every question of each named field answered with that field's value."""
    return {
        question.id: by_field[f.id]
        for f in questionnaire.fields
        if f.id in by_field
        for question in f.questions
    }


def make_export(
    questionnaire: Questionnaire,
    answers: Mapping[str, str],
    workshops: Sequence[WorkshopSpec] = (),
    comments: Mapping[str, str] | None = None,
) -> AssessmentExport:
    return AssessmentExport(
        format="selfcheck-export",
        format_version=1,
        exported_at=T0 + timedelta(days=1),
        questionnaire=QuestionnaireRef(id=questionnaire.id, version=questionnaire.version),
        municipality=MunicipalityData(name="Teststadt"),
        assessment=AssessmentData(
            title="Selbstcheck 2026", status=AssessmentStatus.OPEN, created_at=T0
        ),
        answers=[
            AnswerData(
                question_id=qid,
                value=value,
                comment=(comments or {}).get(qid, ""),
                version=1,
                updated_by="Test",
                updated_at=T0,
                history=[
                    AnswerChangeData(version=1, value=value, changed_by="Test", changed_at=T0)
                ],
            )
            for qid, value in answers.items()
        ],
        workshops=[_workshop(spec) for spec in workshops],
    )


def _workshop(spec: WorkshopSpec) -> WorkshopData:
    size = max(
        [len(spec.groups), *(len(v) for r in spec.rounds for v in r.votes.values())], default=0
    )
    groups = [*spec.groups, *([None] * (size - len(spec.groups)))]
    return WorkshopData(
        title=spec.title,
        min_group_size=spec.min_n,
        created_at=T0,
        participants=[
            ParticipantData(key=f"t{i}", stakeholder_group=group, joined_at=T0)
            for i, group in enumerate(groups)
        ],
        rounds=[_round(r) for r in spec.rounds],
        notes=[
            NoteData(
                field_id=field_id,
                kind=NoteKind(kind),
                text=text,
                responsible=who,
                timeframe=when,
                created_at=T0,
            )
            for field_id, kind, text, who, when in spec.notes
        ],
    )


def _round(spec: RoundSpec) -> RoundData:
    closed_at = T0 + timedelta(minutes=spec.closed_minutes)
    return RoundData(
        kind=RoundKind(spec.kind),
        title=spec.title,
        status=RoundStatus(spec.status),
        opened_at=None if spec.status == RoundStatus.DRAFT else T0,
        closed_at=closed_at if spec.status == RoundStatus.CLOSED else None,
        created_at=T0,
        items=list(spec.votes),
        votes=[
            VoteData(item=item, participant=f"t{i}", value=value, cast_at=T0)
            for item, values in spec.votes.items()
            for i, value in enumerate(values)
            if value is not None
        ],
    )


# --- In the database -------------------------------------------------------------------


async def write_answers(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    answers: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
) -> None:
    """Answers as the answer sheet stores them (version 1 with one history entry), written
    in bulk: the report reads them, how they got there is tested elsewhere."""
    for question_id, value in answers.items():
        validate_answer(questionnaire, question_id, value, (comments or {}).get(question_id, ""))
    editor = "Anna Amt (Sozialamt)"
    async with database.writing() as session:
        ids = await session.scalars(
            insert(Answer).returning(Answer.id),
            [
                {"assessment_id": assessment.id, "question_id": qid, "value": value,
                 "comment": (comments or {}).get(qid, ""), "version": 1, "updated_by": editor,
                 "updated_at": T0}
                for qid, value in answers.items()
            ],
        )  # fmt: skip
        await session.execute(
            insert(AnswerChange),
            [
                {"answer_id": answer_id, "version": 1, "value": value,
                 "comment": (comments or {}).get(qid, ""), "changed_by": editor, "changed_at": T0}
                for answer_id, (qid, value) in zip(ids, answers.items(), strict=True)
            ],
        )  # fmt: skip


async def seed_workshop(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    spec: WorkshopSpec,
) -> Workshop:
    """A workshop run through the real services: join, open, vote, close, notes."""
    async with database.writing() as session:
        workshop = await workshops.create_workshop(session, assessment, spec.title, spec.min_n)
        size = max(len(v) for r in spec.rounds for v in r.votes.values())
        groups = [*spec.groups, *([None] * (size - len(spec.groups)))]
        people = [await workshops.join(session, workshop, group) for group in groups]
        for round_spec in spec.rounds:
            await _run_round(session, workshop, questionnaire, round_spec, people)
        for field_id, kind, text, who, when in spec.notes:
            await notes.add_note(session, workshop, questionnaire, field_id, kind, text, who, when)
        return workshop


async def _run_round(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    spec: RoundSpec,
    people: Sequence[Participant],
) -> None:
    items = list(spec.votes)
    if spec.kind == "mood":
        round_ = await rounds.create_round(session, workshop, questionnaire, "mood")
    elif spec.kind == "field":
        round_ = await rounds.create_round(session, workshop, questionnaire, "field", items[0])
    else:
        field = questionnaire.field_of(items[0])
        assert field is not None, items[0]
        field_id = field.id
        round_ = await rounds.create_round(
            session, workshop, questionnaire, "questions", field_id, items
        )
    if spec.status == "draft":
        return
    await rounds.open_round(session, workshop, round_.id)
    for item, values in spec.votes.items():
        for person, value in zip(people, values, strict=False):
            if value is not None:
                await votes.cast_vote(
                    session, person, round_.id, item, value, questionnaire=questionnaire
                )
    if spec.status == "closed":
        await rounds.close_round(session, workshop, round_.id)
