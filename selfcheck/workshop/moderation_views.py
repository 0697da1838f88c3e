"""Moderator pages of a workshop: control view, projector view, rounds, QR code, notes."""

from __future__ import annotations

import io
from typing import Any

import segno
from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.response import Redirect, ServerSentEvent, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for, workshop_for
from selfcheck.db.models import User, Workshop
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.web.addresses import (
    loopback_warning,
    public_base_url,
    public_link,
    short_address,
)
from selfcheck.web.forms import FormData, checkbox, flash, optional_int, pop_flash, text
from selfcheck.workshop import services
from selfcheck.workshop.codes import format_join_code
from selfcheck.workshop.console import console_state
from selfcheck.workshop.live import LiveHub, Snapshot
from selfcheck.workshop.notes_views import add_note_from_form, notes_context
from selfcheck.workshop.projector import projector_snapshot
from selfcheck.workshop.streams import snapshot_stream


def join_url(request: Request[Any, Any, Any], workshop: Workshop) -> str:
    return public_link(request, f"/w/{workshop.join_code}")


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as SVG; it scales to any size without blurring."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, title="QR-Code zum Workshop", xmldecl=False
    )
    return buffer.getvalue()


def _whole_snapshot(snapshot: Snapshot) -> Snapshot:
    return snapshot


class WorkshopModerationController(Controller):
    path = "/"

    @post("/selbstchecks/{assessment_id:int}/workshops", name="workshop_create", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        assessment_id: int,
        data: FormData,
    ) -> Redirect:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        min_n = optional_int(data, "min_group_size", "Mindestzahl an Stimmen")
        workshop = await services.create_workshop(
            db_session,
            assessment,
            text(data, "title"),
            min_group_size=3 if min_n is None else min_n,
            reveal_admin_immediately=checkbox(data, "reveal_admin_immediately"),
        )
        flash(request, f"Der Workshop „{workshop.title}“ ist angelegt.")
        return Redirect(path=f"/moderation/workshops/{workshop.id}")

    @get("/workshops/{workshop_id:int}", name="workshop_control")
    async def control(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        workshop_id: int,
    ) -> Template:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return await _control_page(request, db_session, registry, workshop)

    @post("/workshops/{workshop_id:int}/runden", name="round_create", status_code=200)
    async def create_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        workshop_id: int,
        data: FormData,
    ) -> Template | Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        questionnaire = await services.questionnaire_of(db_session, registry, workshop)
        kind = text(data, "kind")
        question_ids = [key.removeprefix("q_") for key in data if key.startswith("q_")]
        try:
            if kind not in services.ROUND_KINDS:
                raise InvalidInput("Bitte wählen Sie die Art der Runde.")
            round_ = await services.create_round(
                db_session,
                workshop,
                questionnaire,
                kind,
                field_id=text(data, "field_id") or None,
                question_ids=question_ids,
                title=text(data, "title") or None,
            )
        except InvalidInput as error:
            return await _control_page(request, db_session, registry, workshop, error=error.message)
        flash(
            request, f"Die Runde „{round_.title}“ ist vorbereitet. Öffnen Sie sie, wenn es losgeht."
        )
        return Redirect(path=f"/moderation/workshops/{workshop.id}")

    @post("/workshops/{workshop_id:int}/runden/{round_id:int}/oeffnen", name="round_open")
    async def open_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        round_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        round_ = await services.open_round(db_session, workshop, round_id)
        return _round_changed(
            request, live_hub, workshop, f"Die Runde „{round_.title}“ ist geöffnet."
        )

    @post("/workshops/{workshop_id:int}/runden/{round_id:int}/schliessen", name="round_close")
    async def close_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        round_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        round_ = await services.close_round(db_session, workshop, round_id)
        message = f"Die Runde „{round_.title}“ ist geschlossen; das Ergebnis steht fest."
        return _round_changed(request, live_hub, workshop, message)

    @post("/workshops/{workshop_id:int}/runden/{round_id:int}/wieder-oeffnen", name="round_reopen")
    async def reopen_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        round_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        round_ = await services.reopen_round(db_session, workshop, round_id, by=current_user.email)
        message = f"Die Runde „{round_.title}“ ist wieder geöffnet; die bisherigen Stimmen zählen."
        return _round_changed(request, live_hub, workshop, message)

    @post("/workshops/{workshop_id:int}/leinwand/ergebnisse", name="projector_results")
    async def projector_results(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        data: FormData,
    ) -> Redirect:
        """Hide the distributions on the projector (vote first), or show them (reveal)."""
        workshop = await workshop_for(db_session, current_user, workshop_id)
        hidden = text(data, "hidden")
        if hidden not in {"0", "1"}:
            raise InvalidInput("Bitte wählen Sie „Ergebnisse verbergen“ oder „zeigen“.")
        await services.set_results_hidden(db_session, workshop, hidden == "1")
        message = (
            "Die Leinwand zeigt nur noch, wie viele abgestimmt haben."
            if hidden == "1"
            else "Die Leinwand zeigt die Ergebnisse."
        )
        return _round_changed(request, live_hub, workshop, message)

    @get("/workshops/{workshop_id:int}/leinwand", name="workshop_projector")
    async def projector(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        workshop_id: int,
    ) -> Template:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        questionnaire = await services.questionnaire_of(db_session, registry, workshop)
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
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        workshop_id: int,
    ) -> Response[bytes]:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return Response(qr_svg(join_url(request, workshop)), media_type="image/svg+xml")

    @get("/workshops/{workshop_id:int}/live", name="workshop_live")
    async def live(
        self, db_session: AsyncSession, current_user: User, live_hub: LiveHub, workshop_id: int
    ) -> ServerSentEvent:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return snapshot_stream(live_hub, workshop.id, _whole_snapshot)

    @get("/workshops/{workshop_id:int}/leinwand/live", name="projector_live")
    async def projector_live(
        self, db_session: AsyncSession, current_user: User, live_hub: LiveHub, workshop_id: int
    ) -> ServerSentEvent:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return snapshot_stream(live_hub, workshop.id, projector_snapshot)

    @get("/workshops/{workshop_id:int}/leinwand/stand", name="projector_state")
    async def projector_state(
        self, db_session: AsyncSession, current_user: User, live_hub: LiveHub, workshop_id: int
    ) -> Snapshot:
        """The projector's polling fallback: what its event stream would send."""
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return projector_snapshot(await live_hub.read_snapshot(workshop.id))

    @get("/workshops/{workshop_id:int}/stand", name="workshop_state")
    async def state(
        self, db_session: AsyncSession, current_user: User, live_hub: LiveHub, workshop_id: int
    ) -> Snapshot:
        """Polling fallback for the projector when the event stream cannot be held."""
        workshop = await workshop_for(db_session, current_user, workshop_id)
        return await live_hub.read_snapshot(workshop.id)

    @post("/workshops/{workshop_id:int}/notizen", name="notes_add", status_code=200)
    async def add_note(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        workshop_id: int,
        data: FormData,
    ) -> Template | Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        questionnaire = await services.questionnaire_of(db_session, registry, workshop)
        try:
            await add_note_from_form(db_session, workshop, questionnaire, data)
        except InvalidInput as error:
            return await _control_page(request, db_session, registry, workshop, error=error.message)
        flash(request, "Die Notiz ist gespeichert.")
        return Redirect(
            path=f"/moderation/workshops/{workshop.id}#notizen-{text(data, 'field_id')}"
        )

    @post("/workshops/{workshop_id:int}/notizen/{note_id:int}/loeschen", name="notes_delete")
    async def delete_note(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        workshop_id: int,
        note_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        await services.delete_note(db_session, workshop, note_id)
        flash(request, "Die Notiz ist gelöscht.")
        return Redirect(path=f"/moderation/workshops/{workshop.id}")

    @post("/workshops/{workshop_id:int}/protokoll-link", name="scribe_link", status_code=200)
    async def scribe_link(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        workshop_id: int,
    ) -> Template:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        token = await services.issue_scribe_token(db_session, workshop)
        url = public_link(request, f"/protokoll/{token}")
        return await _control_page(request, db_session, registry, workshop, scribe_url=url)


def _round_changed(
    request: Request[Any, Any, Any], live_hub: LiveHub, workshop: Workshop, message: str
) -> Redirect:
    """Back to the control view; phones and projectors learn of it after the commit."""
    flash(request, message)
    return Redirect(
        path=f"/moderation/workshops/{workshop.id}",
        background=BackgroundTask(live_hub.changed, workshop.id),
    )


async def _control_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    workshop: Workshop,
    *,
    error: str | None = None,
    scribe_url: str | None = None,
) -> Template:
    questionnaire = await services.questionnaire_of(db_session, registry, workshop)
    await db_session.refresh(workshop, ["assessment"])
    await db_session.refresh(workshop.assessment, ["municipality"])
    rounds = await services.list_rounds(db_session, workshop)
    return Template(
        "moderation/workshop.html",
        context={
            "workshop": workshop,
            "assessment": workshop.assessment,
            "municipality": workshop.assessment.municipality,
            "join_code": format_join_code(workshop.join_code),
            "join_url": join_url(request, workshop),
            "rounds": rounds,
            "console": console_state(rounds),
            "reopenings": await services.reopenings_of(db_session, workshop),
            "round_titles": {r.id: r.title for r in rounds},
            "address_warning": loopback_warning(request),
            "round_kinds": services.ROUND_KINDS,
            "questionnaire": questionnaire,
            "flash": pop_flash(request),
            "error": error,
            "scribe_url": scribe_url,
            **await notes_context(db_session, workshop, questionnaire),
        },
        status_code=422 if error else 200,
    )
