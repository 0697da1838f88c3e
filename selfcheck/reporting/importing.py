"""Importing an assessment export into this installation.

All or nothing: the file is decoded and checked completely before anything is written, and
the caller writes it in one transaction. A bad file is refused with German messages that
say where the problem is; nothing is changed then.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import msgspec
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.assessments.answers import validate_answer
from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    FieldRoundChoice,
    Municipality,
    MunicipalityModerator,
    Participant,
    Round,
    RoundItem,
    User,
    Vote,
    WorkshopNote,
)
from selfcheck.errors import InvalidInput
from selfcheck.formatting import number_de
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.export_format import (
    FORMAT_NAME,
    READABLE_VERSIONS,
    AnswerData,
    AssessmentExport,
    RoundData,
    WorkshopData,
    row_values,
)
from selfcheck.reporting.plan_exchange import measure_problems, write_measures
from selfcheck.validation_messages import import_message, read_failure
from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind, RoundStatus
from selfcheck.workshop import rounds, votes, workshops
from selfcheck.workshop.groups import STAKEHOLDER_GROUPS

MAX_PROBLEMS_SHOWN: Final = 20
REFUSED: Final = "Die Datei wurde nicht importiert, es wurde nichts geändert."


class ImportRefused(InvalidInput):
    """The file cannot be imported; `problems` lists why, in German."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        lines = [REFUSED, *(f"- {p}" for p in shown)]
        if len(self.problems) > len(shown):
            lines.append(f"- … und {len(self.problems) - len(shown)} weitere Probleme.")
        super().__init__("\n".join(lines))


# --- Reading and decoding, in bounded memory ----------------------------------------

# Counts far above any real assessment (105 questions, workshops of a few hundred people),
# low enough that a file within them decodes in well under a second and a few hundred MB.
MAX_ANSWERS: Final = 1_000
MAX_ANSWER_CHANGES: Final = 50_000  # history entries, all answers together
MAX_WORKSHOPS: Final = 50
MAX_PARTICIPANTS: Final = 10_000  # all workshops together
MAX_VOTES: Final = 200_000
MAX_NOTES: Final = 5_000
MAX_MEASURES: Final = 2_000


def read_export_file(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused unread if it is larger than `max_bytes` (the setting
    SELFCHECK_IMPORT_MAX_BYTES), and never more than that read into memory."""
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportRefused([_too_large(size, max_bytes)])
    with path.open("rb") as file:
        data = file.read(max_bytes + 1)  # the file may have grown since
    if len(data) > max_bytes:
        raise ImportRefused([_too_large(len(data), max_bytes)])
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"Die Datei ist {_megabytes(size)} groß; erlaubt sind höchstens {_megabytes(max_bytes)} "
        "(Einstellung SELFCHECK_IMPORT_MAX_BYTES). Ein Export dieser Anwendung ist meist "
        "wenige MB groß."
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def decode_export(data: bytes) -> AssessmentExport:
    """Parse an export file, or raise ImportRefused saying what is wrong and where.

    A first pass only counts (everything else is skipped without building objects), so
    a file with absurd numbers of entries is refused before it takes memory."""
    outline = _outline(data)
    _check_format(outline or _header(data))
    if outline is not None:
        _check_counts(outline)
    try:
        return msgspec.json.decode(data, type=AssessmentExport)
    except msgspec.ValidationError as error:
        raise ImportRefused([import_message(read_failure(error))]) from None


class _RoundOutline(msgspec.Struct):
    votes: list[msgspec.Raw] = []


class _WorkshopOutline(msgspec.Struct):
    participants: list[msgspec.Raw] = []
    rounds: list[_RoundOutline] = []
    notes: list[msgspec.Raw] = []


class _AnswerOutline(msgspec.Struct):
    history: list[msgspec.Raw] = []


class _Outline(msgspec.Struct):
    format: Any = None
    format_version: Any = None
    answers: list[_AnswerOutline] = []
    workshops: list[_WorkshopOutline] = []
    measures: list[msgspec.Raw] = []


class _Header(msgspec.Struct):
    format: Any = None
    format_version: Any = None


def _outline(data: bytes) -> _Outline | None:
    """The counts of the file; None if its structure is wrong somewhere (the full
    decoding then says where, and stops there)."""
    try:
        return msgspec.json.decode(data, type=_Outline)
    except msgspec.DecodeError as error:
        raise ImportRefused([_json_problem(str(error))]) from None
    except msgspec.ValidationError:
        return None


def _header(data: bytes) -> _Header:
    try:
        return msgspec.json.decode(data, type=_Header)
    except msgspec.ValidationError:  # not even an object
        return _Header()


def _check_counts(outline: _Outline) -> None:
    workshops = outline.workshops
    counts = [
        ("Antworten", len(outline.answers), MAX_ANSWERS),
        ("Einträge im Verlauf der Antworten",
         sum(len(a.history) for a in outline.answers), MAX_ANSWER_CHANGES),
        ("Workshops", len(workshops), MAX_WORKSHOPS),
        ("Teilnehmende", sum(len(w.participants) for w in workshops), MAX_PARTICIPANTS),
        ("Stimmen", sum(len(r.votes) for w in workshops for r in w.rounds), MAX_VOTES),
        ("Notizen", sum(len(w.notes) for w in workshops), MAX_NOTES),
        ("Maßnahmen", len(outline.measures), MAX_MEASURES),
    ]  # fmt: skip
    problems = [
        f"Die Datei enthält {number_de(found)} {what}; erlaubt sind höchstens {number_de(limit)}. "
        "Ist es wirklich ein Export dieser Anwendung?"
        for what, found, limit in counts
        if found > limit
    ]
    if problems:
        raise ImportRefused(problems)


def _json_problem(detail: str) -> str:
    at = re.search(r"byte (\d+)", detail)
    where = f" (bei Zeichen {int(at.group(1)) + 1})" if at else ""
    return f"Die Datei ist kein gültiges JSON{where}. Ist es wirklich eine Selbstcheck-Exportdatei?"


def _check_format(outline: _Outline | _Header) -> None:
    if outline.format != FORMAT_NAME:
        raise ImportRefused(
            ["Die Datei ist keine Selbstcheck-Exportdatei (die Angabe „format“ fehlt oder passt "
             "nicht)."]
        )  # fmt: skip
    version = outline.format_version
    if version not in READABLE_VERSIONS:
        raise ImportRefused(
            [f"Die Datei hat die Formatversion {version!r}; diese Installation liest die "
             f"Versionen {_listed(READABLE_VERSIONS)}. Bitte exportieren Sie "
             "mit einer passenden Version."]
        )  # fmt: skip


def _listed(numbers: Sequence[int]) -> str:
    *first, last = map(str, numbers)
    return f"{', '.join(first)} und {last}" if first else last


# --- Checking against the questionnaire ------------------------------------------------


def check_export(registry: QuestionnaireRegistry, export: AssessmentExport) -> Questionnaire:
    """The questionnaire of the export, if everything in it fits; else ImportRefused."""
    try:
        questionnaire = registry.for_assessment(export)
    except InvalidInput as error:
        raise ImportRefused([error.message]) from None
    problems = [
        *_assessment_problems(export),
        *_answer_problems(questionnaire, export.answers),
        *(
            problem
            for index, workshop in enumerate(export.workshops, start=1)
            for problem in _workshop_problems(questionnaire, index, workshop)
        ),
        *_choice_problems(export),
        *measure_problems(questionnaire, export),
    ]
    if problems:
        raise ImportRefused(problems)
    return questionnaire


def _choice_problems(export: AssessmentExport) -> Iterator[str]:
    """A field's chosen round: a closed round that is no trial, rated the field, and is the
    only one chosen for it."""
    chosen: set[str] = set()
    for index, workshop in enumerate(export.workshops, start=1):
        for number, round_ in enumerate(workshop.rounds, start=1):
            if not round_.chosen_for:
                continue
            where = f"Workshop {index} („{workshop.title}“), Runde {number} („{round_.title}“)"
            if round_.trial or workshop.trial or round_.status != RoundStatus.CLOSED:
                yield f"{where}: Nur eine geschlossene Runde, die kein Probelauf ist, kann zählen."
            rates_fields = round_.kind != RoundKind.QUESTIONS
            if not rates_fields or not set(round_.chosen_for) <= set(round_.items):
                yield f"{where}: Die Runde kann nur für Handlungsfelder zählen, die sie bewertet."
            for field_id in round_.chosen_for:
                if field_id in chosen:
                    yield f"{where}: Für „{field_id}“ ist mehr als eine Runde ausgewählt."
                chosen.add(field_id)


def _assessment_problems(export: AssessmentExport) -> Iterator[str]:
    assessment = export.assessment
    if assessment.status == AssessmentStatus.SUBMITTED and assessment.submitted_at is None:
        yield "Der Selbstcheck ist als abgeschlossen markiert, aber ohne Zeitpunkt des Abschlusses."


def _answer_problems(questionnaire: Questionnaire, answers: Sequence[AnswerData]) -> Iterator[str]:
    seen: set[str] = set()
    for answer in answers:
        where = f"Antwort auf Frage „{answer.question_id}“"
        if answer.question_id in seen:
            yield f"{where}: Die Frage ist mehrfach beantwortet."
        seen.add(answer.question_id)
        try:
            validate_answer(questionnaire, answer.question_id, answer.value, answer.comment)
            for change in answer.history:
                validate_answer(questionnaire, answer.question_id, change.value, change.comment)
        except InvalidInput as error:
            yield f"{where}: {error.message}"
            continue
        versions = [change.version for change in answer.history]
        if versions != sorted(set(versions)) or (versions and versions[-1] > answer.version):
            yield (
                f"{where}: Die Versionen im Verlauf müssen aufsteigen und dürfen die aktuelle "
                f"Version {answer.version} nicht übersteigen."
            )


def _workshop_problems(
    questionnaire: Questionnaire, index: int, workshop: WorkshopData
) -> Iterator[str]:
    where = f"Workshop {index} („{workshop.title}“)"
    keys = [p.key for p in workshop.participants]
    if len(set(keys)) != len(keys):
        yield f"{where}: Teilnehmende sind mehrfach aufgeführt."
    for participant in workshop.participants:
        group = participant.stakeholder_group
        if group is not None and group not in STAKEHOLDER_GROUPS:
            yield f"{where}: Die Gruppe „{group}“ von Teilnehmenden gibt es nicht."
    if sum(1 for r in workshop.rounds if r.status == RoundStatus.OPEN) > 1:
        yield f"{where}: Es ist mehr als eine Runde geöffnet."
    participants = set(keys)
    for number, round_ in enumerate(workshop.rounds, start=1):
        round_where = f"{where}, Runde {number} („{round_.title}“)"
        yield from _round_problems(questionnaire, round_where, round_, participants)
    field_ids = questionnaire.field_ids()
    for number, note in enumerate(workshop.notes, start=1):
        note_where = f"{where}, Notiz {number}"
        if note.field_id not in field_ids:
            yield f"{note_where}: Das Handlungsfeld „{note.field_id}“ gibt es im Fragebogen nicht."
        if not note.text.strip():
            yield f"{note_where}: Der Text ist leer."
        if note.kind != NoteKind.MEASURE and (note.responsible or note.timeframe):
            yield f"{note_where}: Verantwortliche und Zeitrahmen gibt es nur bei Maßnahmen."


def _round_problems(
    questionnaire: Questionnaire, where: str, round_: RoundData, participants: set[str]
) -> Iterator[str]:
    question_ids = questionnaire.question_ids()
    if round_.kind == RoundKind.QUESTIONS and not set(round_.items) <= question_ids:
        unknown = ", ".join(sorted(set(round_.items) - question_ids))
        yield f"{where}: Diese Fragen gibt es im Fragebogen nicht: {unknown}."
        return
    try:
        expected = rounds.round_item_keys(
            questionnaire, round_.kind, *_round_target(questionnaire, round_)
        )
    except InvalidInput as error:
        yield f"{where}: {error.message}"
        return
    if sorted(expected) != sorted(round_.items):
        yield f"{where}: Die abgestimmten Punkte passen nicht zur Art der Runde."
        return
    if round_.status == RoundStatus.DRAFT and round_.votes:
        yield f"{where}: Eine nicht geöffnete Runde kann keine Stimmen haben."
    if round_.status != RoundStatus.DRAFT and round_.opened_at is None:
        yield f"{where}: Der Zeitpunkt der Öffnung fehlt."
    if round_.status == RoundStatus.CLOSED and round_.closed_at is None:
        yield f"{where}: Der Zeitpunkt des Schließens fehlt."
    allowed = votes.allowed_values(questionnaire, round_.kind)
    cast: set[tuple[str, str]] = set()
    for number, vote in enumerate(round_.votes, start=1):
        vote_where = f"{where}, Stimme {number}"
        if vote.item not in round_.items:
            yield f"{vote_where}: Über „{vote.item}“ wurde in dieser Runde nicht abgestimmt."
        if vote.participant not in participants:
            yield f"{vote_where}: Teilnehmende mit dem Schlüssel „{vote.participant}“ fehlen."
        if vote.value not in allowed:
            yield f"{vote_where}: „{vote.value}“ ist in dieser Runde keine mögliche Antwort."
        if (vote.item, vote.participant) in cast:
            yield f"{vote_where}: Dieselbe Person hat zu „{vote.item}“ mehrfach abgestimmt."
        cast.add((vote.item, vote.participant))


def _round_target(
    questionnaire: Questionnaire, round_: RoundData
) -> tuple[str | None, Sequence[str]]:
    """The field id and question ids `round_item_keys` needs to rebuild a round's items."""
    if round_.kind == RoundKind.MOOD:
        return None, ()
    if round_.kind == RoundKind.FIELD:
        return (round_.items[0] if round_.items else None), ()
    first = round_.items[0] if round_.items else None
    field = questionnaire.field_of(first) if first else None
    return (field.id if field else None), round_.items


# --- Writing ---------------------------------------------------------------------------


async def import_export(
    session: AsyncSession,
    registry: QuestionnaireRegistry,
    export: AssessmentExport,
    *,
    moderator: User | None = None,
    into: Municipality | None = None,
) -> Assessment:
    """Create a new municipality and assessment from a checked export, in the caller's
    transaction. `moderator`, if given, is assigned to the new municipality.

    With `into`, the assessment joins that existing municipality instead (for example
    its earlier Selbstcheck from another installation); the municipality's own name and
    figures stay. It then belongs to the municipality's development, and the next newer
    assessment that continues no other one is linked to it as its previous one."""
    questionnaire = check_export(registry, export)
    municipality = into or Municipality(**row_values(export.municipality))
    assessment = Assessment(
        municipality=municipality,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        **row_values(export.assessment),
    )
    session.add(assessment)
    await session.flush()
    if into is not None:
        await _link_as_previous(session, assessment)
    if moderator is not None and not moderator.is_admin:
        link = await session.get(MunicipalityModerator, (municipality.id, moderator.id))
        if link is None:
            session.add(
                MunicipalityModerator(municipality_id=municipality.id, user_id=moderator.id)
            )
    await _write_answers(session, assessment, export.answers)
    for workshop in export.workshops:
        await _write_workshop(session, assessment, workshop)
    await write_measures(session, assessment, export)
    return assessment


async def _link_as_previous(session: AsyncSession, imported: Assessment) -> None:
    follower = await session.scalar(
        select(Assessment)
        .where(
            Assessment.municipality_id == imported.municipality_id,
            Assessment.id != imported.id,
            Assessment.previous_assessment_id.is_(None),
            Assessment.created_at > imported.created_at,
        )
        .order_by(Assessment.created_at, Assessment.id)
        .limit(1)
    )
    if follower is not None:
        follower.previous_assessment_id = imported.id


async def _write_answers(
    session: AsyncSession, assessment: Assessment, answers: Sequence[AnswerData]
) -> None:
    rows = [
        Answer(assessment_id=assessment.id, **row_values(a, leave_out=("history",)))
        for a in answers
    ]
    session.add_all(rows)
    await session.flush()
    for row, answer in zip(rows, answers, strict=True):
        session.add_all(
            AnswerChange(answer_id=row.id, **row_values(change)) for change in answer.history
        )
    await session.flush()


async def _write_workshop(
    session: AsyncSession, assessment: Assessment, data: WorkshopData
) -> None:
    # The service finds a fresh join code; the old one belongs to the other installation.
    workshop = await workshops.create_workshop(
        session, assessment, data.title, data.min_group_size, data.reveal_admin_immediately
    )
    workshop.created_at = data.created_at
    workshop.trial = data.trial
    participant_ids = _new_participant_ids([p.key for p in data.participants])
    session.add_all(
        Participant(
            id=participant_ids[p.key], workshop_id=workshop.id, **row_values(p, leave_out=("key",))
        )
        for p in data.participants
    )
    for round_data in data.rounds:
        round_ = Round(
            workshop_id=workshop.id,
            items=[RoundItem(item_key=key, position=i) for i, key in enumerate(round_data.items)],
            **row_values(round_data, leave_out=("items", "votes", "chosen_for")),
        )
        session.add(round_)
        await session.flush()
        item_ids = {item.item_key: item.id for item in round_.items}
        session.add_all(
            FieldRoundChoice(assessment_id=assessment.id, field_id=field_id, round_id=round_.id)
            for field_id in round_data.chosen_for
        )
        if round_data.votes:
            await session.execute(
                insert(Vote),
                [
                    {
                        "round_item_id": item_ids[v.item],
                        "participant_id": participant_ids[v.participant],
                        "value": v.value,
                        "cast_at": v.cast_at,
                    }
                    for v in round_data.votes
                ],
            )
    session.add_all(
        WorkshopNote(workshop_id=workshop.id, **row_values(note)) for note in data.notes
    )
    await session.flush()


def _new_participant_ids(keys: Sequence[str]) -> dict[str, str]:
    """Fresh random ids (the old ones were cookie secrets elsewhere), sorted so that they
    keep the file's order where two participants joined at the same instant."""
    fresh = sorted(secrets.token_hex(16) for _ in keys)
    return dict(zip(keys, fresh, strict=True))
