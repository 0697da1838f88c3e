"""Staff confirm answers carried over from the previous Selbstcheck, per question or per
field (the moderator starts the next Selbstcheck in `selfcheck.followup`)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import repeat
from selfcheck.assessments.dependencies import FIELD, STAFF
from selfcheck.db.models import Assessment, StaffInvitation, utcnow
from selfcheck.errors import NotFound
from selfcheck.questionnaire.schema import Field, Questionnaire
from selfcheck.web.forms import flash


class ConfirmController(Controller):
    """Staff confirm carried-over answers as they stand."""

    path = "/s/{token:str}"
    dependencies = STAFF

    @post("/bestaetigen/{question_id:str}", name="staff_answer_confirm")
    async def confirm_question(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        questionnaire: NamedDependency[Questionnaire],
        editor: NamedDependency[str],
        token: FromPath[str],
        question_id: FromPath[str],
    ) -> Template | Redirect:
        field = questionnaire.field_of(question_id)
        if field is None:
            raise NotFound("Diese Frage gibt es im Fragebogen nicht.")
        await repeat.confirm_answers(db_session, assessment, [question_id], editor)
        invitation.last_active_at = utcnow()
        if request.headers.get("HX-Request") == "true":
            return Template("staff/confirmed.html", context={"question_id": question_id})
        flash(request, f"Die übernommene Antwort zu Frage {question_id} ist bestätigt.")
        url = request.url_for("staff_field", token=token, field_id=field.id)
        return Redirect(path=f"{url}#frage-{question_id}")

    @post(
        "/felder/{field_id:str}/bestaetigen",
        name="staff_field_confirm",
        dependencies=FIELD,
    )
    async def confirm_field(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        field: NamedDependency[Field],
        editor: NamedDependency[str],
        token: FromPath[str],
    ) -> Redirect:
        confirmed = await repeat.confirm_answers(
            db_session, assessment, [q.id for q in field.questions], editor
        )
        invitation.last_active_at = utcnow()
        flash(request, f"{confirmed} übernommene Antworten zu „{field.title}“ sind bestätigt.")
        return Redirect(path=request.url_for("staff_field", token=token, field_id=field.id))
