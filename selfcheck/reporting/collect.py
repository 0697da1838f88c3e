"""Read one assessment with all its workshops from the database into the export structs.

The export is the single input of every report: the web page, the DOCX, the charts, the
CSV/XLSX tables and the JSON file are all made from it, so a report built from an export
file on another machine is the same report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    FieldRoundChoice,
    Municipality,
    Participant,
    ParticipantTally,
    Round,
    RoundItem,
    Vote,
    VoteTally,
    Workshop,
    WorkshopNote,
    utcnow,
)
from selfcheck.reporting.export_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
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
    from_row,
)
from selfcheck.reporting.plan_exchange import export_measures
from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind, RoundStatus


async def export_assessment(
    session: AsyncSession, assessment: Assessment, *, exported_at: datetime | None = None
) -> AssessmentExport:
    municipality = await session.get(Municipality, assessment.municipality_id)
    assert municipality is not None  # a foreign key guarantees it
    workshops = list(
        await session.scalars(
            select(Workshop).where(Workshop.assessment_id == assessment.id).order_by(Workshop.id)
        )
    )
    choices = await _chosen_fields(session, assessment.id)
    return AssessmentExport(
        format=FORMAT_NAME,
        format_version=FORMAT_VERSION,
        exported_at=exported_at or utcnow(),
        questionnaire=QuestionnaireRef(
            id=assessment.questionnaire_id, version=assessment.questionnaire_version
        ),
        municipality=from_row(MunicipalityData, municipality),
        assessment=from_row(AssessmentData, assessment, status=AssessmentStatus(assessment.status)),
        answers=await _answers(session, assessment.id),
        workshops=[await _workshop(session, workshop, choices) for workshop in workshops],
        measures=await export_measures(session, assessment.id),
    )


async def _answers(session: AsyncSession, assessment_id: int) -> list[AnswerData]:
    answers = list(
        await session.scalars(
            select(Answer).where(Answer.assessment_id == assessment_id).order_by(Answer.question_id)
        )
    )
    changes: dict[int, list[AnswerChangeData]] = defaultdict(list)
    rows = await session.scalars(
        select(AnswerChange)
        .join(Answer)
        .where(Answer.assessment_id == assessment_id)
        .order_by(AnswerChange.answer_id, AnswerChange.version, AnswerChange.id)
    )
    for change in rows:
        changes[change.answer_id].append(from_row(AnswerChangeData, change))
    return [from_row(AnswerData, answer, history=changes[answer.id]) for answer in answers]


async def _chosen_fields(session: AsyncSession, assessment_id: int) -> dict[int, list[str]]:
    """Round id -> the fields the moderator chose that round for."""
    rows = await session.execute(
        select(FieldRoundChoice.round_id, FieldRoundChoice.field_id)
        .where(FieldRoundChoice.assessment_id == assessment_id)
        .order_by(FieldRoundChoice.field_id)
    )
    chosen: dict[int, list[str]] = defaultdict(list)
    for round_id, field_id in rows:
        chosen[round_id].append(field_id)
    return chosen


async def _workshop(
    session: AsyncSession, workshop: Workshop, choices: dict[int, list[str]]
) -> WorkshopData:
    participants = list(
        await session.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id)
            .order_by(Participant.joined_at, Participant.id)
        )
    )
    # The cookie id of a participant is a secret; the file numbers them instead.
    keys = {p.id: f"t{index}" for index, p in enumerate(participants, start=1)}
    rounds = list(
        await session.scalars(
            select(Round)
            .where(Round.workshop_id == workshop.id)
            .options(selectinload(Round.items))
            .order_by(Round.id)
        )
    )
    votes = await _votes(session, workshop.id, keys)
    tallied = await _tallied(session, workshop, rounds)
    for round_id, round_votes in tallied.votes.items():
        votes[round_id].extend(round_votes)
    notes = await session.scalars(
        select(WorkshopNote)
        .where(WorkshopNote.workshop_id == workshop.id)
        .order_by(WorkshopNote.id)
    )
    return from_row(
        WorkshopData,
        workshop,
        participants=[
            *(from_row(ParticipantData, p, key=keys[p.id]) for p in participants),
            *tallied.participants,
        ],
        rounds=[
            from_row(
                RoundData,
                round_,
                kind=RoundKind(round_.kind),
                status=RoundStatus(round_.status),
                items=[item.item_key for item in round_.items],
                votes=votes.get(round_.id, []),
                chosen_for=choices.get(round_.id, []),
            )
            for round_ in rounds
        ],
        notes=[from_row(NoteData, note, kind=NoteKind(note.kind)) for note in notes],
    )


async def _votes(
    session: AsyncSession, workshop_id: int, keys: dict[str, str]
) -> dict[int, list[VoteData]]:
    """All votes of a workshop in one query, per round, in item and joining order."""
    order = {participant_id: index for index, participant_id in enumerate(keys)}
    rows = await session.execute(
        select(
            RoundItem.round_id,
            RoundItem.position,
            RoundItem.item_key,
            Vote.participant_id,
            Vote.value,
            Vote.cast_at,
        )
        .join(Vote, Vote.round_item_id == RoundItem.id)
        .join(Round, Round.id == RoundItem.round_id)
        .where(Round.workshop_id == workshop_id)
    )
    ordered = sorted(rows, key=lambda r: (r[0], r[1], order[r[3]]))
    votes: dict[int, list[VoteData]] = defaultdict(list)
    for round_id, _, item_key, participant_id, value, cast_at in ordered:
        votes[round_id].append(
            VoteData(item=item_key, participant=keys[participant_id], value=value, cast_at=cast_at)
        )
    return votes


# --- Workshops whose single votes were purged ----------------------------------------


@dataclass(frozen=True)
class _Tallied:
    participants: list[ParticipantData]
    votes: dict[int, list[VoteData]]  # round id -> votes


async def _tallied(session: AsyncSession, workshop: Workshop, rounds: list[Round]) -> _Tallied:
    """Stand-in participants and votes for what `selfcheck purge` kept only as counts.

    Counted per round item, stakeholder group and value, these give every report the same
    numbers as the deleted votes did. The stand-ins ("s1", "s2", ...) are numbered per
    group; which stand-in holds which vote on which item means nothing.
    """
    rows = await session.execute(
        select(ParticipantTally.stakeholder_group, ParticipantTally.participants).where(
            ParticipantTally.workshop_id == workshop.id
        )
    )
    group_sizes = {group: size for group, size in rows}
    if not group_sizes:
        return _Tallied([], {})
    items = {item.id: (round_, item.item_key) for round_ in rounds for item in round_.items}
    tallies = await session.scalars(
        select(VoteTally)
        .where(VoteTally.round_item_id.in_(items))
        .order_by(VoteTally.round_item_id, VoteTally.stakeholder_group, VoteTally.value)
    )
    # group -> stand-in keys; grown if a count ever exceeds the participants kept.
    stand_ins: dict[str, list[str]] = defaultdict(list)

    def stand_in(group: str, index: int) -> str:
        keys = stand_ins[group]
        while len(keys) <= index:
            keys.append(f"s{sum(map(len, stand_ins.values())) + 1}")
        return keys[index]

    for group, size in sorted(group_sizes.items()):
        if size:
            stand_in(group, size - 1)
    votes: dict[int, list[VoteData]] = defaultdict(list)
    used: dict[tuple[int, str], int] = defaultdict(int)  # (round item, group) -> stand-ins used
    for tally in tallies:
        round_, item_key = items[tally.round_item_id]
        cast_at = round_.closed_at or round_.opened_at or round_.created_at
        for _ in range(tally.votes):
            slot = (tally.round_item_id, tally.stakeholder_group)
            key = stand_in(tally.stakeholder_group, used[slot])
            used[slot] += 1
            votes[round_.id].append(
                VoteData(item=item_key, participant=key, value=tally.value, cast_at=cast_at)
            )
    participants = [
        ParticipantData(key=key, stakeholder_group=group or None, joined_at=workshop.created_at)
        for group in sorted(stand_ins)
        for key in stand_ins[group]
    ]
    return _Tallied(participants, votes)
