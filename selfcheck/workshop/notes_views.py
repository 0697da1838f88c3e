"""Small-group notes per field: strengths, needs for action, measures. The moderator
records them in the control view; a scribe can use a separate link without an account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Workshop
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.web.forms import FormData, flash, pop_flash, text
from selfcheck.workshop import services


async def notes_context(
    session: AsyncSession, workshop: Workshop, questionnaire: Questionnaire
) -> dict[str, Any]:
    notes = await services.list_notes(session, workshop)
    by_field = {
        field.id: [n for n in notes if n.field_id == field.id] for field in questionnaire.fields
    }
    return {"notes_by_field": by_field, "note_kinds": services.NOTE_KINDS}


async def add_note_from_form(
    session: AsyncSession, workshop: Workshop, questionnaire: Questionnaire, data: dict[str, str]
) -> None:
    await services.add_note(
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

    @get("/", name="notes_scribe")
    async def page(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        token: str,
    ) -> Template:
        workshop = await services.workshop_by_scribe_token(db_session, token)
        return await _scribe_page(request, db_session, registry, workshop, token)

    @post("/", name="notes_add_scribe", status_code=200)
    async def add(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        registry: QuestionnaireRegistry,
        token: str,
        data: FormData,
    ) -> Template | Redirect:
        workshop = await services.workshop_by_scribe_token(db_session, token)
        questionnaire = await services.questionnaire_of(db_session, registry, workshop)
        try:
            await add_note_from_form(db_session, workshop, questionnaire, data)
        except InvalidInput as error:
            return await _scribe_page(
                request, db_session, registry, workshop, token, error=error.message, form=data
            )
        flash(request, "Die Notiz ist gespeichert.")
        return Redirect(path=f"/protokoll/{token}#notizen-{text(data, 'field_id')}")

    @post("/{note_id:int}/loeschen", name="notes_delete_scribe")
    async def delete(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, token: str, note_id: int
    ) -> Redirect:
        workshop = await services.workshop_by_scribe_token(db_session, token)
        await services.delete_note(db_session, workshop, note_id)
        flash(request, "Die Notiz ist gelöscht.")
        return Redirect(path=f"/protokoll/{token}")


async def _scribe_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    workshop: Workshop,
    token: str,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Template:
    questionnaire = await services.questionnaire_of(db_session, registry, workshop)
    return Template(
        "workshop/scribe.html",
        context={
            "workshop": workshop,
            "questionnaire": questionnaire,
            "notes_action": f"/protokoll/{token}",
            "flash": pop_flash(request),
            "error": error,
            "form": form or {},
            **await notes_context(db_session, workshop, questionnaire),
        },
        status_code=422 if error else 200,
    )
