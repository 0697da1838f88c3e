"""The moderator starts the next Selbstcheck of a municipality on the basis of an earlier
one ("Neuen Selbstcheck auf Basis von …")."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import repeat
from selfcheck.db.models import Assessment, utcnow
from selfcheck.errors import InvalidInput
from selfcheck.followup import services
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.versions import field_changes
from selfcheck.web.forms import flash, pop_flash, text


class FollowUpController(Controller):
    """ "Neuen Selbstcheck auf Basis von …" for moderators."""

    path = "/selbstchecks/{assessment_id:int}/fortschreiben"  # on the moderation router

    @get("/", name="follow_up_form")
    async def form(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        assessment: NamedDependency[Assessment],
    ) -> Template:
        return await _form_page(request, db_session, registry, assessment)

    @post("/", name="follow_up_create", status_code=200)
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        assessment: NamedDependency[Assessment],
        data: URLEncodedBody[dict[str, str]],
    ) -> Template | Redirect:
        previous = assessment
        try:
            assessment = await services.start_follow_up(
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
