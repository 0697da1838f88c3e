"""What several workshop handlers show: the two pages that hold the notes form (the
moderator's control view and the scribe's page; each is shown again with the message when
a form on it failed, and a form that went through leads back to it), and the round on a
participant's phone.

Both are provided by their class: their fields are marked like a handler's parameters."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.db.models import Participant, Workshop, WorkshopNote
from selfcheck.errors import InvalidInput, NotFound
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import NoteKind, RoundKind, RoundStatus
from selfcheck.web.addresses import loopback_warning
from selfcheck.web.forms import flash, text
from selfcheck.workshop import notes, rounds, steps, votes
from selfcheck.workshop.codes import format_join_code
from selfcheck.workshop.console import console_state
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS
from selfcheck.workshop.links import control_path, join_url
from selfcheck.workshop.live import item_labels


@dataclass(frozen=True)
class NoteLinks:
    """Where the notes form posts to and deletes from: the moderator's or the scribe's routes."""

    add: str
    delete: Callable[[int], str]


@dataclass(frozen=True)
class NotesPage(ABC):
    """A page of one checked workshop with its notes form."""

    request: Request[Any, Any, Any]
    db_session: NamedDependency[AsyncSession]
    workshop: NamedDependency[Workshop]
    questionnaire: NamedDependency[Questionnaire]

    @abstractmethod
    async def render(self, *, error: str | None = None) -> Template: ...

    @abstractmethod
    def address(self, anchor: str = "") -> str: ...

    @abstractmethod
    def note_links(self) -> NoteLinks: ...

    async def add_note(self, data: dict[str, str]) -> Template | Redirect:
        """Save the note of the form and go back to its field; a refused note shows the page
        again with the message."""
        try:
            await notes.add_note(
                self.db_session,
                self.workshop,
                self.questionnaire,
                text(data, "field_id"),
                text(data, "kind"),
                data.get("text", ""),
                responsible=text(data, "responsible"),
                timeframe=text(data, "timeframe"),
            )
        except InvalidInput as refusal:
            return await self.render(error=refusal.message)
        return self.back("Die Notiz ist gespeichert.", f"notizen-{text(data, 'field_id')}")

    async def delete_note(self, note: WorkshopNote) -> Redirect:
        await notes.remove_note(self.db_session, note)
        return self.back("Die Notiz ist gelöscht.")

    def back(self, message: str, anchor: str = "") -> Redirect:
        """To this page (at `anchor`), which shows `message` once."""
        flash(self.request, message)
        return Redirect(path=self.address(anchor))

    async def notes_context(self) -> dict[str, Any]:
        """What partials/notes.html needs."""
        listed = await notes.list_notes(self.db_session, self.workshop)
        by_field = {
            field.id: [n for n in listed if n.field_id == field.id]
            for field in self.questionnaire.fields
        }
        return {"notes_by_field": by_field, "note_kinds": NoteKind, "note_links": self.note_links()}


@dataclass(frozen=True)
class ControlPage(NotesPage):
    """The moderator's control view of the workshop."""

    async def render(self, *, error: str | None = None, scribe_url: str | None = None) -> Template:
        request, workshop = self.request, self.workshop
        listed = await rounds.list_rounds(self.db_session, workshop)
        return Template(
            "moderation/workshop.html",
            context={
                "workshop": workshop,
                "assessment": workshop.assessment,
                "municipality": workshop.assessment.municipality,
                "join_code": format_join_code(workshop.join_code),
                "join_url": join_url(request, workshop),
                "rounds": listed,
                "console": console_state(listed),
                "reopenings": await rounds.reopenings_of(self.db_session, workshop),
                "round_titles": {r.id: r.title for r in listed},
                "address_warning": loopback_warning(request),
                "RoundKind": RoundKind,
                "RoundStatus": RoundStatus,
                "questionnaire": self.questionnaire,
                "error": error,
                "scribe_url": scribe_url,
                **await self.notes_context(),
            },
            status_code=422 if error else 200,
        )

    def address(self, anchor: str = "") -> str:
        return control_path(self.request, self.workshop, anchor)

    def note_links(self) -> NoteLinks:
        reverse, workshop = self.request.app.route_reverse, self.workshop.id
        return NoteLinks(
            add=reverse("notes_add", workshop_id=workshop),
            delete=lambda note_id: reverse("notes_delete", workshop_id=workshop, note_id=note_id),
        )


@dataclass(frozen=True)
class ScribePage(NotesPage):
    """The notes page behind a scribe's link (no account needed)."""

    token: FromPath[str]

    async def render(self, *, error: str | None = None) -> Template:
        return Template(
            "workshop/scribe.html",
            context={
                "workshop": self.workshop,
                "questionnaire": self.questionnaire,
                "error": error,
                **await self.notes_context(),
            },
            status_code=422 if error else 200,
        )

    def address(self, anchor: str = "") -> str:
        path = self.request.app.route_reverse("notes_scribe", token=self.token)
        return f"{path}#{anchor}" if anchor else path

    def note_links(self) -> NoteLinks:
        reverse, token = self.request.app.route_reverse, self.token
        return NoteLinks(
            add=reverse("notes_scribe", token=token),
            delete=lambda note_id: reverse("notes_delete_scribe", token=token, note_id=note_id),
        )


@dataclass(frozen=True)
class PhoneRound:
    """The round a participant's phone shows, with their votes and the step they are on."""

    db_session: NamedDependency[AsyncSession]
    questionnaire: NamedDependency[Questionnaire]
    workshop: NamedDependency[Workshop]
    participant: NamedDependency[Participant | None]  # None before joining

    async def context(self, requested_step: str | None = None) -> dict[str, Any]:
        """What workshop/round.html needs."""
        participant = self.participant
        if participant is None:
            raise NotFound("Bitte treten Sie dem Workshop zuerst bei.")
        session, questionnaire, workshop = self.db_session, self.questionnaire, self.workshop
        round_ = await rounds.current_round(session, workshop)
        my_votes = await votes.votes_of(session, participant, round_.id) if round_ else {}
        keys = [item.item_key for item in round_.items] if round_ else []
        choices = steps.choices(questionnaire, round_.kind) if round_ else []
        return {
            "workshop": workshop,
            "join_code": format_join_code(workshop.join_code),
            "round": round_,
            "RoundKind": RoundKind,
            "my_votes": my_votes,
            "labels": item_labels(questionnaire),
            "choices": choices,
            "choice_titles": {choice.value: choice.title for choice in choices},
            "step": steps.current_step(requested_step, keys, my_votes),
            "step_unit": steps.step_unit(round_.kind) if round_ else "",
            "categories": questionnaire.categories,
            "group": STAKEHOLDER_GROUPS.get(participant.stakeholder_group or "", None),
        }
