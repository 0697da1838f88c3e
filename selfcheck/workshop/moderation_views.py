"""Moderator pages of a workshop: control view, projector view, rounds, QR code, notes.

Every handler receives the workshop (and round or note) already checked against the
moderator's municipalities: see `selfcheck.workshop.dependencies`."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from typing import Any

import segno
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import URLEncodedBody
from litestar.response import Redirect, ServerSentEvent, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, Round, User, Workshop, WorkshopNote
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import RoundKind
from selfcheck.web.addresses import (
    public_base_url,
    public_link,
    short_address,
)
from selfcheck.web.forms import FormData, checkbox, flash, optional_int, text
from selfcheck.workshop import rounds, workshops
from selfcheck.workshop.codes import format_join_code
from selfcheck.workshop.dependencies import MODERATION, Console, WorkshopFeed
from selfcheck.workshop.links import control_path, join_url
from selfcheck.workshop.live import Snapshot
from selfcheck.workshop.pages import ControlPage
from selfcheck.workshop.projector import projector_snapshot


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as SVG; it scales to any size without blurring."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, title="QR-Code zum Workshop", xmldecl=False
    )
    return buffer.getvalue()


def _whole_snapshot(snapshot: Snapshot) -> Snapshot:
    return snapshot


RoundChange = Callable[[AsyncSession, Workshop, Round, User], Awaitable[Round]]


def _round_action(action: str, name: str, change: RoundChange, done: str) -> HTTPRouteHandler:
    """A console button for one round (open, close, reopen): change the round, then back
    to the control view with `done` (a message with "{title}") as its note."""

    async def act(
        self: Controller,
        console: NamedDependency[Console],
        current_user: NamedDependency[User],
        round_: NamedDependency[Round],
    ) -> Redirect:
        await change(console.db_session, console.workshop, round_, current_user)
        return console.back(done.format(title=round_.title))

    path = f"/workshops/{{workshop_id:int}}/runden/{{round_id:int}}/{action}"
    return post(path, name=name)(act)


class WorkshopModerationController(Controller):
    path = "/"
    dependencies = MODERATION

    @post("/selbstchecks/{assessment_id:int}/workshops", name="workshop_create", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        assessment: NamedDependency[Assessment],
        data: URLEncodedBody[FormData],
    ) -> Redirect:
        min_n = optional_int(data, "min_group_size", "Mindestzahl an Stimmen")
        workshop = await workshops.create_workshop(
            db_session,
            assessment,
            text(data, "title"),
            min_group_size=3 if min_n is None else min_n,
            reveal_admin_immediately=checkbox(data, "reveal_admin_immediately"),
        )
        flash(request, f"Der Workshop „{workshop.title}“ ist angelegt.")
        return Redirect(path=control_path(request, workshop))

    @get("/workshops/{workshop_id:int}", name="workshop_control")
    async def control(self, control_page: NamedDependency[ControlPage]) -> Template:
        return await control_page.render()

    @post("/workshops/{workshop_id:int}/runden", name="round_create", status_code=200)
    async def create_round(
        self, control_page: NamedDependency[ControlPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        page = control_page
        question_ids = [key.removeprefix("q_") for key in data if key.startswith("q_")]
        try:
            round_ = await rounds.create_round(
                page.db_session,
                page.workshop,
                page.questionnaire,
                _chosen_kind(data),
                field_id=text(data, "field_id") or None,
                question_ids=question_ids,
                title=text(data, "title") or None,
            )
        except InvalidInput as refusal:
            return await page.render(error=refusal.message)
        return page.back(
            f"Die Runde „{round_.title}“ ist vorbereitet. Öffnen Sie sie, wenn es losgeht."
        )

    open_round = _round_action(
        "oeffnen",
        "round_open",
        lambda session, workshop, round_, _: rounds.open_round(session, workshop, round_.id),
        "Die Runde „{title}“ ist geöffnet.",
    )
    close_round = _round_action(
        "schliessen",
        "round_close",
        lambda session, workshop, round_, _: rounds.close_round(session, workshop, round_.id),
        "Die Runde „{title}“ ist geschlossen; das Ergebnis steht fest.",
    )
    reopen_round = _round_action(
        "wieder-oeffnen",
        "round_reopen",
        lambda session, workshop, round_, user: rounds.reopen_round(
            session, workshop, round_.id, by=user.email
        ),
        "Die Runde „{title}“ ist wieder geöffnet; die bisherigen Stimmen zählen.",
    )

    @post("/workshops/{workshop_id:int}/leinwand/ergebnisse", name="projector_results")
    async def projector_results(
        self, console: NamedDependency[Console], data: URLEncodedBody[FormData]
    ) -> Redirect:
        """Hide the distributions on the projector (vote first), or show them (reveal)."""
        hidden = text(data, "hidden")
        if hidden not in {"0", "1"}:
            raise InvalidInput("Bitte wählen Sie „Ergebnisse verbergen“ oder „zeigen“.")
        await workshops.set_results_hidden(console.db_session, console.workshop, hidden == "1")
        message = (
            "Die Leinwand zeigt nur noch, wie viele abgestimmt haben."
            if hidden == "1"
            else "Die Leinwand zeigt die Ergebnisse."
        )
        return console.back(message)

    @get("/workshops/{workshop_id:int}/leinwand", name="workshop_projector")
    async def projector(
        self,
        request: Request[Any, Any, Any],
        workshop: NamedDependency[Workshop],
        questionnaire: NamedDependency[Questionnaire],
    ) -> Template:
        return Template(
            "moderation/projector.html",
            context={
                "workshop": workshop,
                "join_code": format_join_code(workshop.join_code),
                "join_url": join_url(request, workshop),
                "short_address": short_address(public_base_url(request)),
                "questionnaire": questionnaire,
            },
        )

    @get("/workshops/{workshop_id:int}/qr.svg", name="workshop_qr", media_type="image/svg+xml")
    async def qr_code(
        self, request: Request[Any, Any, Any], workshop: NamedDependency[Workshop]
    ) -> Response[bytes]:
        return Response(qr_svg(join_url(request, workshop)), media_type="image/svg+xml")

    @get("/workshops/{workshop_id:int}/live", name="workshop_live")
    async def live(self, feed: NamedDependency[WorkshopFeed]) -> ServerSentEvent:
        return feed.stream(_whole_snapshot)

    @get("/workshops/{workshop_id:int}/stand", name="workshop_state")
    async def state(self, feed: NamedDependency[WorkshopFeed]) -> Snapshot:
        """The control view's polling fallback when the event stream cannot be held."""
        return await feed.snapshot()

    @get("/workshops/{workshop_id:int}/leinwand/live", name="projector_live")
    async def projector_live(self, feed: NamedDependency[WorkshopFeed]) -> ServerSentEvent:
        return feed.stream(projector_snapshot)

    @get("/workshops/{workshop_id:int}/leinwand/stand", name="projector_state")
    async def projector_state(self, feed: NamedDependency[WorkshopFeed]) -> Snapshot:
        """The projector's polling fallback: what its event stream would send."""
        return projector_snapshot(await feed.snapshot())

    @post("/workshops/{workshop_id:int}/notizen", name="notes_add", status_code=200)
    async def add_note(
        self, control_page: NamedDependency[ControlPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        return await control_page.add_note(data)

    @post("/workshops/{workshop_id:int}/notizen/{note_id:int}/loeschen", name="notes_delete")
    async def delete_note(
        self, control_page: NamedDependency[ControlPage], note: NamedDependency[WorkshopNote]
    ) -> Redirect:
        return await control_page.delete_note(note)

    @post("/workshops/{workshop_id:int}/protokoll-link", name="scribe_link", status_code=200)
    async def scribe_link(self, control_page: NamedDependency[ControlPage]) -> Template:
        page = control_page
        token = await workshops.issue_scribe_token(page.db_session, page.workshop)
        path = page.request.app.route_reverse("notes_scribe", token=token)
        return await page.render(scribe_url=public_link(page.request, path))


def _chosen_kind(data: FormData) -> RoundKind:
    try:
        return RoundKind(text(data, "kind"))
    except ValueError:
        raise InvalidInput("Bitte wählen Sie die Art der Runde.") from None
