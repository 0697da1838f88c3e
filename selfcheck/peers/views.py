"""The cross-municipality page, its JSON API, and the report switch."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Assessment, User
from selfcheck.peers.dependencies import provide_compared_questionnaire
from selfcheck.peers.schema import PeerOverview
from selfcheck.peers.services import peer_overview, show_in_report
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.web.forms import checkbox, flash, pop_flash

_COMPARED = {"compared": Provide(provide_compared_questionnaire, sync_to_thread=False)}


class PeersController(Controller):
    path = "/vergleich"
    dependencies = _COMPARED

    @get("/", name="peers_page")
    async def page(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        compared: NamedDependency[Questionnaire],
    ) -> Template:
        overview = await peer_overview(db_session, registry, current_user, compared)
        return Template(
            "peers/overview.html",
            context={"overview": overview, "user": current_user, "flash": pop_flash(request)},
        )

    @post("/selbstchecks/{assessment_id:int}/im-bericht", name="peers_report_toggle")
    async def toggle_in_report(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        assessment: NamedDependency[Assessment],
        data: URLEncodedBody[dict[str, str]],
    ) -> Redirect:
        show_in_report(assessment, checkbox(data, "enabled"))
        flash(
            request,
            "Der Bericht zeigt jetzt „Ihre Kommune im Vergleich“."
            if assessment.peer_comparison_in_report
            else "Der Bericht zeigt keinen Vergleich mit anderen Kommunen mehr.",
        )
        report = request.app.route_reverse("report_page", assessment_id=assessment.id)
        return Redirect(path=f"{report}#vergleich")


class PeersApi(Controller):
    path = "/api/peers"
    tags = ["Vergleich"]
    dependencies = _COMPARED

    @get(
        "/",
        summary="Verteilung der Kategorien über die sichtbaren Kommunen je Handlungsfeld",
    )
    async def overview(
        self,
        db_session: NamedDependency[AsyncSession],
        registry: NamedDependency[QuestionnaireRegistry],
        current_user: NamedDependency[User],
        compared: NamedDependency[Questionnaire],
    ) -> PeerOverview:
        return await peer_overview(db_session, registry, current_user, compared)
