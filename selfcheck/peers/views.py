"""The cross-municipality page, its JSON API, and the report switch."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from selfcheck.db.models import User
from selfcheck.peers.dependencies import OVERVIEW
from selfcheck.peers.schema import PeerOverview
from selfcheck.peers.services import show_in_report
from selfcheck.reporting.dependencies import REPORT_SETTINGS, ReportSettings
from selfcheck.web.forms import checkbox


class PeersController(Controller):
    path = "/vergleich"
    dependencies = {**OVERVIEW, **REPORT_SETTINGS}

    @get("/", name="peers_page")
    async def page(
        self, current_user: NamedDependency[User], overview: NamedDependency[PeerOverview]
    ) -> Template:
        return Template(
            "peers/overview.html",
            context={"overview": overview, "user": current_user},
        )

    @post("/selbstchecks/{assessment_id:int}/im-bericht", name="peers_report_toggle")
    async def toggle_in_report(
        self, report_settings: NamedDependency[ReportSettings], data: URLEncodedBody[dict[str, str]]
    ) -> Redirect:
        assessment = report_settings.assessment
        show_in_report(assessment, checkbox(data, "enabled"))
        return report_settings.back(
            "Der Bericht zeigt jetzt „Ihre Kommune im Vergleich“."
            if assessment.peer_comparison_in_report
            else "Der Bericht zeigt keinen Vergleich mit anderen Kommunen mehr.",
            "vergleich",
        )


class PeersApi(Controller):
    path = "/api/peers"
    tags = ["Vergleich"]
    dependencies = OVERVIEW

    @get(
        "/",
        summary="Verteilung der Kategorien über die sichtbaren Kommunen je Handlungsfeld",
    )
    async def overview(self, overview: NamedDependency[PeerOverview]) -> PeerOverview:
        return overview
