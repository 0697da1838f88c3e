"""Providers for the workshop's handlers: each returns the checked, fully loaded object a
handler acts on, so no handler looks one up itself.

Moderators reach a workshop through `accounts.access.workshop_for` (another municipality's
workshop is "not found"); participants through the join code, whose wrong guesses are
rate-limited; scribes through the token of their link. Rounds and notes are looked up only
within the workshop already checked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from litestar import Request
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect, ServerSentEvent, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.accounts.access import assessment_for, workshop_for
from selfcheck.accounts.ratelimit import RateLimiter
from selfcheck.db.models import Assessment, Participant, Round, User, Workshop, WorkshopNote
from selfcheck.errors import NotFound, TooManyAttempts
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.web.forms import flash
from selfcheck.workshop import notes, rounds, workshops
from selfcheck.workshop.links import control_path
from selfcheck.workshop.live import LiveHub, Snapshot, View
from selfcheck.workshop.pages import ControlPage, PhoneRound, ScribePage
from selfcheck.workshop.streams import snapshot_stream

T = TypeVar("T")

TOO_MANY_CODES: Final = (
    "Zu viele falsche Codes. Bitte warten Sie einige Minuten und versuchen Sie es dann erneut."
)


def participant_cookie(workshop_id: int) -> str:
    return f"selfcheck_p{workshop_id}"


async def provide_assessment(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    assessment_id: FromPath[int],
) -> Assessment:
    """The assessment a new workshop belongs to, if the moderator may see it."""
    return await assessment_for(db_session, current_user, assessment_id)


async def provide_moderated_workshop(
    db_session: NamedDependency[AsyncSession],
    current_user: NamedDependency[User],
    workshop_id: FromPath[int],
) -> Workshop:
    """The workshop with its assessment and municipality, if the moderator may see it."""
    checked = await workshop_for(db_session, current_user, workshop_id)
    return await workshops.loaded_workshop(db_session, checked.id)


async def provide_round(
    db_session: NamedDependency[AsyncSession],
    workshop: NamedDependency[Workshop],
    round_id: FromPath[int],
) -> Round:
    return await rounds.get_round(db_session, workshop, round_id)


async def provide_note(
    db_session: NamedDependency[AsyncSession],
    workshop: NamedDependency[Workshop],
    note_id: FromPath[int],
) -> WorkshopNote:
    return await notes.get_note(db_session, workshop, note_id)


def provide_questionnaire(
    registry: NamedDependency[QuestionnaireRegistry], workshop: NamedDependency[Workshop]
) -> Questionnaire:
    """The questionnaire version the workshop's assessment is pinned to (each workshop
    provider loads the assessment)."""
    return registry.for_assessment(workshop.assessment)


async def counting_wrong_codes(
    request: Request[Any, Any, Any], lookup: Callable[[], Awaitable[T]]
) -> T:
    """The result of a lookup by join code. Unknown codes (NotFound) count as guesses, and
    a client that guessed too often is refused for a while."""
    limiter: RateLimiter = request.app.state.join_limiter
    client = request.client.host if request.client else "unbekannt"
    if limiter.is_blocked(client):
        raise TooManyAttempts(TOO_MANY_CODES)
    try:
        return await lookup()
    except NotFound:
        limiter.record(client)
        raise


async def workshop_by_guessable_code(
    request: Request[Any, Any, Any], session: AsyncSession, code: str
) -> Workshop:
    """The workshop to a typed or linked join code, counting wrong codes as guesses."""
    return await counting_wrong_codes(request, lambda: workshops.workshop_by_code(session, code))


async def provide_participant_workshop(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    code: FromPath[str],
) -> Workshop:
    return await workshop_by_guessable_code(request, db_session, code)


async def provide_participant(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    workshop: NamedDependency[Workshop],
) -> Participant | None:
    """The participant behind the workshop's cookie; None before joining."""
    participant_id = request.cookies.get(participant_cookie(workshop.id))
    if not participant_id:
        return None
    return await workshops.find_participant(db_session, workshop, participant_id)


async def provide_scribe_workshop(
    db_session: NamedDependency[AsyncSession], token: FromPath[str]
) -> Workshop:
    return await workshops.workshop_by_scribe_token(db_session, token)


@dataclass(frozen=True)
class WorkshopFeed:
    """The live state of one checked workshop, as its console, projector and phones see it."""

    hub: LiveHub
    workshop_id: int

    def stream(self, view: View) -> ServerSentEvent:
        """`view(snapshot)` as an event stream, sent again whenever it changes."""
        return snapshot_stream(self.hub, self.workshop_id, view)

    async def snapshot(self) -> Snapshot:
        """The state once: the polling fallback where a stream cannot be held."""
        return await self.hub.read_snapshot(self.workshop_id)

    def announce(self) -> BackgroundTask:
        """A task for the response: after the commit, the workshop's screens learn of it."""
        return BackgroundTask(self.hub.changed, self.workshop_id)


def provide_feed(
    live_hub: NamedDependency[LiveHub], workshop: NamedDependency[Workshop]
) -> WorkshopFeed:
    return WorkshopFeed(live_hub, workshop.id)


@dataclass(frozen=True)
class Console:
    """A moderator's checked workshop with what a console button needs to change it."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    feed: NamedDependency[WorkshopFeed]
    workshop: NamedDependency[Workshop]

    def back(self, message: str, url: str | None = None) -> Redirect:
        """To `url` (the control view unless given) with `message`; projectors and phones
        of the workshop learn of the change after the commit."""
        flash(self.request, message)
        path = url or control_path(self.request, self.workshop)
        return Redirect(path=path, background=self.feed.announce())


@dataclass(frozen=True)
class CodeEntry:
    """The form for a workshop's join code: a code typed in any form (any case, with or
    without hyphen) leads into its workshop; an empty or unknown one shows the form again
    with the message."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]

    def form(self, code: str = "", error: str | None = None, status_code: int = 200) -> Template:
        return Template(
            "workshop/enter_code.html",
            context={"code": code, "error": error},
            status_code=status_code,
        )

    async def enter(self, code: str) -> Template | Redirect:
        if not code.strip():
            return self.form(
                error="Bitte geben Sie den Code von der Leinwand ein.", status_code=422
            )
        try:
            workshop = await workshop_by_guessable_code(self.request, self.db_session, code)
        except NotFound as error:
            return self.form(code, error.message, status_code=404)
        path = self.request.app.route_reverse("workshop_participant", code=workshop.join_code)
        return Redirect(path=path)


# The controllers' `dependencies`: a handler resolves only the providers it declares. The
# objects that group what several handlers need (Console, CodeEntry and the pages) are
# provided by their class, whose fields are marked like a handler's parameters. The
# questionnaire and the live feed are shared by every screen that has its workshop.
_QUESTIONNAIRE_AND_FEED: Final = {
    "questionnaire": Provide(provide_questionnaire, sync_to_thread=False),
    "feed": Provide(provide_feed, sync_to_thread=False),
}
MODERATION: Final = {
    "assessment": Provide(provide_assessment),
    "workshop": Provide(provide_moderated_workshop),
    "round_": Provide(provide_round),
    "note": Provide(provide_note),
    **_QUESTIONNAIRE_AND_FEED,
    "console": Provide(Console, sync_to_thread=False),
    "control_page": Provide(ControlPage, sync_to_thread=False),
}
PARTICIPANT: Final = {
    "workshop": Provide(provide_participant_workshop),
    "participant": Provide(provide_participant),
    **_QUESTIONNAIRE_AND_FEED,
    "phone_round": Provide(PhoneRound, sync_to_thread=False),
    "code_entry": Provide(CodeEntry, sync_to_thread=False),
}
SCRIBE: Final = {
    "workshop": Provide(provide_scribe_workshop),
    "note": Provide(provide_note),
    "questionnaire": Provide(provide_questionnaire, sync_to_thread=False),
    "scribe_page": Provide(ScribePage, sync_to_thread=False),
}
