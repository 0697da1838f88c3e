"""Workshop services: plain async functions over an `AsyncSession`.

The caller owns the transaction (`Database.writing()` / `reading()`): services flush, but
never commit. They raise the domain errors of `selfcheck.errors` with German messages.

One round at a time: opening a round while another round of the workshop is open is
refused (NotAllowed), not done by closing the other one silently. Closing decides which
votes count, so it stays an explicit act of the moderator; the web layer may offer
"schließen und nächste öffnen", calling `close_round` and `open_round` in one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, Protocol

from sqlalchemy import ColumnElement, Connection, Select, distinct, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import Insert

from selfcheck.db.models import (
    Assessment,
    Participant,
    Round,
    RoundItem,
    RoundReopening,
    Vote,
    Workshop,
    WorkshopNote,
    utcnow,
)
from selfcheck.errors import InvalidInput, NotAllowed, NotFound, SelfcheckError
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Field, Questionnaire
from selfcheck.workshop.codes import (
    hash_scribe_token,
    is_well_formed_join_code,
    new_join_code,
    new_scribe_token,
    normalize_join_code,
)
from selfcheck.workshop.groups import NO_GROUP, STAKEHOLDER_GROUPS
from selfcheck.workshop.totals import (
    ItemBreakdown,
    ItemTotals,
    RoundBreakdown,
    RoundTotals,
    merge_small_groups,
)

ROUND_KINDS: Final[dict[str, str]] = {
    "field": "Handlungsfeld",
    "mood": "Stimmungsbild",
    "questions": "Einzelfragen",
}
NOTE_KINDS: Final[dict[str, str]] = {
    "strength": "Stärken",
    "need": "Handlungsbedarf",
    "measure": "Maßnahmen",
}
TITLE_MAX: Final = 200
NOTE_TEXT_MAX: Final = 2000
NOTE_DETAIL_MAX: Final = 200
# Below 2 a single participant's vote would be shown on the projector.
MIN_GROUP_SIZE_RANGE: Final = range(2, 101)

WRONG_JOIN_CODE: Final = (
    "Zu diesem Code gibt es keinen Workshop. Bitte prüfen Sie die Eingabe – "
    "der Code steht auf der Leinwand."
)
ROUND_UNKNOWN: Final = "Diese Abstimmungsrunde gibt es nicht."
ROUND_NOT_OPEN: Final = "Diese Runde ist noch nicht geöffnet."
ROUND_CLOSED: Final = "Diese Runde ist bereits geschlossen – Ihre Stimme wurde nicht gezählt."
_JOIN_CODE_ATTEMPTS: Final = 10


# --- Workshops -------------------------------------------------------------------------


async def create_workshop(
    session: AsyncSession,
    assessment: Assessment,
    title: str,
    min_group_size: int = 3,
    reveal_admin_immediately: bool = False,
    *,
    new_code: Callable[[], str] = new_join_code,
) -> Workshop:
    """A workshop with a fresh, unique join code. `new_code` exists for tests."""
    title = _required_text(title, TITLE_MAX, "Bitte geben Sie einen Titel für den Workshop ein.")
    if min_group_size not in MIN_GROUP_SIZE_RANGE:
        raise InvalidInput(
            "Die Mindestzahl an Stimmen für eine Anzeige muss zwischen "
            f"{MIN_GROUP_SIZE_RANGE.start} und {MIN_GROUP_SIZE_RANGE.stop - 1} liegen."
        )
    for _ in range(_JOIN_CODE_ATTEMPTS):
        workshop = Workshop(
            assessment_id=assessment.id,
            title=title,
            join_code=new_code(),
            min_group_size=min_group_size,
            reveal_admin_immediately=reveal_admin_immediately,
        )
        if await _insert_unless_code_taken(session, workshop):
            return workshop
    raise RuntimeError(f"Kein freier Beitrittscode nach {_JOIN_CODE_ATTEMPTS} Versuchen.")


async def _insert_unless_code_taken(session: AsyncSession, workshop: Workshop) -> bool:
    # The unique constraint decides, not a prior SELECT, so two workshops created at the
    # same moment cannot share a code. The savepoint keeps the caller's transaction usable.
    try:
        async with session.begin_nested():
            session.add(workshop)
    except IntegrityError:
        taken = await session.scalar(
            select(Workshop.id).where(Workshop.join_code == workshop.join_code)
        )
        if taken is None:
            raise  # some other constraint failed: not ours to retry
        return False
    return True


async def get_workshop(session: AsyncSession, workshop_id: int) -> Workshop:
    workshop = await session.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFound("Diesen Workshop gibt es nicht (mehr).")
    return workshop


async def questionnaire_of(
    session: AsyncSession, registry: QuestionnaireRegistry, workshop: Workshop
) -> Questionnaire:
    """The questionnaire version the workshop's assessment is pinned to."""
    assessment = await session.get(Assessment, workshop.assessment_id)
    assert assessment is not None  # a foreign key guarantees it
    return registry.get(assessment.questionnaire_id, assessment.questionnaire_version)


async def workshop_by_code(session: AsyncSession, code: str) -> Workshop:
    """The workshop to a join code as typed by a participant (any case, spaces, dashes)."""
    normalized = normalize_join_code(code)
    if not is_well_formed_join_code(normalized):
        raise NotFound(WRONG_JOIN_CODE)
    # The assessment comes along: every participant request needs its questionnaire.
    workshop = await session.scalar(
        select(Workshop)
        .where(Workshop.join_code == normalized)
        .options(joinedload(Workshop.assessment))
    )
    if workshop is None:
        raise NotFound(WRONG_JOIN_CODE)
    return workshop


async def issue_scribe_token(session: AsyncSession, workshop: Workshop) -> str:
    """A new secret for the scribes' link; it replaces (and so invalidates) the old one.
    Show it once: only its hash is stored."""
    token = new_scribe_token()
    token_hash = hash_scribe_token(token)
    # An UPDATE statement, so it is written even if `workshop` came from another session.
    await session.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(scribe_token_hash=token_hash)
    )
    set_committed_value(workshop, "scribe_token_hash", token_hash)
    return token


async def workshop_by_scribe_token(session: AsyncSession, token: str) -> Workshop:
    workshop = await session.scalar(
        select(Workshop).where(Workshop.scribe_token_hash == hash_scribe_token(token))
    )
    if workshop is None:
        raise NotFound("Dieser Protokoll-Link gilt nicht (mehr). Bitte fragen Sie die Moderation.")
    return workshop


# --- Participants ----------------------------------------------------------------------


async def join(
    session: AsyncSession, workshop: Workshop, stakeholder_group: str | None
) -> Participant:
    """A new anonymous participant: a random id and, if chosen, a stakeholder group.
    An empty string counts as "keine Angabe"."""
    group = stakeholder_group or None
    if group is not None and group not in STAKEHOLDER_GROUPS:
        raise InvalidInput("Bitte wählen Sie eine der angebotenen Gruppen oder keine Angabe.")
    participant = Participant(
        id=secrets.token_hex(16), workshop_id=workshop.id, stakeholder_group=group
    )
    session.add(participant)
    await session.flush()
    return participant


async def find_participant(
    session: AsyncSession, workshop: Workshop, participant_id: str
) -> Participant | None:
    """The participant behind a cookie, if it belongs to this workshop."""
    participant = await session.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        return None
    return participant


# --- Rounds ----------------------------------------------------------------------------


def round_item_keys(
    questionnaire: Questionnaire,
    kind: str,
    field_id: str | None = None,
    question_ids: Sequence[str] = (),
) -> list[str]:
    """What a new round votes on, validated against the questionnaire."""
    if kind == "mood":
        if field_id is not None or question_ids:
            raise InvalidInput("Ein Stimmungsbild umfasst immer alle Handlungsfelder.")
        return [field.id for field in questionnaire.fields]
    if kind not in ROUND_KINDS:
        raise InvalidInput("Diese Art von Runde gibt es nicht.")
    field = _field(questionnaire, field_id)
    if kind == "field":
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


def _field(questionnaire: Questionnaire, field_id: str | None) -> Field:
    if not field_id:
        raise InvalidInput("Bitte wählen Sie ein Handlungsfeld.")
    for field in questionnaire.fields:
        if field.id == field_id:
            return field
    raise InvalidInput(f"Das Handlungsfeld „{field_id}“ gibt es in diesem Fragebogen nicht.")


def _default_round_title(questionnaire: Questionnaire, kind: str, field_id: str | None) -> str:
    if kind == "mood":
        return "Stimmungsbild: alle Handlungsfelder"
    return f"{ROUND_KINDS[kind]}: {_field(questionnaire, field_id).title}"[:TITLE_MAX]


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
        title = _default_round_title(questionnaire, kind, field_id)
    else:
        title = _required_text(title, TITLE_MAX, "Bitte geben Sie einen Titel ein.")
    round_ = Round(workshop_id=workshop.id, kind=kind, title=title, status="draft")
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
        .where(Round.workshop_id == workshop.id, Round.status == "open")
        .options(selectinload(Round.items))
    )


async def open_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """draft -> open. Opening the open round again changes nothing (a double click);
    a closed round stays closed; another open round must be closed first."""
    # Serialise round changes per workshop, so two moderators cannot open two rounds at
    # once on PostgreSQL. (SQLite ignores FOR UPDATE; BEGIN IMMEDIATE serialises there.)
    await session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    round_ = await get_round(session, workshop, round_id)
    if round_.status == "open":
        return round_
    if round_.status == "closed":
        raise NotAllowed(
            "Diese Runde ist geschlossen. Mit „Wieder öffnen“ geht es weiter, "
            "die bisherigen Stimmen bleiben erhalten."
        )
    await _refuse_while_another_runs(session, workshop)
    round_.status = "open"
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
    if round_.status == "open":
        return round_
    if round_.status == "draft":
        raise NotAllowed("Diese Runde wurde noch nicht geöffnet.")
    await _refuse_while_another_runs(session, workshop)
    session.add(
        RoundReopening(round_id=round_.id, previously_closed_at=round_.closed_at, reopened_by=by)
    )
    round_.status = "open"
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


async def set_results_hidden(session: AsyncSession, workshop: Workshop, hidden: bool) -> None:
    """Whether the projector keeps the distributions to itself (the control view shows them)."""
    await session.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(results_hidden=hidden)
    )
    set_committed_value(workshop, "results_hidden", hidden)


async def close_round(session: AsyncSession, workshop: Workshop, round_id: int) -> Round:
    """open -> closed; closing again changes nothing. On PostgreSQL the UPDATE waits for
    votes in flight (they hold a share lock on the round), and votes after it see the
    closed round: totals read after closing are final."""
    round_ = await get_round(session, workshop, round_id)
    if round_.status == "draft":
        raise NotAllowed("Diese Runde wurde noch nicht geöffnet.")
    if round_.status == "open":
        round_.status = "closed"
        round_.closed_at = utcnow()
        await session.flush()
    return round_


# --- Votes -----------------------------------------------------------------------------


def allowed_values(questionnaire: Questionnaire, kind: str) -> frozenset[str]:
    """Category numbers ("1".."4") for field and mood rounds; the questionnaire's scale
    values and its "weiß nicht" value for question rounds."""
    if kind == "questions":
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
        if state == "open":
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
            refusals.append(NotAllowed(ROUND_CLOSED if state == "closed" else ROUND_NOT_OPEN))
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


# --- Totals ----------------------------------------------------------------------------


async def round_totals(session: AsyncSession, round_id: int) -> RoundTotals:
    """Votes per item and value, counted by the database in one GROUP BY statement that
    also returns the number of voters and of joined participants (one snapshot).

    Check beforehand that the caller may see this round's workshop.
    """
    round_ = await session.get(Round, round_id, populate_existing=True)
    if round_ is None:
        raise NotFound("Diese Abstimmungsrunde gibt es nicht.")
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
        raise NotFound("Diese Abstimmungsrunde gibt es nicht.")
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


# --- Notes -----------------------------------------------------------------------------


async def add_note(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    field_id: str,
    kind: str,
    text: str,
    responsible: str = "",
    timeframe: str = "",
) -> WorkshopNote:
    """A strength, need for action or measure for one field. Only measures have a
    responsible person/office and a timeframe."""
    field = _field(questionnaire, field_id)
    if kind not in NOTE_KINDS:
        raise InvalidInput("Bitte wählen Sie Stärken, Handlungsbedarf oder Maßnahmen.")
    text = _required_text(text, NOTE_TEXT_MAX, "Bitte geben Sie einen Text ein.")
    responsible, timeframe = responsible.strip(), timeframe.strip()
    if kind != "measure" and (responsible or timeframe):
        raise InvalidInput("Verantwortliche und Zeitrahmen gibt es nur bei Maßnahmen.")
    _check_length(responsible, NOTE_DETAIL_MAX, "Die Angabe „Verantwortlich“")
    _check_length(timeframe, NOTE_DETAIL_MAX, "Die Angabe „Zeitrahmen“")
    note = WorkshopNote(
        workshop_id=workshop.id,
        field_id=field.id,
        kind=kind,
        text=text,
        responsible=responsible,
        timeframe=timeframe,
    )
    session.add(note)
    await session.flush()
    return note


async def list_notes(
    session: AsyncSession, workshop: Workshop, field_id: str | None = None
) -> list[WorkshopNote]:
    """Notes in the order they were written, optionally of one field only."""
    conditions: list[ColumnElement[bool]] = [WorkshopNote.workshop_id == workshop.id]
    if field_id is not None:
        conditions.append(WorkshopNote.field_id == field_id)
    notes = await session.scalars(select(WorkshopNote).where(*conditions).order_by(WorkshopNote.id))
    return list(notes)


async def delete_note(session: AsyncSession, workshop: Workshop, note_id: int) -> None:
    note = await session.get(WorkshopNote, note_id)
    if note is None or note.workshop_id != workshop.id:
        raise NotFound("Diese Notiz gibt es nicht (mehr).")
    await session.delete(note)
    await session.flush()


# --- Helpers ---------------------------------------------------------------------------


def _required_text(raw: str, limit: int, missing: str) -> str:
    # Browsers send line breaks in text areas as CRLF; count them as one character.
    text = raw.replace("\r\n", "\n").strip()
    if not text:
        raise InvalidInput(missing)
    _check_length(text, limit, "Der Text")
    return text


def _check_length(text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        raise InvalidInput(f"{what} darf höchstens {limit} Zeichen lang sein (jetzt: {len(text)}).")


async def votes_of(
    session: AsyncSession, participant: Participant, round_id: int
) -> dict[str, str]:
    """The participant's current votes in a round (item key -> value), to show them again."""
    rows = await session.execute(
        select(RoundItem.item_key, Vote.value)
        .join(Vote, Vote.round_item_id == RoundItem.id)
        .where(RoundItem.round_id == round_id, Vote.participant_id == participant.id)
    )
    return {item_key: value for item_key, value in rows.tuples()}
