"""The action plan's services: adopting, changing status with history, carrying over."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from selfcheck.actionplan import services
from selfcheck.actionplan.rules import MeasureInput
from selfcheck.assessments.setup import create_assessment
from selfcheck.db.engine import Database
from selfcheck.db.models import Measure, StaffInvitation, utcnow
from selfcheck.errors import InvalidInput, NotAllowed
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import MeasureSource, MeasureStatus
from tests.conftest import World


async def test_a_workshop_measure_is_adopted_with_its_link_responsible_and_month(
    database: Database, world: World, questionnaire: Questionnaire, measure_note: int
) -> None:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        measure = await services.adopt_workshop_note(
            session, assessment, questionnaire, measure_note, by="Moderation (a@b.de)"
        )
    assert measure.source == MeasureSource.WORKSHOP_NOTE
    assert measure.source_note_id == measure_note
    assert measure.title == "Leitbild im Rat beschließen."
    assert "in allen Ämtern" in measure.description
    assert (measure.responsible, measure.deadline) == ("Hauptamt", date(2027, 6, 1))
    assert (measure.field_id, measure.status) == ("MS", MeasureStatus.PLANNED)


async def test_a_next_step_is_adopted_addressing_its_question(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        measure = await services.adopt_next_step(
            session, await world.aheim_assessment_in(session), questionnaire, "MS-01", by="M"
        )
    assert measure.source == MeasureSource.NEXT_STEP
    assert (measure.field_id, measure.question_ids, measure.source_question_id) == (
        "MS",
        ["MS-01"],
        "MS-01",
    )
    assert measure.title.startswith("Legen Sie dem Rat einen Zeitplan")


async def test_a_measure_for_an_unknown_field_is_refused(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        with pytest.raises(InvalidInput, match="Handlungsfeld „XX“ gibt es"):
            await services.create_measure(
                session, await world.aheim_assessment_in(session), questionnaire,
                MeasureInput(field_id="XX", title="Irgendwas"), by="M",
            )  # fmt: skip


async def test_a_measure_for_an_unknown_or_foreign_question_is_refused(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        with pytest.raises(InvalidInput, match="Frage „MS-99“ gibt es"):
            await services.create_measure(
                session, assessment, questionnaire,
                MeasureInput(field_id="MS", title="T", question_ids=("MS-99",)), by="M",
            )  # fmt: skip
        with pytest.raises(InvalidInput, match="gehört zum Handlungsfeld"):
            await services.create_measure(
                session, assessment, questionnaire,
                MeasureInput(field_id="MS", title="T", question_ids=("KK-01",)), by="M",
            )  # fmt: skip
        with pytest.raises(InvalidInput, match="Frage „XX-01“ gibt es"):
            await services.adopt_next_step(session, assessment, questionnaire, "XX-01", by="M")


async def test_a_note_that_is_no_measure_cannot_be_adopted(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    from selfcheck.workshop import notes, workshops

    async with database.writing() as session:
        assessment = await world.aheim_assessment_in(session)
        workshop = await workshops.create_workshop(session, assessment, "W")
        note = await notes.add_note(
            session, workshop, questionnaire, "MS", "strength", "Gute Beratung"
        )
        with pytest.raises(InvalidInput, match="Nur Notizen der Art „Maßnahme“"):
            await services.adopt_workshop_note(session, assessment, questionnaire, note.id, by="M")


async def test_status_changes_are_kept_with_who_when_and_why(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        measure = await services.create_measure(
            session, await world.aheim_assessment_in(session), questionnaire,
            MeasureInput(field_id="MS", title="Leitbild"), by="Moderation (a@b.de)",
        )  # fmt: skip
        await services.change_status(
            session, measure, MeasureStatus.IN_PROGRESS, by="Hauptamt", reason="Entwurf liegt vor"
        )
        await services.change_status(session, measure, MeasureStatus.DONE, by="Hauptamt")
        measure_id = measure.id
    async with database.reading() as session:
        loaded = await services.measure_in(session, world.aheim_assessment.id, measure_id)
        history = [(c.old_status, c.new_status, c.changed_by, c.reason) for c in loaded.changes]
    assert history == [
        (None, "planned", "Moderation (a@b.de)", ""),
        ("planned", "in_progress", "Hauptamt", "Entwurf liegt vor"),
        ("in_progress", "done", "Hauptamt", ""),
    ]
    assert loaded.version == 3


async def test_a_status_change_from_an_outdated_page_is_refused(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        measure = await services.create_measure(
            session, await world.aheim_assessment_in(session), questionnaire,
            MeasureInput(field_id="MS", title="Leitbild"), by="M",
        )  # fmt: skip
        await services.change_status(session, measure, MeasureStatus.IN_PROGRESS, by="A")
        with pytest.raises(NotAllowed, match="inzwischen von jemand anderem"):
            await services.change_status(
                session, measure, MeasureStatus.DONE, by="B", base_version=1
            )


def test_staff_may_update_only_measures_of_their_department_and_only_when_allowed() -> None:
    measure = Measure(responsible="  sozialamt ")
    allowed = StaffInvitation(department="Sozialamt", may_update_measures=True)
    not_allowed = StaffInvitation(department="Sozialamt", may_update_measures=False)
    other = StaffInvitation(department="Hauptamt", may_update_measures=True)
    no_department = StaffInvitation(department="", may_update_measures=True)
    assert services.may_update(allowed, measure)
    assert not services.may_update(not_allowed, measure)
    assert not services.may_update(other, measure)
    assert not services.may_update(no_department, Measure(responsible=""))


async def test_open_measures_carry_over_and_implemented_ones_are_listed_since_a_date(
    database: Database, world: World, questionnaire: Questionnaire
) -> None:
    async with database.writing() as session:
        source = await world.aheim_assessment_in(session)
        titles = {
            "geplant": MeasureStatus.PLANNED,
            "läuft": MeasureStatus.IN_PROGRESS,
            "später": MeasureStatus.DEFERRED,
            "fertig": MeasureStatus.DONE,
            "weg": MeasureStatus.DROPPED,
        }
        for title, status in titles.items():
            measure = await services.create_measure(
                session, source, questionnaire, MeasureInput(field_id="MS", title=title), by="M"
            )
            if status != MeasureStatus.PLANNED:
                await services.change_status(session, measure, status, by="M")
        await session.refresh(source, ["municipality"])
        target = await create_assessment(session, source.municipality, questionnaire, "2028")
        before = utcnow() - timedelta(minutes=1)
        copied = await services.carry_over_open_measures(session, source, target)
        carried = await services.measures_of(session, target.id)
        done_since_before = await services.measures_implemented_since(
            session, source.municipality_id, before
        )
        done_since_now = await services.measures_implemented_since(
            session, source.municipality_id, utcnow() + timedelta(minutes=1)
        )
        done_ever = await services.measures_implemented_since(session, source.municipality_id, None)
    assert copied == 3
    assert sorted(m.title for m in carried) == ["geplant", "läuft", "später"]
    assert all(m.carried_from_id is not None for m in carried)
    assert {m.title: m.status for m in carried}["läuft"] == MeasureStatus.IN_PROGRESS
    assert [m.title for m in done_since_before] == ["fertig"]
    assert done_since_now == []
    assert [m.title for m in done_ever] == ["fertig"]
