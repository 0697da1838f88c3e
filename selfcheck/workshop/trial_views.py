"""Moderator actions on trial runs: mark or unmark a round or workshop as Probelauf, and
delete a round or workshop after one confirmation page (works without JavaScript)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import URLEncodedBody
from litestar.response import Redirect, Template

from selfcheck.db.models import Round
from selfcheck.vocabulary import RoundStatus
from selfcheck.web.forms import FormData, checkbox
from selfcheck.workshop import rounds, trials
from selfcheck.workshop.dependencies import MODERATION, Console
from selfcheck.workshop.links import control_path


def _confirmation(console: Console, action: str, **context: str | None) -> Template:
    """The one question before deleting: a page with a form, so it works without JavaScript."""
    cancel = control_path(console.request, console.workshop)
    return Template(
        "moderation/confirm_delete.html", context={**context, "action": action, "cancel": cancel}
    )


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
    dependencies = MODERATION

    @post("/probelauf", name="workshop_trial")
    async def mark_workshop(
        self, console: NamedDependency[Console], data: URLEncodedBody[FormData]
    ) -> Redirect:
        trial = checkbox(data, "trial")
        await trials.mark_workshop_trial(console.db_session, console.workshop, trial)
        message = (
            "Der ganze Workshop ist als Probelauf markiert; seine Stimmen zählen in keinem Bericht."
            if trial
            else "Der Workshop ist kein Probelauf mehr; seine geschlossenen Runden zählen wieder."
        )
        return console.back(message)

    @post("/runden/{round_id:int}/probelauf", name="round_trial")
    async def mark_round(
        self,
        console: NamedDependency[Console],
        round_: NamedDependency[Round],
        data: URLEncodedBody[FormData],
    ) -> Redirect:
        trial = checkbox(data, "trial")
        await trials.mark_round_trial(console.db_session, console.workshop, round_.id, trial)
        message = (
            f"Die Runde „{round_.title}“ ist als Probelauf markiert; ihre Stimmen zählen nicht."
            if trial
            else f"Die Runde „{round_.title}“ ist kein Probelauf mehr."
        )
        return console.back(message)

    @get("/runden/{round_id:int}/loeschen", name="round_delete_confirm")
    async def confirm_round_deletion(
        self, console: NamedDependency[Console], round_: NamedDependency[Round]
    ) -> Template:
        votes = await trials.votes_in_round(console.db_session, round_)
        action = console.request.app.route_reverse(
            "round_delete", workshop_id=console.workshop.id, round_id=round_.id
        )
        return _confirmation(
            console,
            action,
            title=f"Runde „{round_.title}“ löschen?",
            consequence=f"Die Runde und {_votes_phrase(votes)} werden endgültig gelöscht. "
            "Im Bericht zählt dann wieder die vorherige Runde.",
            blocked=trials.ROUND_STILL_OPEN if round_.status == RoundStatus.OPEN else None,
            button="Runde endgültig löschen",
        )

    @post("/runden/{round_id:int}/loeschen", name="round_delete")
    async def delete_round(
        self, console: NamedDependency[Console], round_: NamedDependency[Round]
    ) -> Redirect:
        await trials.delete_round(console.db_session, console.workshop, round_.id)
        return console.back(f"Die Runde „{round_.title}“ ist gelöscht.")

    @get("/loeschen", name="workshop_delete_confirm")
    async def confirm_workshop_deletion(self, console: NamedDependency[Console]) -> Template:
        db_session, workshop = console.db_session, console.workshop
        running = await rounds.current_round(db_session, workshop)
        rounds_held, participants = await trials.workshop_size(db_session, workshop)
        action = console.request.app.route_reverse("workshop_delete", workshop_id=workshop.id)
        return _confirmation(
            console,
            action,
            title=f"Workshop „{workshop.title}“ löschen?",
            consequence=f"Der Workshop mit {_count(rounds_held, 'Runde', 'Runden')}, den Stimmen "
            f"von {participants} Teilnehmenden und allen Notizen wird endgültig gelöscht.",
            blocked=trials.still_running(running) if running else None,
            button="Workshop endgültig löschen",
        )

    @post("/loeschen", name="workshop_delete")
    async def delete_workshop(self, console: NamedDependency[Console]) -> Redirect:
        workshop = console.workshop
        title = workshop.title
        assessment_page = console.request.app.route_reverse(
            "assessment", assessment_id=workshop.assessment_id
        )
        await trials.delete_workshop(console.db_session, workshop)
        return console.back(f"Der Workshop „{title}“ ist gelöscht.", assessment_page)
