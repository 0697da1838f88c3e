"""Repeat assessments: the next Selbstcheck starts from the unchanged answers of the last."""

from __future__ import annotations

import msgspec
import pytest
from sqlalchemy import select

from selfcheck.assessments import repeat
from selfcheck.assessments.answers import Saved, save_answer
from selfcheck.assessments.invitations import invite
from selfcheck.db.engine import Database
from selfcheck.db.models import Answer, AnswerChange, Assessment, StaffInvitation
from selfcheck.errors import NotAllowed
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.versions import field_changes, unchanged_questions
from tests.conftest import World
from tests.helpers import Client, answer, csrf_token, post_form


@pytest.fixture
def world_questionnaire(registry: QuestionnaireRegistry) -> Questionnaire:
    return registry.latest()


def next_version(old: Questionnaire) -> Questionnaire:
    """2027.1 with MS-01 reworded, MS-03 dropped and a new MS-99."""
    field = old.fields[0]
    assert field.id == "MS" and [q.id for q in field.questions[:3]] == ["MS-01", "MS-03", "MS-04"]
    reworded = msgspec.structs.replace(field.questions[0], text="Eine neu gefasste Frage?")
    new_question = msgspec.structs.replace(field.questions[2], id="MS-99", text="Ganz neu?")
    questions = [reworded, *field.questions[2:], new_question]  # without MS-03
    fields = [msgspec.structs.replace(field, questions=questions), *old.fields[1:]]
    return msgspec.structs.replace(old, version="2099.1", fields=fields)


async def _follow_up(
    database: Database, registry: QuestionnaireRegistry, world: World
) -> Assessment:
    """Aheim's next Selbstcheck, started from its current one."""
    async with database.writing() as session:
        previous = await world.aheim_assessment_in(session)
        return await repeat.start_follow_up(session, registry, previous, "Selbstcheck 2029")


async def _invite_anna(database: Database, assessment: Assessment) -> tuple[int, str]:
    """Anna Amt of the Sozialamt invited to `assessment`: her invitation's id and link token."""
    async with database.writing() as session:
        loaded = await session.get(Assessment, assessment.id)
        assert loaded is not None
        invitation, token = await invite(session, loaded, "Anna Amt", "Sozialamt")
        return invitation.id, token


@pytest.fixture
async def follow_up(
    database: Database,
    world: World,
    world_questionnaire: Questionnaire,
    registry: QuestionnaireRegistry,
) -> Assessment:
    """Aheim's next Selbstcheck on the same version, with MS-03 ("ja") and MS-04 ("nein")
    carried over."""
    await answer(database, world.aheim_assessment, world_questionnaire, MS_03="ja", MS_04="nein")
    return await _follow_up(database, registry, world)


async def _answers(database: Database, assessment: Assessment) -> dict[str, Answer]:
    async with database.reading() as session:
        rows = await session.execute(select(Answer).where(Answer.assessment_id == assessment.id))
        return {a.question_id: a for a in rows.scalars()}


def test_only_questions_with_the_same_id_and_text_stay_comparable(
    world_questionnaire: Questionnaire,
) -> None:
    newer = next_version(world_questionnaire)
    same = unchanged_questions(world_questionnaire, newer)
    assert "MS-04" in same and "MS-01" not in same and "MS-99" not in same
    described = [c.describe() for c in field_changes(world_questionnaire, newer, "MS")]
    assert described == ["Frage MS-01 geändert", "Frage MS-99 neu", "Frage MS-03 entfallen"]


def test_a_different_answer_scale_makes_every_question_incomparable(
    world_questionnaire: Questionnaire,
) -> None:
    scale = world_questionnaire.scale
    options = [msgspec.structs.replace(o, points=o.points * 2) for o in scale.options]
    newer = msgspec.structs.replace(
        world_questionnaire, scale=msgspec.structs.replace(scale, options=options)
    )
    assert unchanged_questions(world_questionnaire, newer) == set()


async def test_a_repeat_assessment_carries_over_unchanged_answers_and_leaves_changed_ones_open(
    database: Database, world: World, world_questionnaire: Questionnaire
) -> None:
    newer = next_version(world_questionnaire)
    registry = QuestionnaireRegistry([world_questionnaire, newer])
    await answer(database, world.aheim_assessment, world_questionnaire,
                  MS_01="ja", MS_03="nein", MS_04="teilweise")  # fmt: skip
    follow_up = await _follow_up(database, registry, world)

    assert follow_up.questionnaire_version == "2099.1"
    assert follow_up.previous_assessment_id == world.aheim_assessment.id
    answers = await _answers(database, follow_up)
    assert set(answers) == {"MS-04"}  # MS-01 reworded, MS-03 dropped, MS-99 new
    carried = answers["MS-04"]
    assert (carried.value, carried.comment, carried.carried_over) == (
        "teilweise", "Kommentar zu MS-04", True,
    )  # fmt: skip
    assert carried.updated_by == "Übernommen aus „Selbstcheck 2026“"
    async with database.reading() as session:
        assert await repeat.unconfirmed_questions(session, follow_up.id) == {"MS-04"}
        history = (await session.execute(select(AnswerChange))).scalars().all()
    assert any(c.answer_id == carried.id for c in history)


async def test_the_previous_assessment_keeps_its_answers_unmarked(
    database: Database,
    world: World,
    world_questionnaire: Questionnaire,
    registry: QuestionnaireRegistry,
) -> None:
    await answer(database, world.aheim_assessment, world_questionnaire, MS_03="ja")
    await _follow_up(database, registry, world)
    previous = await _answers(database, world.aheim_assessment)
    assert previous["MS-03"].carried_over is False


async def test_confirming_clears_the_mark_without_a_new_version(
    database: Database, world_questionnaire: Questionnaire, follow_up: Assessment
) -> None:
    async with database.writing() as session:
        confirmed = await repeat.confirm_answers(session, follow_up, ["MS-03"], "Bernd Bürger")
    assert confirmed == 1
    answers = await _answers(database, follow_up)
    assert (answers["MS-03"].carried_over, answers["MS-03"].version) == (False, 1)
    assert answers["MS-03"].updated_by == "Bernd Bürger"
    assert answers["MS-04"].carried_over is True


async def test_changing_a_carried_over_answer_clears_the_mark(
    database: Database, world_questionnaire: Questionnaire, follow_up: Assessment
) -> None:
    async with database.writing() as session:
        result = await save_answer(
            session, follow_up, world_questionnaire, question_id="MS-03", value="teilweise",
            comment="", base_version=1, editor="Bernd Bürger",
        )  # fmt: skip
    assert isinstance(result, Saved) and result.answer.carried_over is False
    assert (await _answers(database, follow_up))["MS-03"].carried_over is False


async def test_saving_a_carried_over_answer_unchanged_confirms_it(
    database: Database, world_questionnaire: Questionnaire, follow_up: Assessment
) -> None:
    async with database.writing() as session:
        await save_answer(
            session, follow_up, world_questionnaire, question_id="MS-03", value="ja",
            comment="Kommentar zu MS-03", base_version=1, editor="Bernd Bürger",
        )  # fmt: skip
    answer = (await _answers(database, follow_up))["MS-03"]
    assert (answer.carried_over, answer.version) == (False, 1)


async def test_a_submitted_assessment_refuses_confirmation(
    database: Database, world_questionnaire: Questionnaire, follow_up: Assessment
) -> None:
    async with database.writing() as session:
        loaded = await session.get(Assessment, follow_up.id)
        assert loaded is not None
        loaded.status = "submitted"
    with pytest.raises(NotAllowed):
        async with database.writing() as session:
            await repeat.confirm_answers(session, follow_up, ["MS-03"], "Bernd Bürger")


# --- Pages ------------------------------------------------------------------------------


async def test_staff_see_the_badge_and_confirm_per_question_and_per_field(
    client: Client, database: Database, world: World, world_questionnaire: Questionnaire,
    registry: QuestionnaireRegistry,
) -> None:  # fmt: skip
    await answer(database, world.aheim_assessment, world_questionnaire,
                  MS_03="ja", MS_04="nein", MS_05="ja")  # fmt: skip
    follow_up = await _follow_up(database, registry, world)
    _, token = await _invite_anna(database, follow_up)
    link = f"/s/{token}"

    page = await client.get(f"{link}/felder/MS")
    assert page.text.count("carried-badge") == 3
    assert "Alle 3 übernommenen Antworten dieses Feldes bestätigen" in page.text

    fragment = await client.post(
        f"{link}/bestaetigen/MS-03",
        data={"_csrf_token": await csrf_token(client)},
        headers={"hx-request": "true"},
    )
    assert fragment.status_code == 200 and "bestätigt" in fragment.text
    assert (await client.get(f"{link}/felder/MS")).text.count("carried-badge") == 2

    done = await post_form(client, f"{link}/felder/MS/bestaetigen")
    assert "2 übernommene Antworten zu" in done.text
    assert "carried-badge" not in done.text
    assert not any(a.carried_over for a in (await _answers(database, follow_up)).values())


async def test_confirming_one_answer_without_htmx_goes_back_to_its_question(
    client: Client, database: Database, follow_up: Assessment
) -> None:
    invitation_id, token = await _invite_anna(database, follow_up)
    response = await post_form(client, f"/s/{token}/bestaetigen/MS-03", follow_redirects=False)
    assert response.headers["location"].endswith(f"/s/{token}/felder/MS#frage-MS-03")
    page = await client.get(response.headers["location"])
    assert "Die übernommene Antwort zu Frage MS-03 ist bestätigt." in page.text
    assert not (await _answers(database, follow_up))["MS-03"].carried_over
    async with database.reading() as session:
        confirming = await session.get(StaffInvitation, invitation_id)
        assert confirming is not None and confirming.last_active_at is not None


async def test_confirming_an_unknown_question_answers_not_found(
    client: Client, database: Database, world: World
) -> None:
    _, token = await _invite_anna(database, world.aheim_assessment)
    response = await post_form(client, f"/s/{token}/bestaetigen/XX-99")
    assert response.status_code == 404
