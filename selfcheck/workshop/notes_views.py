"""Small-group notes per field: strengths, needs for action, measures. The moderator
records them in the control view; a scribe can use a separate link without an account."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from selfcheck.db.models import WorkshopNote
from selfcheck.web.forms import FormData
from selfcheck.workshop.dependencies import SCRIBE
from selfcheck.workshop.pages import ScribePage


class ScribeNotesController(Controller):
    path = "/protokoll/{token:str}"
    dependencies = SCRIBE

    @get("/", name="notes_scribe")
    async def page(self, scribe_page: NamedDependency[ScribePage]) -> Template:
        return await scribe_page.render()

    @post("/", name="notes_add_scribe", status_code=200)
    async def add(
        self, scribe_page: NamedDependency[ScribePage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        return await scribe_page.add_note(data)

    @post("/{note_id:int}/loeschen", name="notes_delete_scribe")
    async def delete(
        self, scribe_page: NamedDependency[ScribePage], note: NamedDependency[WorkshopNote]
    ) -> Redirect:
        return await scribe_page.delete_note(note)
