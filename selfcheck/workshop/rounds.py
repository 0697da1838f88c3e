"""Voting rounds: what a round votes on, and its life from draft to open to closed.

One round at a time: opening a round while another round of the workshop is open is
refused (NotAllowed), not done by closing the other one silently. Closing decides which
votes count, so it stays an explicit act of the moderator; the web layer may offer
"schließen und nächste öffnen", calling `close_round` and `open_round` in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from selfcheck.db.models import Round, RoundItem, RoundReopening, Workshop, utcnow
from selfcheck.errors import InvalidInput, NotAllowed, NotFound
from selfcheck.questionnaire.schema import Field, Questionnaire
from selfcheck.text_input import required_text
from selfcheck.vocabulary import RoundKind, RoundStatus
from selfcheck.workshop.inputs import TITLE_MAX, chosen_field


def round_kind(kind: str) -> RoundKind:
    """The kind a form or an import names, or a clear refusal."""
    try:
        return RoundKind(kind)
    except ValueError:
        raise InvalidInput("Diese Art von Runde gibt es nicht.") from None


def round_item_keys(
    questionnaire: Questionnaire,
    kind: str,
    field_id: str | None = None,
    question_ids: Sequence[str] = (),
) -> list[str]:
    """What a new round votes on, validated against the questionnaire."""
    if kind == RoundKind.MOOD:
        if field_id is not None or question_ids:
            raise InvalidInput("Ein Stimmungsbild umfasst immer alle Handlungsfelder.")
        return [field.id for field in questionnaire.fields]
    kind = round_kind(kind)
    field = chosen_field(questionnaire, field_id)
    if kind == RoundKind.FIELD:
        if question_ids:
            raise InvalidInput("Eine Runde zu einem Handlungsfeld enthält keine Einzelfragen.")
        return [field.id]
    return _question_keys(field, question_ids)


def _question_keys(field: Field, question_ids: Sequence[str]) -> list[str]:
    if not question_ids:
        raise InvalidInput("Bitte wählen Sie mindestens eine Frage aus.")
    if len(set(question_ids)) != len(question_ids):
        raise InvalidInput("Jede Frage kann nur einmal ausgewählt werden.")
    in_field = [question.id for question in field.questions]
    unknown = [qid for qid in question_ids if qid not in in_field]
    if unknown:
        raise InvalidInput(
            f"Diese Fragen gehören nicht zum Handlungsfeld „{field.title}“: {', '.join(unknown)}."
        )
    # Questionnaire order, whatever order they were ticked in.
    return [qid for qid in in_field if qid in question_ids]


def _default_round_title(
    questionnaire: Questionnaire, kind: RoundKind, field_id: str | None
) -> str:
    if kind == RoundKind.MOOD:
        return "Stimmungsbild: alle Handlungsfelder"
    return f"{kind.label}: {chosen_field(questionnaire, field_id).title}"[:TITLE_MAX]


async def create_round(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    kind: str,
    field_id: str | None = None,
    question_ids: Sequence[str] = (),
    *,
    title: str | None = None,
) -> Round:
    """A round in draft state; without a title it gets one from its kind and field."""
    keys = round_item_keys(questionnaire, kind, field_id, question_ids)
    if title is None or not title.strip():
        title = _default_round_title(questionnaire, round_kind(kind), field_id)
    else:
        title = required_text(
            title, TITLE_MAX, what="Der Titel", missing="Bitte geben Sie einen Titel ein."
        )
    round_ = Round(workshop_id=workshop.id, kind=kind, title=title, status=RoundStatus.DRAFT)
    round_.items = [RoundItem(item_key=key, position=i) for i, key in enumerate(keys)]
    session.add(round_)
    await session.flush()
    return round_


async def get_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """A round of this workshop, with its items, read fresh from the database."""
    round_ = await session.scalar(
        select(Round)
        .where(Round.id == round_id, Round.workshop_id == workshop.id)
        .options(selectinload(Round.items))
        .execution_options(populate_existing=True)
    )
    if round_ is None:
        raise NotFound("Diese Runde gibt es in diesem Workshop nicht.")
    return round_


async def list_rounds(session: AsyncSession, workshop: Workshop) -> list[Round]:
    rounds = await session.scalars(
        select(Round)
        .where(Round.workshop_id == workshop.id)
        .options(selectinload(Round.items))
        .order_by(Round.id)
    )
    return list(rounds)


async def current_round(session: AsyncSession, workshop: Workshop) -> Round | None:
    """The open round, if any: what participants' phones show."""
    return await session.scalar(
        select(Round)
        .where(Round.workshop_id == workshop.id, Round.status == RoundStatus.OPEN)
        .options(selectinload(Round.items))
    )


async def open_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """draft -> open. Opening the open round again changes nothing (a double click);
    a closed round stays closed; another open round must be closed first."""
    # Serialise round changes per workshop, so two moderators cannot open two rounds at
    # once on PostgreSQL. (SQLite ignores FOR UPDATE; BEGIN IMMEDIATE serialises there.)
    await session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    round_ = await get_round(session, workshop, round_id)
    if round_.status == RoundStatus.OPEN:
        return round_
    if round_.status == RoundStatus.CLOSED:
        raise NotAllowed(
            "Diese Runde ist geschlossen. Mit „Wieder öffnen“ geht es weiter, "
            "die bisherigen Stimmen bleiben erhalten."
        )
    await _refuse_while_another_runs(session, workshop)
    round_.status = RoundStatus.OPEN
    round_.opened_at = utcnow()
    await session.flush()
    return round_


async def reopen_round(
    session: AsyncSession, workshop: Workshop, round_id: int, *, by: str
) -> Round:
    """closed -> open again, votes kept; logged with who did it and when it had closed.
    Reopening the open round again changes nothing (a double click)."""
    await session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    round_ = await get_round(session, workshop, round_id)
    if round_.status == RoundStatus.OPEN:
        return round_
    if round_.status == RoundStatus.DRAFT:
        raise NotAllowed("Diese Runde wurde noch nicht geöffnet.")
    await _refuse_while_another_runs(session, workshop)
    session.add(
        RoundReopening(round_id=round_.id, previously_closed_at=round_.closed_at, reopened_by=by)
    )
    round_.status = RoundStatus.OPEN
    round_.closed_at = None
    await session.flush()
    return round_


async def _refuse_while_another_runs(session: AsyncSession, workshop: Workshop) -> None:
    running = await current_round(session, workshop)
    if running is not None:
        raise NotAllowed(f"Die Runde „{running.title}“ läuft noch. Bitte schließen Sie sie zuerst.")


async def reopenings_of(session: AsyncSession, workshop: Workshop) -> list[RoundReopening]:
    """Every reopening of the workshop's rounds, oldest first."""
    result = await session.scalars(
        select(RoundReopening)
        .join(Round, Round.id == RoundReopening.round_id)
        .where(Round.workshop_id == workshop.id)
        .order_by(RoundReopening.id)
    )
    return list(result)


async def close_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """open -> closed; closing again changes nothing. On PostgreSQL the UPDATE waits for
    votes in flight (they hold a share lock on the round), and votes after it see the
    closed round: totals read after closing are final."""
    round_ = await get_round(session, workshop, round_id)
    if round_.status == RoundStatus.DRAFT:
        raise NotAllowed("Diese Runde wurde noch nicht geöffnet.")
    if round_.status == RoundStatus.OPEN:
        round_.status = RoundStatus.CLOSED
        round_.closed_at = utcnow()
        await session.flush()
    return round_
