"""Moderator pages: municipalities, assessments, staff invitations, submit and reopen.

Mounted on the moderation router (`selfcheck/app.py`), which requires a login and
provides the checked municipality, assessment and questionnaire
(`selfcheck/assessments/dependencies.py`)."""

from __future__ import annotations

from functools import partial
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from selfcheck.accounts.services import user_by_email
from selfcheck.assessments import invitations, setup
from selfcheck.assessments.dependencies import (
    provide_administered_municipality,
    provide_invitation_assessment,
    provide_managed_invitation,
)
from selfcheck.assessments.rendering import (
    AssessmentPage,
    AssessmentResults,
    DashboardPage,
    MunicipalityPage,
)
from selfcheck.db.models import Assessment, Municipality, StaffInvitation, User
from selfcheck.errors import InvalidInput
from selfcheck.web.forms import (
    FormData,
    checkbox,
    flash,
    optional_end_of_day,
    optional_int,
    text,
)

# Only administrators assign moderators and delete; for others these do not exist.
administrator_form = partial(
    post,
    status_code=200,
    dependencies={"municipality": Provide(provide_administered_municipality)},
)


class ModerationController(Controller):
    dependencies = {"invitation": Provide(provide_managed_invitation)}

    @get("/", name="moderation_dashboard")
    async def dashboard(self, dashboard_page: NamedDependency[DashboardPage]) -> Template:
        return await dashboard_page.render()

    @post("/kommunen", name="municipality_create", status_code=200)
    async def create_municipality(
        self, dashboard_page: NamedDependency[DashboardPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        page = dashboard_page
        try:
            municipality = await setup.create_municipality(
                page.db_session,
                page.current_user,
                name=text(data, "name"),
                official_key=text(data, "official_key"),
                population=optional_int(data, "population", "Einwohnerzahl"),
            )
        except InvalidInput as error:
            return await page.render(error=error.message, form=data)
        flash(page.request, f"Die Kommune „{municipality.name}“ ist angelegt.")
        return _to_municipality(page.request, municipality)

    @get("/kommunen/{municipality_id:int}", name="municipality")
    async def municipality(self, municipality_page: NamedDependency[MunicipalityPage]) -> Template:
        return await municipality_page.render()

    @post("/kommunen/{municipality_id:int}/selbstchecks", name="assessment_create", status_code=200)
    async def create_assessment(
        self, municipality_page: NamedDependency[MunicipalityPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        page = municipality_page
        try:
            questionnaire_id, _, version = text(data, "questionnaire").partition("@")
            try:
                questionnaire = page.registry.get(questionnaire_id, version)
            except KeyError:
                raise InvalidInput("Bitte wählen Sie einen der angebotenen Fragebögen.") from None
            assessment = await setup.create_assessment(
                page.db_session, page.municipality, questionnaire, text(data, "title")
            )
        except InvalidInput as error:
            return await page.render(error=error.message)
        flash(page.request, f"Der Selbstcheck „{assessment.title}“ ist angelegt.")
        return _to_assessment(page.request, assessment)

    @administrator_form("/kommunen/{municipality_id:int}/moderation", name="moderator_assign")
    async def assign_moderator(
        self, municipality_page: NamedDependency[MunicipalityPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        page, municipality = municipality_page, municipality_page.municipality
        moderator = await user_by_email(page.db_session, text(data, "email"))
        if moderator is None:
            return await page.render(error="Zu dieser E-Mail-Adresse gibt es kein Konto.")
        await setup.assign_moderator(page.db_session, municipality, moderator)
        return page.back(f"{moderator.email} betreut jetzt „{municipality.name}“.")

    @administrator_form("/kommunen/{municipality_id:int}/loeschen", name="municipality_delete")
    async def delete_municipality(
        self, municipality_page: NamedDependency[MunicipalityPage], data: URLEncodedBody[FormData]
    ) -> Template | Redirect:
        page, name = municipality_page, municipality_page.municipality.name
        try:
            await setup.delete_municipality(
                page.db_session, page.municipality, text(data, "confirm_name")
            )
        except InvalidInput as error:
            return await page.render(delete_error=error.message)
        flash(page.request, f"Die Kommune „{name}“ ist mit allen zugehörigen Daten gelöscht.")
        return Redirect(path=page.request.app.route_reverse("moderation_dashboard"))

    @get("/selbstchecks/{assessment_id:int}", name="assessment")
    async def assessment(self, assessment_page: NamedDependency[AssessmentPage]) -> Template:
        return await assessment_page.render()

    @post(
        "/selbstchecks/{assessment_id:int}/einladungen", name="invitation_create", status_code=200
    )
    async def invite(
        self, assessment_page: NamedDependency[AssessmentPage], data: URLEncodedBody[FormData]
    ) -> Template:
        page = assessment_page
        try:
            invitation, token = await invitations.invite(
                page.db_session,
                page.assessment,
                name=text(data, "name"),
                department=text(data, "department"),
                expires_at=optional_end_of_day(data, "expires_on", "Gültig bis"),
                is_coordinator=checkbox(data, "is_coordinator"),
            )
        except InvalidInput as error:
            return await page.render(error=error.message, form=data)
        return await page.render(new_link=(invitation.name, token))

    @post("/einladungen/{invitation_id:int}/widerrufen", name="invitation_revoke")
    async def revoke(
        self, request: Request[Any, Any, Any], invitation: NamedDependency[StaffInvitation]
    ) -> Redirect:
        invitations.revoke(invitation)
        flash(
            request, f"Der Link für {invitation.name} ist widerrufen und funktioniert nicht mehr."
        )
        return _to_assessment(request, invitation.assessment)

    @post(
        "/einladungen/{invitation_id:int}/neu",
        name="invitation_reissue",
        status_code=200,
        dependencies={"assessment": Provide(provide_invitation_assessment, sync_to_thread=False)},
    )
    async def reissue(
        self,
        invitation: NamedDependency[StaffInvitation],
        assessment_page: NamedDependency[AssessmentPage],
    ) -> Template:
        token = invitations.reissue(invitation)
        return await assessment_page.render(new_link=(invitation.name, token))

    @post("/selbstchecks/{assessment_id:int}/abschliessen", name="assessment_submit")
    async def submit(
        self, current_user: NamedDependency[User], assessment_page: NamedDependency[AssessmentPage]
    ) -> Redirect:
        setup.submit(assessment_page.assessment, submitted_by=f"Moderation ({current_user.email})")
        return assessment_page.back(
            "Der Fragebogen ist abgeschlossen und kann nicht mehr geändert werden."
        )

    @post("/selbstchecks/{assessment_id:int}/wieder-oeffnen", name="assessment_reopen")
    async def reopen(self, assessment_page: NamedDependency[AssessmentPage]) -> Redirect:
        setup.reopen(assessment_page.assessment)
        return assessment_page.back("Der Fragebogen ist wieder geöffnet.")

    @get("/selbstchecks/{assessment_id:int}/ergebnis", name="assessment_results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        current_user: NamedDependency[User],
        results: NamedDependency[AssessmentResults],
    ) -> Template:
        assessment_id = results.assessment.id
        back_link = request.app.route_reverse("assessment", assessment_id=assessment_id)
        chart_url = request.app.route_reverse("report_chart", assessment_id=assessment_id)
        return results.page(back_link, user=current_user, chart_url=chart_url)


def _to_municipality(request: Request[Any, Any, Any], municipality: Municipality) -> Redirect:
    return Redirect(path=request.app.route_reverse("municipality", municipality_id=municipality.id))


def _to_assessment(request: Request[Any, Any, Any], assessment: Assessment) -> Redirect:
    return Redirect(path=request.app.route_reverse("assessment", assessment_id=assessment.id))
