"""Trial runs (Probelauf) and deleting what should not count.

A round or a whole workshop marked as trial keeps its votes (the phones and the projector
work as usual), but no report ever counts them. A mark set by mistake can be taken back.
Deleting removes a round or workshop with its votes for good; the web layer asks first.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Participant, Round, RoundItem, Vote, Workshop
from selfcheck.errors import NotAllowed
from selfcheck.vocabulary import RoundStatus
from selfcheck.workshop.rounds import current_round, get_round, list_rounds

TRIAL_LABEL: Final = "Probelauf"
ROUND_STILL_OPEN: Final = "Diese Runde ist noch geöffnet. Bitte schließen Sie sie zuerst."


async def mark_round_trial(
    session: AsyncSession, workshop: Workshop, round_id: int, trial: bool
) -> Round:
    round_ = await get_round(session, workshop, round_id)
    round_.trial = trial
    await session.flush()
    return round_


async def mark_workshop_trial(session: AsyncSession, workshop: Workshop, trial: bool) -> Workshop:
    workshop.trial = trial
    await session.flush()
    return workshop


async def delete_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """Delete a round with its votes. An open round is refused: phones may still be
    sending to it."""
    round_ = await get_round(session, workshop, round_id)
    if round_.status == RoundStatus.OPEN:
        raise NotAllowed(ROUND_STILL_OPEN)
    # A DELETE statement: the database's cascades remove items and votes.
    await session.execute(delete(Round).where(Round.id == round_.id))
    return round_


async def delete_workshop(session: AsyncSession, workshop: Workshop) -> None:
    """Delete a workshop with its participants, rounds, votes and notes, unless a round
    is still open."""
    running = await current_round(session, workshop)
    if running is not None:
        raise NotAllowed(still_running(running))
    await session.execute(delete(Workshop).where(Workshop.id == workshop.id))


def still_running(round_: Round) -> str:
    return f"Die Runde „{round_.title}“ läuft noch. Bitte schließen Sie sie zuerst."


async def votes_in_round(session: AsyncSession, round_: Round) -> int:
    """What deleting the round would remove, to say so before."""
    count = await session.scalar(
        select(func.count(Vote.id))
        .join(RoundItem, RoundItem.id == Vote.round_item_id)
        .where(RoundItem.round_id == round_.id)
    )
    return count or 0


async def workshop_size(session: AsyncSession, workshop: Workshop) -> tuple[int, int]:
    """(rounds, participants): what deleting the workshop would remove, to say so before."""
    participants = await session.scalar(
        select(func.count(Participant.id)).where(Participant.workshop_id == workshop.id)
    )
    return len(await list_rounds(session, workshop)), participants or 0
