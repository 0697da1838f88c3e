"""Moderator actions on trial runs: mark or unmark a round or workshop as Probelauf, and
delete a round or workshop after one confirmation page (works without JavaScript)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import workshop_for
from selfcheck.db.models import User, Workshop
from selfcheck.web.forms import FormData, checkbox, flash
from selfcheck.workshop import services, trials
from selfcheck.workshop.live import LiveHub


def _control_url(workshop: Workshop) -> str:
    return f"/moderation/workshops/{workshop.id}"


def _back(
    request: Request[Any, Any, Any], live_hub: LiveHub, workshop_id: int, url: str, message: str
) -> Redirect:
    """To `url`; projectors and phones of the workshop learn of it after the commit."""
    flash(request, message)
    return Redirect(path=url, background=BackgroundTask(live_hub.changed, workshop_id))


def _confirmation(**context: str | None) -> Template:
    """The one question before deleting: a page with a form, so it works without JavaScript."""
    return Template("moderation/confirm_delete.html", context=context)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _votes_phrase(votes: int) -> str:
    if votes == 0:
        return "ihre Einstellungen (noch ohne Stimmen)"
    if votes == 1:
        return "die eine abgegebene Stimme"
    return f"ihre {votes} abgegebenen Stimmen"


class TrialController(Controller):
    path = "/workshops/{workshop_id:int}"

    @post("/probelauf", name="workshop_trial")
    async def mark_workshop(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        data: FormData,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        trial = checkbox(data, "trial")
        await trials.mark_workshop_trial(db_session, workshop, trial)
        message = (
            "Der ganze Workshop ist als Probelauf markiert; seine Stimmen zählen in keinem Bericht."
            if trial
            else "Der Workshop ist kein Probelauf mehr; seine geschlossenen Runden zählen wieder."
        )
        return _back(request, live_hub, workshop.id, _control_url(workshop), message)

    @post("/runden/{round_id:int}/probelauf", name="round_trial")
    async def mark_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        round_id: int,
        data: FormData,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        trial = checkbox(data, "trial")
        round_ = await trials.mark_round_trial(db_session, workshop, round_id, trial)
        message = (
            f"Die Runde „{round_.title}“ ist als Probelauf markiert; ihre Stimmen zählen nicht."
            if trial
            else f"Die Runde „{round_.title}“ ist kein Probelauf mehr."
        )
        return _back(request, live_hub, workshop.id, _control_url(workshop), message)

    @get("/runden/{round_id:int}/loeschen", name="round_delete_confirm")
    async def confirm_round_deletion(
        self, db_session: AsyncSession, current_user: User, workshop_id: int, round_id: int
    ) -> Template:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        round_ = await services.get_round(db_session, workshop, round_id)
        votes = await trials.votes_in_round(db_session, round_)
        return _confirmation(
            title=f"Runde „{round_.title}“ löschen?",
            consequence=f"Die Runde und {_votes_phrase(votes)} werden endgültig gelöscht. "
            "Im Bericht zählt dann wieder die vorherige Runde.",
            blocked=trials.ROUND_STILL_OPEN if round_.status == "open" else None,
            action=f"{_control_url(workshop)}/runden/{round_.id}/loeschen",
            cancel=_control_url(workshop),
            button="Runde endgültig löschen",
        )

    @post("/runden/{round_id:int}/loeschen", name="round_delete")
    async def delete_round(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
        round_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        round_ = await trials.delete_round(db_session, workshop, round_id)
        message = f"Die Runde „{round_.title}“ ist gelöscht."
        return _back(request, live_hub, workshop.id, _control_url(workshop), message)

    @get("/loeschen", name="workshop_delete_confirm")
    async def confirm_workshop_deletion(
        self, db_session: AsyncSession, current_user: User, workshop_id: int
    ) -> Template:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        running = await services.current_round(db_session, workshop)
        rounds, participants = await trials.workshop_size(db_session, workshop)
        return _confirmation(
            title=f"Workshop „{workshop.title}“ löschen?",
            consequence=f"Der Workshop mit {_count(rounds, 'Runde', 'Runden')}, den Stimmen "
            f"von {participants} Teilnehmenden und allen Notizen wird endgültig gelöscht.",
            blocked=trials.still_running(running) if running else None,
            action=f"{_control_url(workshop)}/loeschen",
            cancel=_control_url(workshop),
            button="Workshop endgültig löschen",
        )

    @post("/loeschen", name="workshop_delete")
    async def delete_workshop(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        current_user: User,
        live_hub: LiveHub,
        workshop_id: int,
    ) -> Redirect:
        workshop = await workshop_for(db_session, current_user, workshop_id)
        title, assessment_id = workshop.title, workshop.assessment_id
        await trials.delete_workshop(db_session, workshop)
        return _back(
            request,
            live_hub,
            workshop_id,
            f"/moderation/selbstchecks/{assessment_id}",
            f"Der Workshop „{title}“ ist gelöscht.",
        )
