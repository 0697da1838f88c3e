"""Votes: which answers a round accepts, writing votes (one or a batch, as an upsert),
and counting them with the database (totals, breakdown by stakeholder group)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Protocol

from sqlalchemy import Connection, Select, distinct, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.dml import Insert

from selfcheck.db.models import Participant, Round, RoundItem, Vote, utcnow
from selfcheck.errors import InvalidInput, NotAllowed, NotFound, SelfcheckError
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import RoundKind, RoundStatus
from selfcheck.workshop.groups import NO_GROUP
from selfcheck.workshop.totals import (
    ItemBreakdown,
    ItemTotals,
    RoundBreakdown,
    RoundTotals,
    merge_small_groups,
)

ROUND_UNKNOWN: Final = "Diese Abstimmungsrunde gibt es nicht."
ROUND_NOT_OPEN: Final = "Diese Runde ist noch nicht geöffnet."
ROUND_CLOSED: Final = "Diese Runde ist bereits geschlossen – Ihre Stimme wurde nicht gezählt."


def allowed_values(questionnaire: Questionnaire, kind: str) -> frozenset[str]:
    """Category numbers ("1".."4") for field and mood rounds; the questionnaire's scale
    values and its "weiß nicht" value for question rounds."""
    if kind == RoundKind.QUESTIONS:
        scale = questionnaire.scale
        return frozenset([*(option.value for option in scale.options), scale.dont_know.value])
    return frozenset(str(category.number) for category in questionnaire.categories)


async def cast_vote(
    session: AsyncSession,
    participant: Participant,
    round_id: int,
    item_key: str,
    value: str,
    *,
    questionnaire: Questionnaire,
) -> Vote:
    """Record or replace the participant's vote on one item of an open round. (The web
    layer does the same with cached lookups: `vote_targets.VoteTargets`.)"""
    round_ = await session.scalar(
        select(Round)
        .where(Round.id == round_id)
        .options(selectinload(Round.items))
        .execution_options(populate_existing=True)
    )
    if round_ is None:
        raise NotFound(ROUND_UNKNOWN)
    item_id = vote_item_id(
        questionnaire,
        workshop_id=participant.workshop_id,
        round_workshop_id=round_.workshop_id,
        kind=round_.kind,
        item_ids={item.item_key: item.id for item in round_.items},
        item_key=item_key,
        value=value,
    )
    return await store_vote(session, participant.id, round_id, item_id, value)


def vote_item_id(
    questionnaire: Questionnaire,
    *,
    workshop_id: int,
    round_workshop_id: int,
    kind: str,
    item_ids: Mapping[str, int],
    item_key: str,
    value: str,
) -> int:
    """Everything about a vote except whether its round is still open (`store_vote` checks
    that in its write); returns the round item id."""
    if round_workshop_id != workshop_id:
        raise NotAllowed("Diese Runde gehört zu einem anderen Workshop.")
    item_id = item_ids.get(item_key)
    if item_id is None:
        raise InvalidInput("Darüber wird in dieser Runde nicht abgestimmt.")
    if value not in allowed_values(questionnaire, kind):
        raise InvalidInput("Bitte wählen Sie eine der angebotenen Antworten.")
    return item_id


class VoteToStore(Protocol):
    """A vote checked against its round (`vote_item_id`), ready to be written."""

    @property
    def participant_id(self) -> str: ...
    @property
    def round_id(self) -> int: ...
    @property
    def round_item_id(self) -> int: ...
    @property
    def value(self) -> str: ...


@dataclass(frozen=True)
class _Ballot:
    participant_id: str
    round_id: int
    round_item_id: int
    value: str


async def store_vote(
    session: AsyncSession, participant_id: str, round_id: int, round_item_id: int, value: str
) -> Vote:
    """The write half of a single vote: `store_votes` for a batch of one."""
    ballot = _Ballot(participant_id, round_id, round_item_id, value)
    [refusal] = await session.run_sync(lambda sync: store_votes(sync.connection(), [ballot]))
    if refusal is not None:
        raise refusal
    vote = await session.scalar(
        select(Vote)
        .where(Vote.round_item_id == round_item_id, Vote.participant_id == participant_id)
        .execution_options(populate_existing=True)
    )
    assert vote is not None
    return vote


def store_votes(
    connection: Connection, votes: Sequence[VoteToStore]
) -> list[SelfcheckError | None]:
    """Writes a batch of votes in the caller's transaction, in two statements however many
    votes: the state of the rounds concerned, then one multi-row upsert of the votes whose
    round is open. Returns each vote's refusal, None for a stored one.

    The upsert on the unique (round item, participant) pair means a resent vote is not
    counted twice, a changed vote replaces the old one, and no counter is read and written
    back. FOR SHARE on the rounds (PostgreSQL): batches run side by side, but
    `close_round`'s UPDATE waits for them and later ones see "closed" – totals read after
    closing are final. (SQLite: BEGIN IMMEDIATE serialises all writers.)"""
    dialect = connection.dialect.name
    states_query = select(Round.id, Round.status).where(Round.id.in_({v.round_id for v in votes}))
    if dialect == "postgresql":
        states_query = states_query.with_for_update(read=True)
    states = {round_id: status for round_id, status in connection.execute(states_query)}
    rows, refusals = sort_out_votes(votes, states)
    if rows:
        connection.execute(_vote_upsert(dialect), rows)
    return refusals


def sort_out_votes(
    votes: Sequence[VoteToStore], states: Mapping[int, str]
) -> tuple[list[dict[str, Any]], list[SelfcheckError | None]]:
    """The rows to upsert (the last vote per item and participant wins, in arrival order)
    and each vote's refusal."""
    refusals: list[SelfcheckError | None] = []
    rows: dict[tuple[int, str], dict[str, Any]] = {}
    now = utcnow()
    for vote in votes:
        state = states.get(vote.round_id)
        if state == RoundStatus.OPEN:
            key = (vote.round_item_id, vote.participant_id)
            rows.pop(key, None)
            rows[key] = {
                "round_item_id": vote.round_item_id,
                "participant_id": vote.participant_id,
                "value": vote.value,
                "cast_at": now,
            }
            refusals.append(None)
        elif state is None:
            refusals.append(NotFound(ROUND_UNKNOWN))
        else:
            closed = state == RoundStatus.CLOSED
            refusals.append(NotAllowed(ROUND_CLOSED if closed else ROUND_NOT_OPEN))
    # Sorted, so that two processes' batches take row locks in the same order.
    return [rows[key] for key in sorted(rows)], refusals


@cache  # built once: constructing it costs more than running it
def _vote_upsert(dialect: str) -> Insert:
    if dialect == "postgresql":
        pg_stmt = postgresql.insert(Vote)
        return pg_stmt.on_conflict_do_update(
            index_elements=[Vote.round_item_id, Vote.participant_id],
            set_={"value": pg_stmt.excluded.value, "cast_at": pg_stmt.excluded.cast_at},
        )
    if dialect == "sqlite":
        lite_stmt = sqlite.insert(Vote)
        return lite_stmt.on_conflict_do_update(
            index_elements=[Vote.round_item_id, Vote.participant_id],
            set_={"value": lite_stmt.excluded.value, "cast_at": lite_stmt.excluded.cast_at},
        )
    raise RuntimeError(f"Datenbank {dialect!r} wird nicht unterstützt.")


async def votes_of(
    session: AsyncSession, participant: Participant, round_id: int
) -> dict[str, str]:
    """The participant's current votes in a round (item key -> value), to show them again."""
    rows = await session.execute(
        select(RoundItem.item_key, Vote.value)
        .join(Vote, Vote.round_item_id == RoundItem.id)
        .where(RoundItem.round_id == round_id, Vote.participant_id == participant.id)
    )
    return {item_key: value for item_key, value in rows}


# --- Totals ----------------------------------------------------------------------------


async def round_totals(session: AsyncSession, round_id: int) -> RoundTotals:
    """Votes per item and value, counted by the database in one GROUP BY statement that
    also returns the number of voters and of joined participants (one snapshot).

    Check beforehand that the caller may see this round's workshop.
    """
    round_ = await session.get(Round, round_id, populate_existing=True)
    if round_ is None:
        raise NotFound(ROUND_UNKNOWN)
    rows = (await session.execute(_totals_statement(round_))).all()
    items: dict[str, dict[str, int]] = {}
    for item_key, value, count, _, _ in rows:
        counts = items.setdefault(item_key, {})
        if value is not None:
            counts[value] = count
    # Every row carries the same two subquery results; a round always has items.
    voters, joined = (rows[0][3], rows[0][4]) if rows else (0, 0)
    return RoundTotals(
        round_id=round_.id,
        workshop_id=round_.workshop_id,
        kind=round_.kind,
        status=round_.status,
        items=[ItemTotals(item_key=k, n=sum(c.values()), counts=c) for k, c in items.items()],
        voters=voters,
        joined=joined,
    )


def _totals_statement(round_: Round) -> Select[str, str | None, int, int, int]:
    voters = (
        select(func.count(distinct(Vote.participant_id)))
        .join(RoundItem, RoundItem.id == Vote.round_item_id)
        .where(RoundItem.round_id == round_.id)
        .scalar_subquery()
    )
    joined = (
        select(func.count(Participant.id))
        .where(Participant.workshop_id == round_.workshop_id)
        .scalar_subquery()
    )
    # The outer join keeps items nobody voted on yet (one row with value NULL, count 0).
    return (
        select(RoundItem.item_key, Vote.value, func.count(Vote.id), voters, joined)
        .select_from(RoundItem)
        .outerjoin(Vote, Vote.round_item_id == RoundItem.id)
        .where(RoundItem.round_id == round_.id)
        .group_by(RoundItem.id, RoundItem.item_key, RoundItem.position, Vote.value)
        .order_by(RoundItem.position, Vote.value)
    )


async def group_breakdown(session: AsyncSession, round_id: int, min_n: int) -> RoundBreakdown:
    """Votes per item, value and stakeholder group (one GROUP BY), with the minimum-N
    rule applied: no group is shown with fewer than `min_n` votes."""
    keys = list(
        await session.scalars(
            select(RoundItem.item_key)
            .where(RoundItem.round_id == round_id)
            .order_by(RoundItem.position)
        )
    )
    if not keys:
        raise NotFound(ROUND_UNKNOWN)
    group = func.coalesce(Participant.stakeholder_group, NO_GROUP)
    rows = await session.execute(
        select(RoundItem.item_key, group, Vote.value, func.count(Vote.id))
        .join(Vote, Vote.round_item_id == RoundItem.id)
        .join(Participant, Participant.id == Vote.participant_id)
        .where(RoundItem.round_id == round_id)
        .group_by(RoundItem.item_key, group, Vote.value)
    )
    counts: dict[str, dict[str, dict[str, int]]] = {key: {} for key in keys}
    for item_key, group_key, value, count in rows:
        counts[item_key].setdefault(group_key, {})[value] = count
    return RoundBreakdown(
        round_id=round_id,
        min_n=min_n,
        items=[
            ItemBreakdown(item_key=key, groups=merge_small_groups(counts[key], min_n))
            for key in keys
        ],
    )
