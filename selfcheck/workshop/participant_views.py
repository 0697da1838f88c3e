"""Participant pages: join with the code from the projector, vote from the phone.

Participants are anonymous: a random id in a cookie, nothing else (no IP address, no user
agent). Without JavaScript every vote is a plain form post; with it, vote.js sends votes
in the background, keeps unacknowledged ones on the phone and retries them.
"""

from __future__ import annotations

import time
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, URLEncodedBody
from litestar.response import Redirect, ServerSentEvent, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.ratelimit import RateLimiter
from selfcheck.db.models import Participant, Workshop
from selfcheck.errors import SelfcheckError
from selfcheck.web.forms import FormData, flash, text
from selfcheck.workshop import steps, workshops
from selfcheck.workshop.codes import normalize_join_code
from selfcheck.workshop.dependencies import (
    PARTICIPANT,
    CodeEntry,
    WorkshopFeed,
    counting_wrong_codes,
    participant_cookie,
)
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS
from selfcheck.workshop.live import Snapshot
from selfcheck.workshop.pages import PhoneRound
from selfcheck.workshop.vote_targets import VoteTarget, VoteTargets
from selfcheck.workshop.vote_writer import VoteWriter

PARTICIPANT_COOKIE_MAX_AGE = 3 * 24 * 60 * 60
# Only failed codes count: a whole town hall may share one public address.
WRONG_CODES_PER_CLIENT = 30
WRONG_CODE_WINDOW_SECONDS = 300


def new_join_limiter() -> RateLimiter:
    return RateLimiter(WRONG_CODES_PER_CLIENT, per_seconds=WRONG_CODE_WINDOW_SECONDS)


class RoundSignal(msgspec.Struct, frozen=True):
    """What a phone needs to follow the moderator: which round is shown, and its state."""

    round_id: int | None
    status: str | None


def round_signal(snapshot: Snapshot) -> RoundSignal:
    shown = snapshot.round
    return RoundSignal(shown.id if shown else None, shown.status if shown else None)


def _participant_page(request: Request[Any, Any, Any], code: str, step: str = "") -> str:
    """The phone's page of the workshop; `step` is a query ("?schritt=2") or empty."""
    return request.app.route_reverse("workshop_participant", code=code) + step


async def _vote_target(
    request: Request[Any, Any, Any], targets: VoteTargets, code: str, data: dict[str, str]
) -> VoteTarget:
    """The vote checked against cached lookups; unknown codes count as guesses."""
    workshop = await counting_wrong_codes(request, lambda: targets.workshop(code))
    round_id = text(data, "round_id")
    return await targets.resolve(
        code,
        request.cookies.get(participant_cookie(workshop.id)),
        int(round_id) if round_id.isdigit() and len(round_id) < 10 else -1,
        text(data, "item_key"),
        text(data, "value"),
    )


class ParticipantController(Controller):
    dependencies = PARTICIPANT

    @get("/teilnehmen", name="join_code_form", status_code=200)
    async def code_form(
        self, code_entry: NamedDependency[CodeEntry], code: FromQuery[str | None] = None
    ) -> Template | Redirect:
        """The form; with `?code=` (the start page's field, no JavaScript needed) straight
        into the workshop."""
        return code_entry.form() if code is None else await code_entry.enter(code)

    @post("/teilnehmen", name="join_code_submit", status_code=200)
    async def code_submit(
        self, code_entry: NamedDependency[CodeEntry], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        return await code_entry.enter(text(data, "code"))

    @get("/w/{code:str}", name="workshop_participant")
    async def page(
        self,
        request: Request[Any, Any, Any],
        phone_round: NamedDependency[PhoneRound],
        code: FromPath[str],
        schritt: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        workshop = phone_round.workshop
        if code != workshop.join_code:
            return Redirect(path=_participant_page(request, workshop.join_code))
        if phone_round.participant is None:
            return Template(
                "workshop/join.html",
                context={"workshop": workshop, "groups": STAKEHOLDER_GROUPS},
            )
        context = await phone_round.context(schritt)
        return Template("workshop/vote.html", context=context)

    @post("/w/{code:str}/beitreten", name="workshop_join")
    async def join(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        feed: NamedDependency[WorkshopFeed],
        workshop: NamedDependency[Workshop],
        participant: NamedDependency[Participant | None],
        data: URLEncodedBody[FormData],
    ) -> Redirect:
        if participant is None:
            participant = await workshops.join(db_session, workshop, text(data, "group") or None)
        return Redirect(
            path=_participant_page(request, workshop.join_code),
            cookies=[
                Cookie(
                    key=participant_cookie(workshop.id),
                    value=participant.id,
                    max_age=PARTICIPANT_COOKIE_MAX_AGE,
                    httponly=True,
                    samesite="lax",
                    secure=request.app.state.settings.secure_cookies,
                    path="/",
                )
            ],
            background=feed.announce(),
        )

    @get("/w/{code:str}/runde", name="workshop_round_fragment")
    async def round_fragment(self, phone_round: NamedDependency[PhoneRound]) -> Template:
        """The round area alone, fetched by vote.js when the moderator opens or closes a round."""
        return Template("workshop/round.html", context=await phone_round.context())

    @post("/w/{code:str}/stimme", name="workshop_vote", status_code=200)
    async def vote(
        self, request: Request[Any, Any, Any], code: FromPath[str], data: URLEncodedBody[FormData]
    ) -> Response[Any]:
        """The hot path of a workshop (hundreds of phones at once). It checks the vote
        against cached lookups and hands it to the process's vote writer, which answers
        once the batch holding the vote is committed. The Server-Timing header tells how
        long that took on the server (for the benchmark)."""
        started = time.perf_counter()
        wants_json = "application/json" in request.headers.get("accept", "")
        targets: VoteTargets = request.app.state.vote_targets
        writer: VoteWriter = request.app.state.vote_writer
        value = text(data, "value")
        # Without JavaScript, "Weiter" posts the form: on to the next step, voting only if
        # something was chosen.
        step = steps.step_query(text(data, "weiter"))
        if step and not value and not wants_json:
            return Redirect(path=_participant_page(request, normalize_join_code(code), step))
        try:
            target = await _vote_target(request, targets, code, data)
            await writer.submit(target)
        except SelfcheckError as error:
            if wants_json:
                body = {"ok": False, "detail": error.message}
                return Response(body, status_code=error.status_code)
            flash(request, f"Nicht gezählt: {error.message}")
            return Redirect(path=_participant_page(request, normalize_join_code(code)))
        timing = {"Server-Timing": f"vote;dur={(time.perf_counter() - started) * 1000:.2f}"}
        if wants_json:
            saved = {"ok": True, "detail": "Ihre Stimme ist gespeichert."}
            return Response(saved, headers=timing)
        flash(request, "Ihre Stimme ist gespeichert.")
        return Redirect(path=_participant_page(request, target.join_code, step), headers=timing)

    @get("/w/{code:str}/live", name="workshop_participant_live")
    async def live(self, feed: NamedDependency[WorkshopFeed]) -> ServerSentEvent:
        return feed.stream(round_signal)

    @get("/w/{code:str}/stand", name="workshop_participant_state")
    async def state(self, feed: NamedDependency[WorkshopFeed]) -> RoundSignal:
        """Polling fallback for phones whose connection cannot hold the event stream."""
        return round_signal(await feed.snapshot())
