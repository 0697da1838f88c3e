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
from selfcheck.assessments.dependencies import FIELD, QUESTION_FIELD, STAFF
from selfcheck.assessments.invitations import mark_active
from selfcheck.db.models import Assessment, StaffInvitation
from selfcheck.questionnaire.schema import Field
from selfcheck.web.forms import flash


class ConfirmController(Controller):
    """Staff confirm carried-over answers as they stand."""

    path = "/s/{token:str}"
    dependencies = STAFF

    @post(
        "/bestaetigen/{question_id:str}",
        name="staff_answer_confirm",
        dependencies=QUESTION_FIELD,
    )
    async def confirm_question(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        invitation: NamedDependency[StaffInvitation],
        assessment: NamedDependency[Assessment],
        field: NamedDependency[Field],
        editor: NamedDependency[str],
        token: FromPath[str],
        question_id: FromPath[str],
    ) -> Template | Redirect:
        await repeat.confirm_answers(db_session, assessment, [question_id], editor)
        mark_active(invitation)
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
        mark_active(invitation)
        flash(request, f"{confirmed} übernommene Antworten zu „{field.title}“ sind bestätigt.")
        return Redirect(path=request.url_for("staff_field", token=token, field_id=field.id))
