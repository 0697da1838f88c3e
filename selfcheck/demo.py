"""Demo data: a fictitious municipality with a filled-in questionnaire and a workshop, so that
a newcomer sees a working system at once (`selfcheck serve --demo`, `selfcheck demo`).

The answers and votes are designed, not drawn, and tell one story. Musterstadt is a town of
48,500 inside a Kreis: the Kreis runs the Ausländerbehörde, the Einbürgerungsbehörde and the
health office, so those questions are "nicht zutreffend" with the reason in the comment.

- MS: a council-approved concept, an integration office and an annual report; category 1,
  and the workshop agrees.
- IO: on paper category 1 (counselling and a complaint procedure exist), but the workshop
  sees category 3: hardly anybody knows the complaint office. A clear divergence.
- FZ: category 2; the room is split, administration and business see 1, civil society 3.
- AW: the integration office could not answer a third of the questions on the business
  development's work: a provisional category 2 with lower bound 3.
- EB: its share would give category 1, but the core criterion EB-02 (the Integrationsrat's
  hearing right) is only "teilweise", so it is capped at 2. The workshop sees category 4.
- ZB (category 2) and KK (category 3): the workshop agrees.

Two years earlier Musterstadt ran its first Selbstcheck, on questionnaire 2026.1 (submitted),
so the development shows at once: MS, IO, FZ and EB have improved since, AW stayed where it
was, and ZB and KK have slipped by one category. Every question was reworded for 2027.1,
so the report names them as not comparable question by question.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from selfcheck.actionplan.demo_plan import seed_demo_action_plan
from selfcheck.assessments.answers import add_recorded_answer
from selfcheck.db.engine import Database
from selfcheck.db.models import Assessment, Municipality, Participant, Workshop, utcnow
from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind
from selfcheck.workshop import notes, rounds, votes, workshops

DEMO_MUNICIPALITY = "Musterstadt (Demo)"
DEMO_EDITOR = "Demo: Integrationsbüro Musterstadt"

# The administration's answers: question id, answer value, optional comment.
# Questions not listed stay unanswered.
_ADMINISTRATION = """
MS-01 ja            Integrationskonzept 2024 vom Rat beschlossen.
MS-03 teilweise     Indikatoren gibt es bisher nur für die Ziele zu Sprache und Arbeit.
MS-04 teilweise
MS-05 ja
MS-06 ja            Integrationsbüro mit 1,5 Stellen.
MS-07 ja
MS-08 ja
MS-09 ja
MS-10 teilweise
MS-11 ja
MS-12 nein
MS-13 teilweise
MS-14 ja            Jährlicher Bericht im Sozialausschuss.
IO-02 ja
IO-03 ja
IO-04 nein
IO-05 teilweise
IO-06 ja
IO-07 ja
IO-08 ja
IO-17 teilweise     Terminbuchung auf Deutsch und Englisch.
IO-18 ja
IO-19 teilweise
IO-09 ja            Antidiskriminierungsberatung des Caritasverbands, Sprechstunde dienstags.
IO-10 ja            Beschwerdestelle im Integrationsbüro seit 2025.
IO-11 ja
IO-12 teilweise
IO-15 teilweise     Ratsbeschluss gegen Rassismus von 2021 ohne Nennung einzelner Formen.
IO-16 ja
FZ-01 ja
FZ-32 teilweise     Vergabe nach Anmeldedatum; wird mit den Trägern überarbeitet.
FZ-02 ja
FZ-03 teilweise
FZ-04 teilweise
FZ-05 teilweise
FZ-06 ja
FZ-07 ja
FZ-08 teilweise     Merkblätter auf Englisch, Arabisch und Ukrainisch, nicht auf Türkisch.
FZ-33 nein
FZ-09 ja
FZ-11 teilweise
FZ-12 nein
FZ-13 teilweise
FZ-14 teilweise
FZ-15 nein
FZ-16 teilweise
FZ-17 nicht_zutreffend  Das Gesundheitsamt liegt beim Kreis.
FZ-18 ja
FZ-19 nein
FZ-20 ja
FZ-21 ja
FZ-22 teilweise
FZ-24 ja
FZ-25 teilweise
FZ-26 ja
FZ-27 ja
FZ-28 teilweise
FZ-29 teilweise
FZ-30 ja
FZ-34 nicht_zutreffend  Die Ausländerbehörde liegt beim Kreis.
AW-01 ja
AW-02 teilweise
AW-03 nicht_zutreffend  Die Ausländerbehörde liegt beim Kreis.
AW-05 ja
AW-06 teilweise
AW-07 weiss_nicht   Bei der Wirtschaftsförderung nachfragen.
AW-08 weiss_nicht
AW-09 teilweise
AW-10 teilweise
AW-11 weiss_nicht
EB-01 ja            Integrationsrat, tagt sechsmal im Jahr.
EB-02 teilweise     Anhörung ist üblich, aber nicht in der Hauptsatzung geregelt.
EB-03 teilweise
EB-05 ja
EB-04 ja
EB-13 nicht_zutreffend  Einbürgerungen bearbeitet der Kreis.
EB-06 ja
EB-07 ja
EB-08 teilweise
EB-09 teilweise
EB-10 ja
EB-11 teilweise
ZB-01 ja
ZB-02 teilweise
ZB-03 teilweise
ZB-04 ja
ZB-05 teilweise
ZB-06 ja
ZB-07 ja
ZB-09 teilweise
ZB-10 nein
ZB-11 teilweise
KK-01 nein
KK-12 nein
KK-03 ja
KK-04 nein
KK-05 nein
KK-06 teilweise
KK-07 teilweise
KK-08 ja
KK-09 nein
KK-10 teilweise
KK-11 teilweise
KK-13 teilweise
KK-14 nein
"""


class DemoAnswer(NamedTuple):
    value: str
    comment: str


def demo_answers(questionnaire: Questionnaire) -> dict[str, DemoAnswer]:
    """The administration's designed answers. Raises ValueError if they no longer fit the
    questionnaire, so a new questionnaire version cannot silently thin out the demo."""
    answers: dict[str, DemoAnswer] = {}
    for line in _ADMINISTRATION.strip().splitlines():
        question_id, value, *comment = line.split(maxsplit=2)
        answers[question_id] = DemoAnswer(value, comment[0] if comment else "")
    known = {q.id: q for field in questionnaire.fields for q in field.questions}
    scale = questionnaire.scale
    values = {o.value for o in scale.options} | {scale.dont_know.value}
    not_applicable = scale.not_applicable.value if scale.not_applicable else None
    for question_id, answer in answers.items():
        question = known.get(question_id)
        fits = question is not None and (
            answer.value in values
            or (answer.value == not_applicable and question.may_not_apply and answer.comment)
        )
        if not fits:
            raise ValueError(
                f"Die Demo-Antwort {question_id} = {answer.value} passt nicht zum Fragebogen "
                f"{questionnaire.id} {questionnaire.version}."
            )
    return answers


async def find_demo(database: Database) -> dict[str, Any] | None:
    async with database.reading() as session:
        assessment = await _demo_assessment(session)
        if assessment is None:
            return None
        return {"assessment_id": assessment.id, "municipality": DEMO_MUNICIPALITY}


async def seed_demo(
    database: Database, questionnaire: Questionnaire, earlier: Questionnaire | None = None
) -> int:
    """Create the demo municipality once, with its workshop and, given the `earlier`
    questionnaire version, the Selbstcheck of two years before; return its assessment id."""
    assessment_id = await _seed_demo_assessment(database, questionnaire)
    async with database.writing() as session:
        assessment = await session.get(Assessment, assessment_id)
        assert assessment is not None
        await seed_demo_workshop(session, assessment, questionnaire)
        await seed_demo_action_plan(session, assessment, questionnaire)
        if earlier is not None and assessment.previous_assessment_id is None:
            await seed_previous_assessment(session, assessment, earlier)
    return assessment_id


# The first Selbstcheck, two years before: the category each field had then.
PREVIOUS_TITLE = "Selbstcheck 2025"
PREVIOUS_VERSION = "2026.1"
_PREVIOUS_CATEGORIES = {"MS": 2, "IO": 3, "FZ": 3, "AW": 2, "EB": 3, "ZB": 1, "KK": 2}
# A share of points safely inside each category's range.
_SHARE_FOR = {1: 0.85, 2: 0.62, 3: 0.38, 4: 0.12}


def previous_questionnaire(registry: QuestionnaireRegistry) -> Questionnaire | None:
    """The version of the demo's first Selbstcheck, where installed."""
    latest = registry.latest()
    try:
        return registry.get(latest.id, PREVIOUS_VERSION)
    except KeyError:
        return None


def previous_answers(questionnaire: Questionnaire) -> dict[str, str]:
    """Answers that put each field in its category of `_PREVIOUS_CATEGORIES`: the first
    questions "ja", then one "teilweise" where the points call for it, the rest "nein"."""
    answers: dict[str, str] = {}
    for field in questionnaire.fields:
        points = round(_SHARE_FOR[_PREVIOUS_CATEGORIES.get(field.id, 3)] * 2 * len(field.questions))
        for question in field.questions:
            value = "ja" if points >= 2 else "teilweise" if points == 1 else "nein"
            answers[question.id] = value
            points -= min(points, 2)
    return answers


async def seed_previous_assessment(
    session: AsyncSession, current: Assessment, questionnaire: Questionnaire
) -> Assessment:
    """The demo's submitted Selbstcheck of two years earlier; `current` continues it."""
    submitted = current.created_at - timedelta(days=730)
    previous = Assessment(
        municipality_id=current.municipality_id,
        title=PREVIOUS_TITLE,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=submitted,
        submitted_by=DEMO_EDITOR,
        created_at=submitted - timedelta(days=45),
    )
    session.add(previous)
    await session.flush()
    for question_id, value in previous_answers(questionnaire).items():
        await add_recorded_answer(
            session, previous.id, question_id, value, editor=DEMO_EDITOR, at=submitted
        )
    current.previous_assessment_id = previous.id
    return previous


async def _seed_demo_assessment(database: Database, questionnaire: Questionnaire) -> int:
    answers = demo_answers(questionnaire)
    async with database.writing() as session:
        existing = await _demo_assessment(session)
        if existing is not None:
            return existing.id
        municipality = Municipality(name=DEMO_MUNICIPALITY, official_key=None, population=48_500)
        assessment = Assessment(
            municipality=municipality,
            title="Selbstcheck 2027",
            questionnaire_id=questionnaire.id,
            questionnaire_version=questionnaire.version,
        )
        session.add(assessment)
        await session.flush()
        answered_at = utcnow()
        for question_id, (value, comment) in answers.items():
            await add_recorded_answer(
                session,
                assessment.id,
                question_id,
                value,
                comment=comment,
                editor=DEMO_EDITOR,
                at=answered_at,
            )
        return assessment.id


async def _demo_assessment(session: AsyncSession) -> Assessment | None:
    result = await session.execute(
        select(Assessment)
        .join(Municipality)
        .where(Municipality.name == DEMO_MUNICIPALITY)
        .order_by(Assessment.id)
        .limit(1)
    )
    return result.scalar_one_or_none()


# --- The demo workshop -----------------------------------------------------------------

DEMO_WORKSHOP = "Demo-Workshop Weltoffenes Musterstadt"
# Stakeholder groups of the 30 demo participants (None: no group given). The vote tables
# below list the participants in this order, one group per block.
_DEMO_GROUPS: list[str | None] = [
    *["verwaltung"] * 6,
    *["politik"] * 5,
    *["zivilgesellschaft"] * 7,
    *["migration"] * 5,
    *["wirtschaft"] * 4,
    "sonstige",
    None,
    None,
]
# Stimmungsbild: each participant's category per field ("-": no vote). Blocks: Verwaltung,
# Politik, Zivilgesellschaft, Migrantenorganisationen / Integrationsrat, Wirtschaft,
# Sonstige, ohne Angabe. Votes per category 1-4:
_MOOD = {
    "MS": "111111 11211 2121211 22123 1121 1 3-",  # 19/8/2/0: agrees with category 1
    "IO": "112232 12333 3343333 33434 2333 3 3-",  # 3/5/18/3 against 1: clear divergence
    "FZ": "111121 11131 3333332 33343 1113 1 3-",  # 13/2/13/1 against 2: a split room
    "AW": "212222 22231 2332322 22322 1222 3 4-",  # 3/19/6/1 against a provisional 2
    "EB": "123334 23434 4444443 44444 3444 4 4-",  # 1/2/7/19 against 2: clear divergence
    "ZB": "122212 22212 2232232 22322 2212 3 2-",  # 4/21/4/0: agrees with category 2
    "KK": "233233 32334 3343343 33433 2333 4 3-",  # 0/4/20/5: agrees with category 3
}
# Question round on IO, the field the room doubts, by the first 25 participants
# (j: ja, t: teilweise, n: nein, w: weiß nicht). Few know the complaint procedure (IO-10)
# or whether complaints are evaluated (IO-11).
_QUESTION_ROUND_FIELD = "IO"
_QUESTION_ROUND = {
    "IO-09": "jjjjjj jjtjj jjtjtjj njjtw jw",
    "IO-10": "jjjjtj jtwwj wnwnwwn nwnnw ww",
    "IO-11": "jtjwjw wwwwt wwnwwwn wwnww ww",
    "IO-16": "jjjjjt jtjjw tjjtjjt jjnjw jj",
}
_ANSWER_CODES = {"j": "ja", "t": "teilweise", "n": "nein", "w": "weiss_nicht"}
_DEMO_NOTES = [
    ("MS", NoteKind.STRENGTH, "Die Steuerungsgruppe Integration trifft sich regelmäßig.", "", ""),
    (
        "MS",
        NoteKind.MEASURE,
        "Für alle Ziele des Integrationskonzepts messbare Indikatoren festlegen.",
        "Steuerungsgruppe Integration",
        "bis Ende 2027",
    ),
    (
        "IO",
        NoteKind.STRENGTH,
        "Führungskräfte haben an interkulturellen Schulungen teilgenommen.",
        "",
        "",
    ),
    (
        "IO",
        NoteKind.NEED,
        "Die Beschwerdestelle bei Diskriminierung ist in der Stadtgesellschaft kaum bekannt.",
        "",
        "",
    ),
    (
        "IO",
        NoteKind.MEASURE,
        "Die Beschwerdestelle bekannt machen: Faltblatt in fünf Sprachen und ein Infoabend.",
        "Integrationsbüro",
        "bis Mitte 2027",
    ),
    (
        "FZ",
        NoteKind.NEED,
        "Bei der Kita-Vergabe nach Anmeldedatum gehen neu zugezogene Familien oft leer aus.",
        "",
        "",
    ),
    (
        "EB",
        NoteKind.NEED,
        "Migrantenorganisationen werden oft erst spät in Beteiligungsverfahren einbezogen.",
        "",
        "",
    ),
    (
        "EB",
        NoteKind.MEASURE,
        "Das Anhörungsrecht des Integrationsrats in der Hauptsatzung verankern.",
        "Büro des Bürgermeisters",
        "2027",
    ),
]


def _votes(row: str) -> list[str | None]:
    """One vote per participant from a table row; "-" is no vote."""
    votes = [None if mark == "-" else mark for mark in row.replace(" ", "")]
    assert len(votes) <= len(_DEMO_GROUPS), row
    return votes


async def seed_demo_workshop(
    session: AsyncSession, assessment: Assessment, questionnaire: Questionnaire
) -> None:
    """A closed Stimmungsbild of 30 participants, a closed question round and some notes.
    Created once."""
    taken = await session.scalar(
        select(Workshop.id).where(
            Workshop.assessment_id == assessment.id, Workshop.title == DEMO_WORKSHOP
        )
    )
    if taken is not None:
        return
    workshop = await workshops.create_workshop(session, assessment, DEMO_WORKSHOP)
    people = [await workshops.join(session, workshop, group) for group in _DEMO_GROUPS]
    mood = await rounds.create_round(session, workshop, questionnaire, RoundKind.MOOD)
    await rounds.open_round(session, workshop, mood.id)
    for field_id, row in _MOOD.items():
        for person, vote in zip(people, _votes(row), strict=False):
            if vote is not None:
                await votes.cast_vote(
                    session, person, mood.id, field_id, vote, questionnaire=questionnaire
                )
    await rounds.close_round(session, workshop, mood.id)
    await _demo_question_round(session, workshop, questionnaire, people)
    for field_id, kind, text, responsible, timeframe in _DEMO_NOTES:
        await notes.add_note(
            session, workshop, questionnaire, field_id, kind, text, responsible, timeframe
        )


async def _demo_question_round(
    session: AsyncSession,
    workshop: Workshop,
    questionnaire: Questionnaire,
    people: list[Participant],
) -> None:
    round_ = await rounds.create_round(
        session,
        workshop,
        questionnaire,
        RoundKind.QUESTIONS,
        _QUESTION_ROUND_FIELD,
        list(_QUESTION_ROUND),
    )
    await rounds.open_round(session, workshop, round_.id)
    for question_id, row in _QUESTION_ROUND.items():
        for person, code in zip(people, _votes(row), strict=False):
            if code is not None:
                await votes.cast_vote(
                    session,
                    person,
                    round_.id,
                    question_id,
                    _ANSWER_CODES[code],
                    questionnaire=questionnaire,
                )
    await rounds.close_round(session, workshop, round_.id)
