"""Export of a whole assessment to JSON and import into another installation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from selfcheck.db.engine import Database
from selfcheck.db.models import (
    Answer,
    AnswerChange,
    Assessment,
    Base,
    Municipality,
    MunicipalityModerator,
    Participant,
    Round,
    Vote,
    Workshop,
    WorkshopNote,
)
from selfcheck.errors import InvalidInput
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.export_format import AssessmentExport, encode_export
from selfcheck.reporting.importing import ImportRefused, decode_export, import_export
from tests.conftest import World
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export
from tests.reporting.conftest import (
    ADMIN,
    GROUPS,
    MOOD,
    NOTES,
    QUESTION_VOTES,
    Diverging,
)

Mutation = Callable[[dict[str, Any]], None]


async def _export(database: Database, assessment_id: int) -> AssessmentExport:
    async with database.reading() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        return await export_assessment(session, assessment)


def _comparable(export: AssessmentExport) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(encode_export(export))
    del data["exported_at"]
    return data


async def _empty(database: Database) -> None:
    async with database.writing() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())


async def _row_counts(database: Database) -> dict[str, int]:
    async with database.reading() as session:
        return {
            model.__tablename__: await session.scalar(select(func.count()).select_from(model))
            or 0
            for model in (Municipality, Assessment, Answer, AnswerChange, Workshop,
                          Participant, Round, Vote, WorkshopNote)
        }  # fmt: skip


async def _import(
    database: Database, registry: QuestionnaireRegistry, data: bytes, **kwargs: Any
) -> int:
    async with database.writing() as session:
        assessment = await import_export(session, registry, decode_export(data), **kwargs)
        return assessment.id


async def test_export_then_import_into_an_empty_database_then_export_gives_the_same_file(
    database: Database, registry: QuestionnaireRegistry, diverging: Diverging
) -> None:
    first = await _export(database, diverging.assessment.id)
    await _empty(database)

    new_id = await _import(database, registry, encode_export(first))
    again = await _export(database, new_id)

    assert _comparable(again) == _comparable(first)
    assert len(first.answers) == 105
    assert [len(r.votes) for r in first.workshops[0].rounds] == [13 + 13 + 5 * 12, 24]


def _keys(value: Any, path: str = "") -> set[str]:
    """Every key of a JSON document as a dotted path, list indexes left out."""
    if isinstance(value, dict):
        return {
            k
            for key, item in value.items()
            for k in {f"{path}{key}", *_keys(item, f"{path}{key}.")}
        }
    if isinstance(value, list):
        return {k for item in value for k in _keys(item, path)}
    return set()


async def test_the_export_carries_no_secrets_or_database_ids(
    database: Database, diverging: Diverging
) -> None:
    text = encode_export(await _export(database, diverging.assessment.id)).decode()
    async with database.reading() as session:
        participant_ids = list(await session.scalars(select(Participant.id)))
    assert all(pid not in text for pid in participant_ids)  # cookie secrets
    assert diverging.workshop.join_code not in text
    keys = _keys(json.loads(text))
    assert {k for k in keys if k.endswith("id") or "token" in k} == {
        "questionnaire.id", "answers.question_id", "workshops.notes.field_id",
    }  # fmt: skip
    assert "t1" in text and "workshops.participants.key" in keys


async def test_an_imported_assessment_gets_a_new_join_code_and_the_named_moderator(
    database: Database, registry: QuestionnaireRegistry, diverging: Diverging, world: World
) -> None:
    data = encode_export(await _export(database, diverging.assessment.id))
    new_id = await _import(database, registry, data, moderator=world.bob)
    async with database.reading() as session:
        imported = await session.get(Assessment, new_id)
        assert imported is not None
        workshop = await session.scalar(select(Workshop).where(Workshop.assessment_id == new_id))
        assigned = await session.get(
            MunicipalityModerator, (imported.municipality_id, world.bob.id)
        )
    assert workshop is not None and workshop.join_code != diverging.workshop.join_code
    assert assigned is not None


def _set(path: str, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return mutate


BAD_FILES: list[tuple[str, Mutation, str]] = [
    ("questionnaire_version", _set("questionnaire.version", "1999.1"),
     "Der Fragebogen „weltoffene-kommune“ in Version „1999.1“ ist auf diesem System nicht "
     "installiert."),
    ("unknown_question", _set("answers.0.question_id", "XX-99"),
     "Antwort auf Frage „XX-99“: Die Frage „XX-99“ gibt es in diesem Fragebogen nicht."),
    ("answer_off_the_scale", _set("answers.1.value", "vielleicht"),
     "„vielleicht“ ist keine mögliche Antwort."),
    ("vote_off_the_scale", _set("workshops.0.rounds.0.votes.0.value", "7"),
     "Stimme 1: „7“ ist in dieser Runde keine mögliche Antwort."),
    ("vote_of_a_stranger", _set("workshops.0.rounds.0.votes.0.participant", "t999"),
     "Teilnehmende mit dem Schlüssel „t999“ fehlen."),
    ("vote_on_another_item", _set("workshops.0.rounds.1.votes.0.item", "IO-01"),
     "Über „IO-01“ wurde in dieser Runde nicht abgestimmt."),
    ("mood_round_missing_a_field", _set("workshops.0.rounds.0.items", ["MS", "IO"]),
     "Die abgestimmten Punkte passen nicht zur Art der Runde."),
    ("unknown_group", _set("workshops.0.participants.0.stakeholder_group", "presse"),
     "Die Gruppe „presse“ von Teilnehmenden gibt es nicht."),
    ("note_on_unknown_field", _set("workshops.0.notes.0.field_id", "XX"),
     "Das Handlungsfeld „XX“ gibt es im Fragebogen nicht."),
    ("timestamp_without_zone", _set("assessment.created_at", "2026-11-20T09:00:00"),
     "An der Stelle „assessment.created_at“: der Zeitpunkt braucht eine Zeitzone"),
    ("wrong_type", _set("workshops.0.min_group_size", "drei"),
     "An der Stelle „workshops[0].min_group_size“: erwartet wird ganze Zahl, gefunden: Text."),
    ("missing_field", lambda data: data["municipality"].pop("name"),
     "An der Stelle „municipality“: die Angabe „name“ fehlt."),
    ("unknown_round_kind", _set("workshops.0.rounds.0.kind", "quiz"),
     "An der Stelle „workshops[0].rounds[0].kind“: der Wert 'quiz' ist nicht erlaubt."),
    ("newer_format", _set("format_version", 4),
     "Die Datei hat die Formatversion 4; diese Installation liest die Versionen 1, 2 und 3."),
    ("other_file", lambda data: data.pop("format"), "keine Selbstcheck-Exportdatei"),
]  # fmt: skip


@pytest.fixture
def sample(questionnaire: Questionnaire) -> dict[str, Any]:
    """A complete export (all answers, a Stimmungsbild, a question round, notes) as JSON."""
    export = make_export(
        questionnaire,
        answers_for(questionnaire, ADMIN),
        [WorkshopSpec([RoundSpec("mood", MOOD), RoundSpec("questions", QUESTION_VOTES)],
                      groups=GROUPS, notes=NOTES)],
    )  # fmt: skip
    data: dict[str, Any] = json.loads(encode_export(export))
    return data


@pytest.mark.parametrize(
    ("mutate", "message"), [(m, msg) for _, m, msg in BAD_FILES], ids=[i for i, _, _ in BAD_FILES]
)
async def test_a_bad_file_is_refused_with_a_german_message_and_changes_nothing(
    database: Database,
    registry: QuestionnaireRegistry,
    sample: dict[str, Any],
    mutate: Mutation,
    message: str,
) -> None:
    await _import(database, registry, json.dumps(sample).encode())  # the sample itself is fine
    mutate(sample)
    before = await _row_counts(database)

    with pytest.raises(ImportRefused) as refused:
        await _import(database, registry, json.dumps(sample).encode())

    assert refused.value.message.startswith("Die Datei wurde nicht importiert")
    assert message in refused.value.message
    assert await _row_counts(database) == before


async def test_a_file_that_is_not_json_is_refused(
    database: Database, registry: QuestionnaireRegistry
) -> None:
    with pytest.raises(ImportRefused) as refused:
        decode_export(b'{"format": "selfcheck-export", ')
    assert "kein gültiges JSON" in refused.value.message


async def test_a_failure_while_writing_rolls_the_whole_import_back(
    database: Database, registry: QuestionnaireRegistry, sample: dict[str, Any]
) -> None:
    # A workshop title of blanks passes the format check but not the workshop service,
    # which runs after the municipality, assessment and answers were already written.
    sample["workshops"][0]["title"] = "   "
    before = await _row_counts(database)

    with pytest.raises(InvalidInput, match="Titel"):
        await _import(database, registry, json.dumps(sample).encode())

    assert await _row_counts(database) == before
