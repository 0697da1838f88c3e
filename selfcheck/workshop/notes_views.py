"""Small-group notes per field: strengths, needs for action, measures. The moderator
records them in the control view; a scribe can use a separate link without an account."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Workshop, WorkshopNote
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import NoteKind
from selfcheck.web.forms import FormData, flash, pop_flash, text
from selfcheck.workshop import notes
from selfcheck.workshop.dependencies import SCRIBE


@dataclass(frozen=True)
class NoteLinks:
    """Where the notes form posts to and deletes from: the moderator's or the scribe's routes."""

    add: str
    delete: Callable[[int], str]


def moderator_note_links(request: Request[Any, Any, Any], workshop: Workshop) -> NoteLinks:
    reverse = request.app.route_reverse
    return NoteLinks(
        add=reverse("notes_add", workshop_id=workshop.id),
        delete=lambda note_id: reverse("notes_delete", workshop_id=workshop.id, note_id=note_id),
    )


def scribe_note_links(request: Request[Any, Any, Any], token: str) -> NoteLinks:
    reverse = request.app.route_reverse
    return NoteLinks(
        add=reverse("notes_scribe", token=token),
        delete=lambda note_id: reverse("notes_delete_scribe", token=token, note_id=note_id),
    )


async def notes_context(
    session: AsyncSession, workshop: Workshop, questionnaire: Questionnaire, links: NoteLinks
) -> dict[str, Any]:
    """What partials/notes.html needs."""
    listed = await notes.list_notes(session, workshop)
    by_field = {
        field.id: [n for n in listed if n.field_id == field.id] for field in questionnaire.fields
    }
    return {"notes_by_field": by_field, "note_kinds": NoteKind, "note_links": links}


async def add_note_from_form(
    session: AsyncSession, workshop: Workshop, questionnaire: Questionnaire, data: dict[str, str]
) -> None:
    await notes.add_note(
        session,
        workshop,
        questionnaire,
        text(data, "field_id"),
        text(data, "kind"),
        data.get("text", ""),
        responsible=text(data, "responsible"),
        timeframe=text(data, "timeframe"),
    )


class ScribeNotesController(Controller):
    path = "/protokoll/{token:str}"
    dependencies = SCRIBE

    @get("/", name="notes_scribe")
    async def page(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        workshop: NamedDependency[Workshop],
        questionnaire: NamedDependency[Questionnaire],
        token: FromPath[str],
    ) -> Template:
        return await _scribe_page(request, db_session, workshop, questionnaire, token)

    @post("/", name="notes_add_scribe", status_code=200)
    async def add(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        workshop: NamedDependency[Workshop],
        questionnaire: NamedDependency[Questionnaire],
        token: FromPath[str],
        data: URLEncodedBody[FormData],
    ) -> Template | Redirect:
        try:
            await add_note_from_form(db_session, workshop, questionnaire, data)
        except InvalidInput as refusal:
            return await _scribe_page(
                request,
                db_session,
                workshop,
                questionnaire,
                token,
                error=refusal.message,
                form=data,
            )
        flash(request, "Die Notiz ist gespeichert.")
        page = request.app.route_reverse("notes_scribe", token=token)
        return Redirect(path=f"{page}#notizen-{text(data, 'field_id')}")

    @post("/{note_id:int}/loeschen", name="notes_delete_scribe")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        note: NamedDependency[WorkshopNote],
        token: FromPath[str],
    ) -> Redirect:
        await notes.remove_note(db_session, note)
        flash(request, "Die Notiz ist gelöscht.")
        return Redirect(path=request.app.route_reverse("notes_scribe", token=token))


async def _scribe_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    token: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Template:
    links = scribe_note_links(request, token)
    return Template(
        "workshop/scribe.html",
        context={
            "workshop": workshop,
            "questionnaire": questionnaire,
            "flash": pop_flash(request),
            "error": error,
            "form": form or {},
            **await notes_context(db_session, workshop, questionnaire, links),
        },
        status_code=422 if error else 200,
    )
