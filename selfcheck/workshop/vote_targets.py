"""What a vote refers to, looked up once per process.

A join code, the workshop a participant belongs to and the items of a round never change
once created, so the hot path of a workshop (every vote from every phone) need not read
them again. Only whether the round is still open is checked each time, inside the
transaction that writes the vote (`vote_writer`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from selfcheck.db.engine import Database
from selfcheck.db.models import Participant, Round
from selfcheck.errors import NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.workshop import votes, workshops
from selfcheck.workshop.codes import normalize_join_code

BULK_FILL_SECONDS = 1.0  # at most one read of a room's participants per second
_MAX_ENTRIES = 100_000  # per kind; forgotten all at once beyond that (they are re-read)
NOT_JOINED = "Bitte treten Sie dem Workshop zuerst bei."


@dataclass(frozen=True)
class _Workshop:
    id: int
    join_code: str
    questionnaire_id: str
    questionnaire_version: str


@dataclass(frozen=True)
class _Round:
    workshop_id: int
    kind: str
    item_ids: dict[str, int]


@dataclass(frozen=True)
class VoteTarget:
    workshop_id: int
    join_code: str
    participant_id: str
    round_id: int
    round_item_id: int
    value: str


class VoteTargets:
    def __init__(self, database: Database, registry: QuestionnaireRegistry) -> None:
        self._database = database
        self._registry = registry
        self._workshops: dict[str, _Workshop] = {}
        self._participants: dict[str, int] = {}
        self._rounds: dict[int, _Round] = {}
        self._filled: dict[int, float] = {}  # workshop -> when its participants were read

    async def resolve(
        self, code: str, participant_id: str | None, round_id: int, item_key: str, value: str
    ) -> VoteTarget:
        """Checks everything about a vote except whether its round is still open.
        Raises NotFound for an unknown code (the caller counts those as guesses)."""
        workshop = await self.workshop(code)
        joined = participant_id and await self._participant_workshop(participant_id, workshop.id)
        if not participant_id or joined != workshop.id:
            raise NotFound(NOT_JOINED)
        round_ = await self._round(round_id)
        item_id = votes.vote_item_id(
            self._registry.get(workshop.questionnaire_id, workshop.questionnaire_version),
            workshop_id=workshop.id,
            round_workshop_id=round_.workshop_id,
            kind=round_.kind,
            item_ids=round_.item_ids,
            item_key=item_key,
            value=value,
        )
        return VoteTarget(workshop.id, workshop.join_code, participant_id, round_id, item_id, value)

    async def workshop(self, code: str) -> _Workshop:
        normalized = normalize_join_code(code)
        cached = self._workshops.get(normalized)
        if cached is not None:
            return cached
        async with self._database.reading() as session:
            found = await workshops.workshop_by_code(session, normalized)
            entry = _Workshop(
                found.id,
                found.join_code,
                found.assessment.questionnaire_id,
                found.assessment.questionnaire_version,
            )
        _remember(self._workshops, normalized, entry)
        return entry

    async def _participant_workshop(self, participant_id: str, workshop_id: int) -> int | None:
        cached = self._participants.get(participant_id)
        if cached is not None:
            return cached
        now = time.monotonic()
        async with self._database.reading() as session:
            if now - self._filled.get(workshop_id, -BULK_FILL_SECONDS) >= BULK_FILL_SECONDS:
                # The phones of a room start voting within seconds, and every worker process
                # has its own cache: read the room's participants at once, not one by one.
                self._filled[workshop_id] = now
                found = await session.scalars(
                    select(Participant.id).where(Participant.workshop_id == workshop_id)
                )
                for known in found:
                    _remember(self._participants, known, workshop_id)
                return self._participants.get(participant_id)
            participant = await session.get(Participant, participant_id)
            if participant is None:
                return None
            workshop = participant.workshop_id
        _remember(self._participants, participant_id, workshop)
        return workshop

    async def _round(self, round_id: int) -> _Round:
        cached = self._rounds.get(round_id)
        if cached is not None:
            return cached
        async with self._database.reading() as session:
            found = await session.scalar(
                select(Round).where(Round.id == round_id).options(selectinload(Round.items))
            )
            if found is None:
                raise NotFound(votes.ROUND_UNKNOWN)
            entry = _Round(found.workshop_id, found.kind, {i.item_key: i.id for i in found.items})
        _remember(self._rounds, round_id, entry)
        return entry


K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: dict[K, V], key: K, value: V) -> None:
    if len(cache) >= _MAX_ENTRIES:
        cache.clear()
    cache[key] = value
