"""Clients that keep writing to the real server and remember what it acknowledged.

A writer sends one request at a time. Before sending it notes the request as in flight;
on a 2xx answer the write counts as acknowledged. If the server dies meanwhile, the last
write is unknown: the database may hold it or the acknowledged one before it – never
anything older. `problems()` compares that with what the database holds.

New kinds of writes (another endpoint, another kind of data) are new writer classes with
the same three methods; the fault tests take any list of writers.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx
from sqlalchemy import select

from selfcheck.assessments.answers import Saved, save_answer
from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, Assessment, Round, RoundItem, Vote
from selfcheck.questionnaire.schema import Questionnaire

REQUEST_TIMEOUT = 20.0
ANSWER_VALUES = ("ja", "teilweise", "nein", "weiss_nicht")


class Writer(Protocol):
    name: str
    acknowledged: int
    responses: list[tuple[int, str]]  # status and body start of every answer received

    async def prepare(self, base_url: str) -> None: ...

    async def write_once(self) -> None: ...

    async def problems(self, database: Database) -> list[str]: ...

    async def close(self) -> None: ...


@dataclass
class _Base:
    name: str
    client: httpx.AsyncClient = field(init=False)
    acknowledged: int = 0
    responses: list[tuple[int, str]] = field(default_factory=list)
    counter: int = 0

    async def _open(self, base_url: str) -> None:
        self.client = httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT)
        await self.client.get("/")  # the CSRF cookie

    @property
    def csrf(self) -> dict[str, str]:
        return {"x-csrftoken": self.client.cookies["selfcheck_csrf"]}

    def _record(self, response: httpx.Response) -> None:
        self.responses.append((response.status_code, response.text[:200]))

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class AutosavingEditor(_Base):
    """A staff member typing into their own questions, as the field page autosaves: via
    the htmx form endpoint or the JSON API."""

    token: str = ""
    assessment_id: int = 0
    question_ids: Sequence[str] = ()
    use_api: bool = False
    acked: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    in_flight: dict[str, tuple[str, str]] = field(default_factory=dict)

    async def prepare(self, base_url: str) -> None:
        await self._open(base_url)

    async def write_once(self) -> None:
        self.counter += 1
        question_id = self.question_ids[self.counter % len(self.question_ids)]
        value = ANSWER_VALUES[self.counter % len(ANSWER_VALUES)]
        comment = f"{self.name}, Fassung {self.counter}"
        version = self.acked[question_id][2] if question_id in self.acked else 0
        self.in_flight[question_id] = (value, comment)
        if self.use_api:
            response = await self.client.post(
                f"/api/staff/{self.token}/answers/{question_id}",
                json={"value": value, "comment": comment, "base_version": version},
                headers=self.csrf,
            )
            new_version = int(response.json()["version"]) if response.status_code == 200 else 0
        else:
            response = await self.client.post(
                f"/s/{self.token}/antworten/{question_id}",
                data={
                    f"value_{question_id}": value,
                    f"comment_{question_id}": comment,
                    f"version_{question_id}": str(version),
                },
                headers={**self.csrf, "hx-request": "true"},
            )
            found = re.search(rf'id="version-{question_id}"[^>]*value="(\d+)"', response.text)
            new_version = int(found.group(1)) if found else 0
        self._record(response)
        if response.status_code == 200:
            assert new_version > version, f"{self.name}: Version {new_version} nach {version}"
            self.acked[question_id] = (value, comment, new_version)
            self.acknowledged += 1
        del self.in_flight[question_id]  # answered: whatever it was, it is known now

    async def problems(self, database: Database) -> list[str]:
        async with database.reading() as session:
            rows = await session.execute(
                select(Answer.question_id, Answer.value, Answer.comment, Answer.version).where(
                    Answer.assessment_id == self.assessment_id,
                    Answer.question_id.in_(list(self.question_ids)),
                )
            )
            stored = {q: (v or "", c, n) for q, v, c, n in rows.all()}
        found = []
        for question_id, (value, comment, version) in self.acked.items():
            have = stored.get(question_id)
            maybe = self.in_flight.get(question_id)
            if have == (value, comment, version):
                continue
            if maybe is not None and have is not None and have[:2] == maybe:
                continue  # the unacknowledged last save made it, too
            found.append(
                f"{self.name} {question_id}: bestätigt {value!r}/{comment!r}, da ist {have}"
            )
        return found


@dataclass
class VotingParticipant(_Base):
    """A workshop participant who keeps changing their votes in the open round."""

    join_code: str = ""
    round_id: int = 0
    item_keys: Sequence[str] = ()
    participant_id: str = ""
    acked: dict[str, str] = field(default_factory=dict)
    in_flight: dict[str, str] = field(default_factory=dict)

    async def prepare(self, base_url: str) -> None:
        await self._open(base_url)
        joined = await self.client.post(
            f"/w/{self.join_code}/beitreten", data={"group": ""}, headers=self.csrf
        )
        assert joined.status_code in {302, 303}, joined.text[:300]
        cookie = next(name for name in self.client.cookies if name.startswith("selfcheck_p"))
        self.participant_id = self.client.cookies[cookie]

    async def write_once(self) -> None:
        self.counter += 1
        item = self.item_keys[self.counter % len(self.item_keys)]
        value = str(self.counter % 4 + 1)
        self.in_flight[item] = value
        response = await self.client.post(
            f"/w/{self.join_code}/stimme",
            data={"round_id": str(self.round_id), "item_key": item, "value": value},
            headers={**self.csrf, "accept": "application/json"},
        )
        self._record(response)
        if response.status_code == 200 and response.json().get("ok"):
            self.acked[item] = value
            self.acknowledged += 1
        del self.in_flight[item]

    async def problems(self, database: Database) -> list[str]:
        async with database.reading() as session:
            rows = await session.execute(
                select(RoundItem.item_key, Vote.value)
                .join(RoundItem, Vote.round_item_id == RoundItem.id)
                .join(Round, RoundItem.round_id == Round.id)
                .where(Vote.participant_id == self.participant_id, Round.id == self.round_id)
            )
            stored = {item: value for item, value in rows}
        return [
            f"{self.name} {item}: bestätigt {value!r}, da ist {stored.get(item)!r}"
            for item, value in self.acked.items()
            if stored.get(item) != value and stored.get(item) != self.in_flight.get(item)
        ]


@dataclass
class Burst:
    """Writers writing concurrently until stopped or until the server goes away."""

    writers: Sequence[Any]
    cut_off: int = 0  # requests that were in flight when the server died
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    stopped: asyncio.Event = field(default_factory=asyncio.Event)

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._loop(w)) for w in self.writers]

    async def _loop(self, writer: Writer) -> None:
        while not self.stopped.is_set():
            try:
                await writer.write_once()
            except httpx.TransportError:
                self.cut_off += 1
                return

    @property
    def acknowledged(self) -> int:
        return sum(w.acknowledged for w in self.writers)

    async def wait_for_acknowledged(self, count: int, within: float) -> None:
        deadline = asyncio.get_running_loop().time() + within
        while self.acknowledged < count:
            for task in self.tasks:
                if task.done() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]  # a writer's own failure
            assert asyncio.get_running_loop().time() < deadline, (
                f"nur {self.acknowledged} von {count} Schreibvorgängen in {within} s"
            )
            await asyncio.sleep(0.02)

    async def finish(self, within: float = 30.0) -> None:
        self.stopped.set()
        async with asyncio.timeout(within):
            await asyncio.gather(*self.tasks)

    def server_errors(self) -> list[tuple[str, int, str]]:
        return [(w.name, s, body) for w in self.writers for s, body in w.responses if s >= 500]


async def write_answers_from_another_process(
    database: Database,
    questionnaire: Questionnaire,
    assessment_id: int,
    questions: list[str],
    count: int,
) -> int:
    """Read-then-write transactions with connections of this process, as `selfcheck import`
    beside the server would make them; returns how many went through."""
    versions = dict.fromkeys(questions, 0)
    for n in range(count):
        question_id = questions[n % len(questions)]
        async with database.writing() as session:
            assessment = await session.get(Assessment, assessment_id)
            assert assessment is not None
            saved = await save_answer(
                session,
                assessment,
                questionnaire,
                question_id=question_id,
                value="ja",
                comment=f"Kommandozeile {n}",
                base_version=versions[question_id],
                editor="Kommandozeile",
            )
        assert isinstance(saved, Saved)
        versions[question_id] = saved.answer.version
        await asyncio.sleep(0.005)
    return count
