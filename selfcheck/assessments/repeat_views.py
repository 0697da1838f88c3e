"""Pages for repeat assessments: the moderator starts the next Selbstcheck on the basis of
an earlier one; staff confirm carried-over answers per question or per field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for
from selfcheck.assessments import repeat
from selfcheck.assessments.invitations import invitation_by_token
from selfcheck.assessments.staff_views import editor_label
from selfcheck.db.models import Assessment, StaffInvitation, User, utcnow
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Field, Questionnaire
from selfcheck.questionnaire.versions import field_changes
from selfcheck.settings import Settings
from selfcheck.web.forms import flash, pop_flash, text


class FollowUpController(Controller):
    """ "Neuen Selbstcheck auf Basis von …" for moderators."""

    path = "/moderation/selbstchecks/{assessment_id:int}/fortschreiben"

    @get("/", name="follow_up_form")
    async def form(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        current_user: NamedDependency[User],
        registry: NamedDependency[QuestionnaireRegistry],
        assessment_id: FromPath[int],
    ) -> Template:
        previous = await assessment_for(db_session, current_user, assessment_id)
        return await _form_page(request, db_session, registry, previous)

    @post("/", name="follow_up_create", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        current_user: NamedDependency[User],
        registry: NamedDependency[QuestionnaireRegistry],
        assessment_id: FromPath[int],
        data: URLEncodedBody[dict[str, str]],
    ) -> Template | Redirect:
        previous = await assessment_for(db_session, current_user, assessment_id)
        try:
            assessment = await repeat.start_follow_up(
                db_session, registry, previous, text(data, "title")
            )
        except InvalidInput as error:
            return await _form_page(
                request, db_session, registry, previous, error=error.message, form=data
            )
        carried = len(await repeat.unconfirmed_questions(db_session, assessment.id))
        flash(
            request,
            f"Der Selbstcheck „{assessment.title}“ ist angelegt. {carried} Antworten aus "
            f"„{previous.title}“ sind übernommen und warten auf Bestätigung.",
        )
        return Redirect(path=request.url_for("assessment", assessment_id=assessment.id))


async def _form_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    previous: Assessment,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Template:
    await db_session.refresh(previous, ["municipality"])
    context: dict[str, Any] = {
        "previous": previous,
        "municipality": previous.municipality,
        "error": error,
        "form": form or {},
        "flash": pop_flash(request),
        "default_title": f"Selbstcheck {utcnow().year}",
    }
    try:
        old, new = repeat.questionnaires_for_follow_up(registry, previous)
    except InvalidInput as problem:
        context["unavailable"] = problem.message
        return Template("moderation/follow_up.html", context=context, status_code=422)
    answers = await repeat.answers_of(db_session, previous.id)
    context |= {
        "questionnaire": new,
        "old_questionnaire": old,
        "carried": len(repeat.carried_question_ids(old, new, answers)),
        "total": sum(len(f.questions) for f in new.fields),
        "changes": [(f, field_changes(old, new, f.id)) for f in new.fields],
    }
    return Template("moderation/follow_up.html", context=context, status_code=422 if error else 200)


async def provide_invitation(
    token: FromPath[str], db_session: NamedDependency[AsyncSession]
) -> StaffInvitation:
    return await invitation_by_token(db_session, token)


def provide_editor(
    invitation: NamedDependency[StaffInvitation], settings: NamedDependency[Settings]
) -> str:
    return editor_label(invitation, pseudonymous=settings.pseudonymous_history)


class ConfirmController(Controller):
    """Staff confirm carried-over answers as they stand."""

    path = "/s/{token:str}"
    dependencies = {
        "invitation": Provide(provide_invitation),
        "editor": Provide(provide_editor, sync_to_thread=False),
    }

    @post("/bestaetigen/{question_id:str}", name="staff_answer_confirm")
    async def confirm_question(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        invitation: NamedDependency[StaffInvitation],
        editor: NamedDependency[str],
        token: FromPath[str],
        question_id: FromPath[str],
    ) -> Template | Redirect:
        assessment, questionnaire = await _staff_assessment(db_session, registry, invitation)
        field = _field_with(questionnaire, lambda f: any(q.id == question_id for q in f.questions))
        await repeat.confirm_answers(db_session, assessment, [question_id], editor)
        invitation.last_active_at = utcnow()
        if request.headers.get("HX-Request") == "true":
            return Template("staff/confirmed.html", context={"question_id": question_id})
        flash(request, f"Die übernommene Antwort zu Frage {question_id} ist bestätigt.")
        url = request.url_for("staff_field", token=token, field_id=field.id)
        return Redirect(path=f"{url}#frage-{question_id}")

    @post("/felder/{field_id:str}/bestaetigen", name="staff_field_confirm")
    async def confirm_field(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        invitation: NamedDependency[StaffInvitation],
        editor: NamedDependency[str],
        token: FromPath[str],
        field_id: FromPath[str],
    ) -> Redirect:
        assessment, questionnaire = await _staff_assessment(db_session, registry, invitation)
        field = _field_with(questionnaire, lambda f: f.id == field_id)
        confirmed = await repeat.confirm_answers(
            db_session, assessment, [q.id for q in field.questions], editor
        )
        invitation.last_active_at = utcnow()
        flash(request, f"{confirmed} übernommene Antworten zu „{field.title}“ sind bestätigt.")
        return Redirect(path=request.url_for("staff_field", token=token, field_id=field.id))


async def _staff_assessment(
    db_session: AsyncSession, registry: QuestionnaireRegistry, invitation: StaffInvitation
) -> tuple[Assessment, Questionnaire]:
    await db_session.refresh(invitation, ["assessment"])
    assessment = invitation.assessment
    return assessment, registry.get(assessment.questionnaire_id, assessment.questionnaire_version)


def _field_with(questionnaire: Questionnaire, matches: Callable[[Field], bool]) -> Field:
    field = next((f for f in questionnaire.fields if matches(f)), None)
    if field is None:
        raise NotFound("Diese Frage oder dieses Handlungsfeld gibt es im Fragebogen nicht.")
    return field
