"""Staff confirm answers carried over from the previous Selbstcheck, per question or per
field (the moderator starts the next Selbstcheck in `selfcheck.followup`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import repeat
from selfcheck.assessments.dependencies import FIELD, QUESTION_FIELD, STAFF
from selfcheck.assessments.invitations import mark_active
from selfcheck.db.models import Assessment, StaffInvitation
from selfcheck.questionnaire.schema import Field
from selfcheck.web.forms import flash


@dataclass(frozen=True)
class Confirmation:
    """An invited person confirming carried-over answers of one field, under the name the
    history shows. Provided by its class: its fields are marked like a handler's parameters."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    invitation: NamedDependency[StaffInvitation]
    assessment: NamedDependency[Assessment]
    field: NamedDependency[Field]
    editor: NamedDependency[str]
    token: FromPath[str]

    async def confirm(self, question_ids: Collection[str]) -> int:
        """How many of the answers were still unconfirmed; the person counts as active."""
        confirmed = await repeat.confirm_answers(
            self.db_session, self.assessment, question_ids, self.editor
        )
        mark_active(self.invitation)
        return confirmed

    def answer(self, message: str, anchor: str = "") -> Redirect:
        """To the field's page (at `anchor`), which shows `message` once."""
        flash(self.request, message)
        url = self.request.url_for("staff_field", token=self.token, field_id=self.field.id)
        return Redirect(path=f"{url}{anchor}")


# Beside the provider of the route's `field`.
CONFIRMATION = {"confirmation": Provide(Confirmation, sync_to_thread=False)}


class ConfirmController(Controller):
    """Staff confirm carried-over answers as they stand."""

    path = "/s/{token:str}"
    dependencies = STAFF

    @post(
        "/bestaetigen/{question_id:str}",
        name="staff_answer_confirm",
        dependencies={**QUESTION_FIELD, **CONFIRMATION},
    )
    async def confirm_question(
        self, confirmation: NamedDependency[Confirmation], question_id: FromPath[str]
    ) -> Template | Redirect:
        await confirmation.confirm([question_id])
        if confirmation.request.headers.get("HX-Request") == "true":
            return Template("staff/confirmed.html", context={"question_id": question_id})
        message = f"Die übernommene Antwort zu Frage {question_id} ist bestätigt."
        return confirmation.answer(message, anchor=f"#frage-{question_id}")

    @post(
        "/felder/{field_id:str}/bestaetigen",
        name="staff_field_confirm",
        dependencies={**FIELD, **CONFIRMATION},
    )
    async def confirm_field(self, confirmation: NamedDependency[Confirmation]) -> Redirect:
        field = confirmation.field
        confirmed = await confirmation.confirm([q.id for q in field.questions])
        return confirmation.answer(
            f"{confirmed} übernommene Antworten zu „{field.title}“ sind bestätigt."
        )
