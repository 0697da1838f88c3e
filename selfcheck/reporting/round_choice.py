"""Which closed round stands for the workshop's view of a field, if the moderator picks one.

Without a choice the comparison takes the latest closed round that is no trial. A choice is
stored per assessment and field; deleting the round (or marking it as trial) makes the
default apply again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, FieldRoundChoice, Round, RoundItem, Workshop
from selfcheck.errors import InvalidInput
from selfcheck.formatting import datetime_de
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import RoundKind, RoundStatus


@dataclass(frozen=True)
class RoundOption:
    round_id: int
    label: str


async def round_options(
    session: AsyncSession, assessment: Assessment
) -> dict[str, list[RoundOption]]:
    """Field id -> the closed rounds that are no trial and rated the field, newest first."""
    rows = await session.execute(
        select(RoundItem.item_key, Round.id, Round.title, Round.closed_at, Workshop.title)
        .join(Round, Round.id == RoundItem.round_id)
        .join(Workshop, Workshop.id == Round.workshop_id)
        .where(
            Workshop.assessment_id == assessment.id,
            Workshop.trial.is_(False),
            Round.trial.is_(False),
            Round.status == RoundStatus.CLOSED,
            Round.kind.in_((RoundKind.FIELD, RoundKind.MOOD)),
        )
        .order_by(Round.closed_at.desc(), Round.id.desc())
    )
    options: dict[str, list[RoundOption]] = defaultdict(list)
    for field_id, round_id, title, closed_at, workshop in rows:
        label = f"„{title}“ im Workshop „{workshop}“, geschlossen am {datetime_de(closed_at)}"
        options[field_id].append(RoundOption(round_id, label))
    return options


async def chosen_rounds(session: AsyncSession, assessment: Assessment) -> dict[str, int]:
    rows = await session.execute(
        select(FieldRoundChoice.field_id, FieldRoundChoice.round_id).where(
            FieldRoundChoice.assessment_id == assessment.id
        )
    )
    return {field_id: round_id for field_id, round_id in rows}


async def choose_round(
    session: AsyncSession,
    assessment: Assessment,
    questionnaire: Questionnaire,
    field_id: str,
    round_id: int | None,
) -> None:
    """Let `round_id` count for the field, or (None) go back to the latest closed round."""
    if questionnaire.field(field_id) is None:
        raise InvalidInput("Dieses Handlungsfeld gibt es im Fragebogen nicht.")
    await session.execute(
        delete(FieldRoundChoice).where(
            FieldRoundChoice.assessment_id == assessment.id, FieldRoundChoice.field_id == field_id
        )
    )
    if round_id is None:
        return
    options = (await round_options(session, assessment)).get(field_id, [])
    if round_id not in {option.round_id for option in options}:
        raise InvalidInput(
            "Diese Runde kann für das Handlungsfeld nicht zählen: Es zählen nur geschlossene "
            "Runden ohne Probelauf, in denen über das Feld abgestimmt wurde."
        )
    session.add(FieldRoundChoice(assessment_id=assessment.id, field_id=field_id, round_id=round_id))
    await session.flush()
