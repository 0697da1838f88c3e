"""Apply the retention periods: after an assessment has been submitted for a while, its
workshop participants with their single votes and its staff invitations are deleted.

Votes are first added to counts per round item, stakeholder group and value
(`VoteTally`), and participants to counts per group (`ParticipantTally`), so that every
report made later is the same report. Everything happens in the caller's transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import (
    Assessment,
    Participant,
    ParticipantTally,
    StaffInvitation,
    Vote,
    VoteTally,
    Workshop,
)
from selfcheck.vocabulary import AssessmentStatus

logger = logging.getLogger("selfcheck.retention")


@dataclass(frozen=True)
class PurgeResult:
    workshops: int  # workshops whose participants were (or would be) deleted
    participants: int
    votes: int
    invitations: int
    dry_run: bool

    def summary(self) -> str:
        verb = "Würde löschen" if self.dry_run else "Gelöscht"
        return (
            f"{verb}: {self.participants} Workshop-Teilnehmende mit {self.votes} einzelnen "
            f"Stimmen aus {self.workshops} Workshop(s) (die Summen bleiben für den Bericht), "
            f"{self.invitations} Einladungslink(s) mit Name und Dienststelle."
        )


async def purge(
    session: AsyncSession,
    *,
    now: datetime,
    workshop_days: int,
    invitation_days: int,
    dry_run: bool = False,
) -> PurgeResult:
    workshop_ids = list(await session.scalars(_due_workshops(now - timedelta(days=workshop_days))))
    invitation_ids = list(
        await session.scalars(_due_invitations(now - timedelta(days=invitation_days)))
    )
    participants = await session.scalar(
        select(func.count(Participant.id)).where(Participant.workshop_id.in_(workshop_ids))
    )
    votes = await session.scalar(
        select(func.count(Vote.id))
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Participant.workshop_id.in_(workshop_ids))
    )
    result = PurgeResult(
        workshops=len(workshop_ids),
        participants=participants or 0,
        votes=votes or 0,
        invitations=len(invitation_ids),
        dry_run=dry_run,
    )
    if not dry_run:
        await _tally_and_delete_participants(session, workshop_ids)
        await session.execute(delete(StaffInvitation).where(StaffInvitation.id.in_(invitation_ids)))
    logger.info("Aufbewahrungsfristen angewandt. %s", result.summary())
    return result


def _submitted_before(moment: datetime) -> tuple[ColumnElement[bool], ...]:
    return Assessment.status == AssessmentStatus.SUBMITTED, Assessment.submitted_at <= moment


def _due_workshops(submitted_before: datetime) -> Select[int]:
    return (
        select(Workshop.id)
        .join(Assessment, Assessment.id == Workshop.assessment_id)
        .where(*_submitted_before(submitted_before))
        .where(select(Participant.id).where(Participant.workshop_id == Workshop.id).exists())
    )


def _due_invitations(submitted_before: datetime) -> Select[int]:
    return (
        select(StaffInvitation.id)
        .join(Assessment, Assessment.id == StaffInvitation.assessment_id)
        .where(*_submitted_before(submitted_before))
    )


async def _tally_and_delete_participants(session: AsyncSession, workshop_ids: list[int]) -> None:
    if not workshop_ids:
        return
    group = func.coalesce(Participant.stakeholder_group, "")
    vote_counts = await session.execute(
        select(Vote.round_item_id, group, Vote.value, func.count())
        .join(Participant, Participant.id == Vote.participant_id)
        .where(Participant.workshop_id.in_(workshop_ids))
        .group_by(Vote.round_item_id, group, Vote.value)
    )
    for round_item_id, stakeholder_group, value, votes in vote_counts.all():
        tally = await session.scalar(
            select(VoteTally).where(
                VoteTally.round_item_id == round_item_id,
                VoteTally.stakeholder_group == stakeholder_group,
                VoteTally.value == value,
            )
        )
        if tally is None:
            session.add(
                VoteTally(
                    round_item_id=round_item_id,
                    stakeholder_group=stakeholder_group,
                    value=value,
                    votes=votes,
                )
            )
        else:
            tally.votes += votes
    participant_counts = await session.execute(
        select(Participant.workshop_id, group, func.count())
        .where(Participant.workshop_id.in_(workshop_ids))
        .group_by(Participant.workshop_id, group)
    )
    for workshop_id, stakeholder_group, count in participant_counts.all():
        existing = await session.scalar(
            select(ParticipantTally).where(
                ParticipantTally.workshop_id == workshop_id,
                ParticipantTally.stakeholder_group == stakeholder_group,
            )
        )
        if existing is None:
            session.add(
                ParticipantTally(
                    workshop_id=workshop_id, stakeholder_group=stakeholder_group, participants=count
                )
            )
        else:
            existing.participants += count
    await session.flush()
    participant_ids = select(Participant.id).where(Participant.workshop_id.in_(workshop_ids))
    await session.execute(delete(Vote).where(Vote.participant_id.in_(participant_ids)))
    await session.execute(delete(Participant).where(Participant.workshop_id.in_(workshop_ids)))
