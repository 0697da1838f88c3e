"""Moderator pages: municipalities, assessments, staff invitations, submit and reopen."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for, municipality_for, visible_municipalities
from selfcheck.accounts.services import user_by_email
from selfcheck.assessments import invitations, repeat, setup
from selfcheck.assessments.answers import answer_values
from selfcheck.assessments.development import development_context
from selfcheck.assessments.results import assessment_results, field_outcomes
from selfcheck.db.models import Assessment, Municipality, StaffInvitation, User
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.web.addresses import public_link
from selfcheck.web.forms import (
    FormData,
    checkbox,
    flash,
    optional_end_of_day,
    optional_int,
    pop_flash,
    text,
)


class ModerationController(Controller):
    path = "/moderation"

    @get("/", name="moderation_dashboard")
    async def dashboard(
        self, request: Request[Any, Any, Any], db_session: AsyncSession, current_user: User
    ) -> Template:
        return await _dashboard(request, db_session, current_user)

    @post("/kommunen", name="municipality_create", status_code=200)
    async def create_municipality(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        data: FormData,
    ) -> Template | Redirect:
        try:
            municipality = await setup.create_municipality(
                db_session,
                current_user,
                name=text(data, "name"),
                official_key=text(data, "official_key"),
                population=optional_int(data, "population", "Einwohnerzahl"),
            )
        except InvalidInput as error:
            return await _dashboard(
                request, db_session, current_user, error=error.message, form=data
            )
        flash(request, f"Die Kommune „{municipality.name}“ ist angelegt.")
        return Redirect(path=f"/moderation/kommunen/{municipality.id}")

    @get("/kommunen/{municipality_id:int}", name="municipality")
    async def municipality(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        municipality_id: int,
    ) -> Template:
        return await _municipality_page(
            request, db_session, current_user, registry, municipality_id
        )

    @post("/kommunen/{municipality_id:int}/selbstchecks", name="assessment_create", status_code=200)
    async def create_assessment(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        municipality_id: int,
        data: FormData,
    ) -> Template | Redirect:
        municipality = await municipality_for(db_session, current_user, municipality_id)
        try:
            questionnaire_id, _, version = text(data, "questionnaire").partition("@")
            try:
                questionnaire = registry.get(questionnaire_id, version)
            except KeyError:
                raise InvalidInput("Bitte wählen Sie einen der angebotenen Fragebögen.") from None
            assessment = await setup.create_assessment(
                db_session, municipality, questionnaire, text(data, "title")
            )
        except InvalidInput as error:
            return await _municipality_page(
                request, db_session, current_user, registry, municipality_id, error=error.message
            )
        flash(request, f"Der Selbstcheck „{assessment.title}“ ist angelegt.")
        return Redirect(path=f"/moderation/selbstchecks/{assessment.id}")

    @post("/kommunen/{municipality_id:int}/moderation", name="moderator_assign", status_code=200)
    async def assign_moderator(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        municipality_id: int,
        data: FormData,
    ) -> Template | Redirect:
        municipality = await _administered_municipality(db_session, current_user, municipality_id)
        moderator = await user_by_email(db_session, text(data, "email"))
        if moderator is None:
            return await _municipality_page(
                request,
                db_session,
                current_user,
                registry,
                municipality_id,
                error="Zu dieser E-Mail-Adresse gibt es kein Konto.",
            )
        await setup.assign_moderator(db_session, municipality, moderator)
        flash(request, f"{moderator.email} betreut jetzt „{municipality.name}“.")
        return Redirect(path=f"/moderation/kommunen/{municipality.id}")

    @post("/kommunen/{municipality_id:int}/loeschen", name="municipality_delete", status_code=200)
    async def delete_municipality(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        municipality_id: int,
        data: FormData,
    ) -> Template | Redirect:
        municipality = await _administered_municipality(db_session, current_user, municipality_id)
        name = municipality.name
        try:
            await setup.delete_municipality(db_session, municipality, text(data, "confirm_name"))
        except InvalidInput as error:
            return await _municipality_page(
                request, db_session, current_user, registry, municipality_id,
                delete_error=error.message,
            )  # fmt: skip
        flash(request, f"Die Kommune „{name}“ ist mit allen zugehörigen Daten gelöscht.")
        return Redirect(path="/moderation")

    @get("/selbstchecks/{assessment_id:int}", name="assessment")
    async def assessment(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        assessment_id: int,
    ) -> Template:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        return await _assessment_page(request, db_session, registry, assessment)

    @post(
        "/selbstchecks/{assessment_id:int}/einladungen", name="invitation_create", status_code=200
    )
    async def invite(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        assessment_id: int,
        data: FormData,
    ) -> Template:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        try:
            invitation, token = await invitations.invite(
                db_session,
                assessment,
                name=text(data, "name"),
                department=text(data, "department"),
                expires_at=optional_end_of_day(data, "expires_on", "Gültig bis"),
                is_coordinator=checkbox(data, "is_coordinator"),
            )
        except InvalidInput as error:
            return await _assessment_page(
                request, db_session, registry, assessment, error=error.message, form=data
            )
        return await _assessment_page(
            request, db_session, registry, assessment, new_link=(invitation.name, token)
        )

    @post("/einladungen/{invitation_id:int}/widerrufen", name="invitation_revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        invitation_id: int,
    ) -> Redirect:
        invitation = await _invitation_for(db_session, current_user, invitation_id)
        invitations.revoke(invitation)
        flash(
            request, f"Der Link für {invitation.name} ist widerrufen und funktioniert nicht mehr."
        )
        return Redirect(path=f"/moderation/selbstchecks/{invitation.assessment_id}")

    @post("/einladungen/{invitation_id:int}/neu", name="invitation_reissue", status_code=200)
    async def reissue(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        invitation_id: int,
    ) -> Template:
        invitation = await _invitation_for(db_session, current_user, invitation_id)
        token = invitations.reissue(invitation)
        assessment = await assessment_for(db_session, current_user, invitation.assessment_id)
        return await _assessment_page(
            request, db_session, registry, assessment, new_link=(invitation.name, token)
        )

    @post("/selbstchecks/{assessment_id:int}/abschliessen", name="assessment_submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        assessment_id: int,
    ) -> Redirect:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        setup.submit(assessment, submitted_by=f"Moderation ({current_user.email})")
        flash(request, "Der Fragebogen ist abgeschlossen und kann nicht mehr geändert werden.")
        return Redirect(path=f"/moderation/selbstchecks/{assessment.id}")

    @post("/selbstchecks/{assessment_id:int}/wieder-oeffnen", name="assessment_reopen")
    async def reopen(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        assessment_id: int,
    ) -> Redirect:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        setup.reopen(assessment)
        flash(request, "Der Fragebogen ist wieder geöffnet.")
        return Redirect(path=f"/moderation/selbstchecks/{assessment.id}")

    @get("/selbstchecks/{assessment_id:int}/ergebnis", name="assessment_results")
    async def results(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        registry: QuestionnaireRegistry,
        assessment_id: int,
    ) -> Template:
        assessment = await assessment_for(db_session, current_user, assessment_id)
        await db_session.refresh(assessment, ["municipality"])
        questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
        results = await assessment_results(db_session, questionnaire, assessment.id)
        return Template(
            "results.html",
            context={
                "municipality": assessment.municipality,
                "assessment": assessment,
                "questionnaire": questionnaire,
                "outcomes": results.outcomes,
                "rules": results.rules,
                "back_link": f"/moderation/selbstchecks/{assessment.id}",
                "user": current_user,
                **await development_context(
                    db_session,
                    registry,
                    assessment,
                    request.url_for("report_chart", assessment_id=assessment.id),
                ),
            },
        )


async def _dashboard(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    user: User,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Template:
    return Template(
        "moderation/dashboard.html",
        context={
            "user": user,
            "municipalities": await visible_municipalities(db_session, user),
            "flash": pop_flash(request),
            "error": error,
            "form": form or {},
        },
        status_code=422 if error else 200,
    )


async def _administered_municipality(
    db_session: AsyncSession, user: User, municipality_id: int
) -> Municipality:
    """Only administrators assign moderators and delete; for others these do not exist."""
    municipality = await municipality_for(db_session, user, municipality_id)
    if not user.is_admin:
        raise NotFound()
    return municipality


async def _municipality_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    user: User,
    registry: QuestionnaireRegistry,
    municipality_id: int,
    error: str | None = None,
    delete_error: str | None = None,
) -> Template:
    municipality = await municipality_for(db_session, user, municipality_id)
    await db_session.refresh(municipality, ["moderators"])
    return Template(
        "moderation/municipality.html",
        context={
            "user": user,
            "municipality": municipality,
            "assessments": await setup.assessments_of(db_session, municipality),
            "questionnaires": registry.all(),
            "flash": pop_flash(request),
            "error": error,
            "delete_error": delete_error,
        },
        status_code=422 if error or delete_error else 200,
    )


async def _assessment_page(
    request: Request[Any, Any, Any],
    db_session: AsyncSession,
    registry: QuestionnaireRegistry,
    assessment: Assessment,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    new_link: tuple[str, str] | None = None,
) -> Template:
    await db_session.refresh(assessment, ["municipality", "workshops"])
    questionnaire = registry.get(assessment.questionnaire_id, assessment.questionnaire_version)
    answers = await answer_values(db_session, assessment.id)
    link = None
    if new_link is not None:
        link = {"name": new_link[0], "url": public_link(request, f"/s/{new_link[1]}")}
    return Template(
        "moderation/assessment.html",
        context={
            "assessment": assessment,
            "municipality": assessment.municipality,
            "questionnaire": questionnaire,
            "outcomes": field_outcomes(questionnaire, answers),
            "carried": repeat.unconfirmed_per_field(
                questionnaire, await repeat.unconfirmed_questions(db_session, assessment.id)
            ),
            "invitations": await invitations.invitations_of(db_session, assessment),
            "workshops": assessment.workshops,
            "flash": pop_flash(request),
            "error": error,
            "form": form or {},
            "new_link": link,
        },
        status_code=422 if error else 200,
    )


async def _invitation_for(
    db_session: AsyncSession, user: User, invitation_id: int
) -> StaffInvitation:
    invitation = await db_session.scalar(
        select(StaffInvitation).where(StaffInvitation.id == invitation_id)
    )
    if invitation is None:
        raise NotFound()
    await assessment_for(db_session, user, invitation.assessment_id)
    return invitation
