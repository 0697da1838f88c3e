"""The moderator starts the next Selbstcheck of a municipality on the basis of an earlier
one ("Neuen Selbstcheck auf Basis von …")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments import repeat
from selfcheck.db.models import Assessment, utcnow
from selfcheck.errors import InvalidInput
from selfcheck.followup import services
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.versions import field_changes
from selfcheck.web.forms import flash, text


@dataclass(frozen=True)
class FollowUpPage:
    """The form for the next Selbstcheck after a checked assessment, shown again with the
    message when starting it was refused. Provided by its class: its fields are marked like
    a handler's parameters."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    registry: NamedDependency[QuestionnaireRegistry]
    assessment: NamedDependency[Assessment]  # the previous one, with its municipality loaded

    async def render(
        self, *, error: str | None = None, form: dict[str, str] | None = None
    ) -> Template:
        previous = self.assessment
        context: dict[str, Any] = {
            "previous": previous,
            "municipality": previous.municipality,
            "error": error,
            "form": form or {},
            "default_title": f"Selbstcheck {utcnow().year}",
        }
        try:
            old, new = repeat.questionnaires_for_follow_up(self.registry, previous)
        except InvalidInput as problem:
            context["unavailable"] = problem.message
            return Template("moderation/follow_up.html", context=context, status_code=422)
        answers = await repeat.answers_of(self.db_session, previous.id)
        context |= {
            "questionnaire": new,
            "old_questionnaire": old,
            "carried": len(repeat.carried_question_ids(old, new, answers)),
            "total": sum(len(f.questions) for f in new.fields),
            "changes": [(f, field_changes(old, new, f.id)) for f in new.fields],
        }
        status_code = 422 if error else 200
        return Template("moderation/follow_up.html", context=context, status_code=status_code)

    async def start(self, title: str) -> Redirect:
        """The next Selbstcheck, then its page, saying how many answers await confirmation."""
        previous = self.assessment
        assessment = await services.start_follow_up(self.db_session, self.registry, previous, title)
        carried = len(await repeat.unconfirmed_questions(self.db_session, assessment.id))
        flash(
            self.request,
            f"Der Selbstcheck „{assessment.title}“ ist angelegt. {carried} Antworten aus "
            f"„{previous.title}“ sind übernommen und warten auf Bestätigung.",
        )
        return Redirect(path=self.request.url_for("assessment", assessment_id=assessment.id))


class FollowUpController(Controller):
    """ "Neuen Selbstcheck auf Basis von …" for moderators."""

    path = "/selbstchecks/{assessment_id:int}/fortschreiben"  # on the moderation router
    dependencies = {"follow_up_page": Provide(FollowUpPage, sync_to_thread=False)}

    @get("/", name="follow_up_form")
    async def form(self, follow_up_page: NamedDependency[FollowUpPage]) -> Template:
        return await follow_up_page.render()

    @post("/", name="follow_up_create", status_code=200)
    async def create(
        self, follow_up_page: NamedDependency[FollowUpPage], data: URLEncodedBody[dict[str, str]]
    ) -> Template | Redirect:
        try:
            return await follow_up_page.start(text(data, "title"))
        except InvalidInput as error:
            return await follow_up_page.render(error=error.message, form=data)
