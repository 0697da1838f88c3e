"""Trial runs and the chosen round in export files: what counts in the comparison."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from sqlalchemy import update

from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Round
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.reporting.collect import export_assessment
from selfcheck.reporting.comparison import ReportData, compare
from selfcheck.reporting.export_format import AssessmentExport, encode_export
from selfcheck.reporting.exports import votes_table
from selfcheck.reporting.importing import (
    ImportRefused,
    check_export,
    decode_export,
    import_export,
)
from selfcheck.reporting.round_choice import choose_round
from tests.reporting.builders import T0, RoundSpec, WorkshopSpec, answers_for, make_export
from tests.reporting.conftest import ADMIN, Diverging

REAL = RoundSpec("mood", {"MS": ["3", "3", "3", "4"]}, closed_minutes=60, title="Echt")
LATER = RoundSpec("mood", {"MS": ["1", "1", "1"]}, closed_minutes=120, title="Später")


def _file(questionnaire: Questionnaire, *workshops: WorkshopSpec) -> dict[str, Any]:
    export = make_export(questionnaire, answers_for(questionnaire, ADMIN), workshops)
    data: dict[str, Any] = json.loads(encode_export(export))
    return data


def _read(data: dict[str, Any]) -> AssessmentExport:
    return decode_export(json.dumps(data).encode())


def _fields(questionnaire: Questionnaire, export: AssessmentExport) -> list[Any]:
    report: ReportData = compare(questionnaire, export, generated_at=T0)
    return msgspec.to_builtins(report.fields)  # type: ignore[no-any-return]


def test_a_trial_round_in_an_export_file_changes_nothing_in_the_comparison(
    questionnaire: Questionnaire,
) -> None:
    real_only = _fields(questionnaire, _read(_file(questionnaire, WorkshopSpec([REAL]))))
    data = _file(questionnaire, WorkshopSpec([REAL, LATER]))
    assert _fields(questionnaire, _read(data)) != real_only  # unmarked, the later round counts

    data["workshops"][0]["rounds"][1]["trial"] = True
    marked = _read(data)

    assert _fields(questionnaire, marked) == real_only
    assert real_only[0]["workshop"]["overall"]["n"] == 4
    assert {row[1] for row in votes_table(questionnaire, marked).rows} == {"Echt"}


def test_a_trial_workshop_in_an_export_file_changes_nothing_in_the_comparison(
    questionnaire: Questionnaire,
) -> None:
    real = WorkshopSpec([REAL], title="Im Rathaus")
    rehearsal = WorkshopSpec([LATER], title="Generalprobe")
    real_only = _fields(questionnaire, _read(_file(questionnaire, real)))
    data = _file(questionnaire, real, rehearsal)
    data["workshops"][1]["trial"] = True

    marked = _read(data)

    assert _fields(questionnaire, marked) == real_only
    assert {row[0] for row in votes_table(questionnaire, marked).rows} == {"Im Rathaus"}


def test_a_round_chosen_by_the_moderator_counts_instead_of_the_latest(
    questionnaire: Questionnaire,
) -> None:
    both = RoundSpec("mood", {"MS": ["1", "1", "1"], "IO": ["2", "2", "2"]}, closed_minutes=120)
    data = _file(questionnaire, WorkshopSpec([REAL, both]))
    data["workshops"][0]["rounds"][0]["chosen_for"] = ["MS"]

    ms, io = _fields(questionnaire, _read(data))[:2]

    assert ms["workshop"]["source"]["round"] == "Echt"
    assert ms["workshop"]["source"]["chosen"] is True
    assert ms["workshop"]["overall"]["median"] == 3
    assert io["workshop"]["source"]["chosen"] is False  # IO keeps the latest round
    assert io["workshop"]["overall"]["median"] == 2


def test_a_file_without_trial_marks_in_format_version_1_still_reads(
    questionnaire: Questionnaire,
) -> None:
    data = _file(questionnaire, WorkshopSpec([REAL, LATER]))
    data["format_version"] = 1
    for workshop in data["workshops"]:
        del workshop["trial"]
        for round_ in workshop["rounds"]:
            del round_["trial"], round_["chosen_for"]

    export = _read(data)

    assert [r.trial for r in export.workshops[0].rounds] == [False, False]
    assert _fields(questionnaire, export)[0]["workshop"]["source"]["round"] == "Später"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(trial=True, chosen_for=["MS"]), "kein Probelauf"),
        (lambda r: r.update(chosen_for=["IO"]), "die sie bewertet"),
    ],
)
def test_a_chosen_round_that_cannot_count_is_refused_on_import(
    registry: QuestionnaireRegistry, questionnaire: Questionnaire, change: Any, problem: str
) -> None:
    data = _file(questionnaire, WorkshopSpec([REAL]))
    change(data["workshops"][0]["rounds"][0])
    with pytest.raises(ImportRefused, match=problem):
        check_export(registry, _read(data))


async def test_trial_marks_and_chosen_rounds_travel_through_export_and_import(
    database: Database,
    registry: QuestionnaireRegistry,
    questionnaire: Questionnaire,
    diverging: Diverging,
) -> None:
    async with database.writing() as session:
        await session.execute(update(Round).where(Round.kind == "questions").values(trial=True))
        mood = await session.scalar(
            Round.__table__.select().where(Round.kind == "mood").with_only_columns(Round.id)
        )
        assessment = await session.get(Assessment, diverging.assessment.id)
        assert assessment is not None and mood is not None
        await choose_round(session, assessment, questionnaire, "MS", mood)
        first = await export_assessment(session, assessment)
    rounds = first.workshops[0].rounds
    assert [(r.kind, r.trial, r.chosen_for) for r in rounds] == [
        ("mood", False, ["MS"]),
        ("questions", True, []),
    ]

    async with database.writing() as session:
        imported = await import_export(session, registry, decode_export(encode_export(first)))
        again = await export_assessment(session, imported)

    assert again.workshops[0].rounds == first.workshops[0].rounds
