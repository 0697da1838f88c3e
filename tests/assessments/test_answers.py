from __future__ import annotations

import asyncio

import pytest
from msgspec.structs import replace
from sqlalchemy import func, select

from selfcheck.assessments.answers import (
    Conflict,
    Saved,
    answer_history,
    answer_sheet,
    save_answer,
)
from selfcheck.assessments.setup import submit
from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, AnswerChange, Assessment
from selfcheck.errors import InvalidInput, NotAllowed
from selfcheck.questionnaire.schema import NotApplicableOption, Questionnaire
from tests.conftest import SeparateProcesses


async def _save(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    *,
    value: str | None,
    comment: str = "",
    base_version: int,
    editor: str = "Anna Amt",
    question_id: str = "MS-01",
) -> Saved | Conflict:
    async with database.writing() as session:
        return await save_answer(
            session,
            assessment,
            questionnaire,
            question_id=question_id,
            value=value,
            comment=comment,
            base_version=base_version,
            editor=editor,
        )


async def test_first_save_creates_version_one_with_editor(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    result = await _save(database, assessment, questionnaire, value="ja", base_version=0)
    assert isinstance(result, Saved)
    assert (result.answer.value, result.answer.version, result.answer.updated_by) == (
        "ja",
        1,
        "Anna Amt",
    )


async def test_conflicting_saves_show_the_other_answer(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    await _save(database, assessment, questionnaire, value="ja", base_version=0)
    # Both colleagues loaded version 1; Anna saves first.
    first = await _save(
        database,
        assessment,
        questionnaire,
        value="teilweise",
        comment="Konzept im Entwurf",
        base_version=1,
    )
    second = await _save(
        database, assessment, questionnaire, value="nein", base_version=1, editor="Bernd Bürger"
    )
    assert isinstance(first, Saved)
    assert isinstance(second, Conflict)
    assert second.theirs.value == "teilweise"
    assert second.theirs.comment == "Konzept im Entwurf"
    assert second.theirs.updated_by == "Anna Amt"
    assert second.theirs.version == 2
    async with database.reading() as session:
        sheet = await answer_sheet(session, assessment.id)
    assert sheet["MS-01"].value == "teilweise"  # nothing overwritten


async def test_choosing_my_answer_after_a_conflict_saves_it(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    await _save(database, assessment, questionnaire, value="ja", base_version=0)
    await _save(database, assessment, questionnaire, value="teilweise", base_version=1)
    conflict = await _save(
        database, assessment, questionnaire, value="nein", base_version=1, editor="Bernd"
    )
    assert isinstance(conflict, Conflict)
    resolved = await _save(
        database,
        assessment,
        questionnaire,
        value="nein",
        base_version=conflict.theirs.version,
        editor="Bernd",
    )
    assert isinstance(resolved, Saved)
    assert (resolved.answer.value, resolved.answer.version) == ("nein", 3)


async def test_repeating_the_same_save_is_not_a_conflict(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    """A retry after a dropped connection resends what may already be stored."""
    await _save(database, assessment, questionnaire, value="ja", base_version=0)
    again = await _save(database, assessment, questionnaire, value="ja", base_version=0)
    assert isinstance(again, Saved)
    assert again.answer.version == 1


async def test_every_change_is_kept_in_the_history(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    await _save(database, assessment, questionnaire, value="nein", base_version=0, editor="A")
    await _save(
        database,
        assessment,
        questionnaire,
        value="teilweise",
        comment="Beschluss folgt",
        base_version=1,
        editor="B",
    )
    await _save(
        database, assessment, questionnaire, value="weiss_nicht", base_version=2, editor="C"
    )
    async with database.reading() as session:
        history = await answer_history(session, assessment.id, "MS-01")
    assert [(c.version, c.value, c.changed_by) for c in history] == [
        (3, "weiss_nicht", "C"),
        (2, "teilweise", "B"),
        (1, "nein", "A"),
    ]
    assert history[1].comment == "Beschluss folgt"


async def test_concurrent_first_saves_lead_to_one_answer_and_conflicts(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    separate_processes: SeparateProcesses,
) -> None:
    """Each editor's save comes through a process of its own, so nothing in this process
    takes turns for them: the answer's version check and the database decide."""
    values = ["ja", "nein", "teilweise", "weiss_nicht"] * 5
    handles = separate_processes(len(values))
    results = await asyncio.gather(
        *(
            _save(handle, assessment, questionnaire, value=v, base_version=0, editor=f"E{i}")
            for i, (handle, v) in enumerate(zip(handles, values, strict=True))
        )
    )
    saved = [r for r in results if isinstance(r, Saved)]
    conflicts = [r for r in results if isinstance(r, Conflict)]
    async with database.reading() as session:
        stored = (await answer_sheet(session, assessment.id))["MS-01"]
        changes = await session.scalar(select(func.count()).select_from(AnswerChange))
    assert stored.version == 1
    # Only saves with the same value as the winner count as saved; all others conflict.
    assert all(r.answer.value == stored.value for r in saved)
    assert len(saved) + len(conflicts) == len(values)
    assert len(conflicts) == sum(1 for v in values if v != stored.value)
    assert changes == 1


@pytest.mark.parametrize(
    ("question_id", "value", "comment", "message"),
    [
        ("MS-01", "vielleicht", "", "keine mögliche Antwort"),
        ("XX-99", "ja", "", "gibt es in diesem Fragebogen nicht"),
        ("MS-01", "ja", "x" * 2001, "Kommentar ist zu lang"),
    ],
)
async def test_bad_answers_are_refused_and_nothing_is_stored(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    question_id: str,
    value: str,
    comment: str,
    message: str,
) -> None:
    with pytest.raises(InvalidInput, match=message):
        await _save(
            database,
            assessment,
            questionnaire,
            value=value,
            comment=comment,
            base_version=0,
            question_id=question_id,
        )
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_a_comment_of_exactly_2000_characters_is_accepted(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    result = await _save(
        database, assessment, questionnaire, value=None, comment="ä" * 2000, base_version=0
    )
    assert isinstance(result, Saved)


async def test_a_submitted_assessment_cannot_be_changed(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    await _save(database, assessment, questionnaire, value="ja", base_version=0)
    async with database.writing() as session:
        stored = await session.get(Assessment, assessment.id)
        assert stored is not None
        submit(stored, "Moderation")
    with pytest.raises(NotAllowed, match="abgeschlossen"):
        await _save(database, assessment, questionnaire, value="nein", base_version=1)
    async with database.reading() as session:
        assert (await answer_sheet(session, assessment.id))["MS-01"].value == "ja"


# --- "nicht zutreffend" ---------------------------------------------------------------

NOT_APPLICABLE = NotApplicableOption(value="nicht_zutreffend", label="Nicht zutreffend")


def with_not_applicable(questionnaire: Questionnaire, *question_ids: str) -> Questionnaire:
    """The questionnaire with a "nicht zutreffend" option, allowed on `question_ids`."""
    fields = [
        replace(
            field,
            questions=[replace(q, may_not_apply=q.id in question_ids) for q in field.questions],
        )
        for field in questionnaire.fields
    ]
    scale = replace(questionnaire.scale, not_applicable=NOT_APPLICABLE)
    return replace(questionnaire, scale=scale, fields=fields)


async def test_not_applicable_is_saved_with_its_reason(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    q = with_not_applicable(questionnaire, "MS-01")
    result = await _save(
        database, assessment, q, value="nicht_zutreffend", comment="Zuständig ist der Kreis.",
        base_version=0,
    )  # fmt: skip
    assert isinstance(result, Saved)
    assert (result.answer.value, result.answer.comment) == (
        "nicht_zutreffend",
        "Zuständig ist der Kreis.",
    )


@pytest.mark.parametrize(
    ("question_id", "comment", "message"),
    [
        ("MS-01", "", "Bitte begründen Sie „Nicht zutreffend“ kurz im Kommentar"),
        ("MS-01", "  \n ", "Bitte begründen Sie „Nicht zutreffend“ kurz im Kommentar"),
        ("MS-02", "Gibt es nicht.", "„Nicht zutreffend“ ist bei Frage MS-02 nicht vorgesehen"),
    ],
)
async def test_not_applicable_needs_a_reason_and_a_question_that_allows_it(
    database: Database,
    assessment: Assessment,
    questionnaire: Questionnaire,
    question_id: str,
    comment: str,
    message: str,
) -> None:
    q = with_not_applicable(questionnaire, "MS-01")
    with pytest.raises(InvalidInput, match=message):
        await _save(
            database, assessment, q, value="nicht_zutreffend", comment=comment,
            base_version=0, question_id=question_id,
        )  # fmt: skip
    async with database.reading() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0


async def test_not_applicable_is_unknown_to_a_questionnaire_without_the_option(
    database: Database, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    plain = replace(questionnaire, scale=replace(questionnaire.scale, not_applicable=None))
    with pytest.raises(InvalidInput, match="keine mögliche Antwort"):
        await _save(
            database, assessment, plain, value="nicht_zutreffend", comment="Kreis",
            base_version=0,
        )  # fmt: skip
