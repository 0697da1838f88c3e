"""The Word report states the 2027 rules where they apply: the core cap, "vorläufig" with
its lower bound, "nicht zutreffend" with reasons, the next steps, the sub-topic profile,
the comparison's agreement share and split rooms, and a method section with every rule."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from docx import Document
from msgspec.structs import replace

from selfcheck.questionnaire.registry import QuestionnaireRegistry
from selfcheck.questionnaire.schema import NotApplicableOption, Questionnaire
from selfcheck.questionnaire.validation import validate
from selfcheck.reporting import bundle
from selfcheck.reporting.comparison import ReportData, compare
from selfcheck.settings import PROJECT_ROOT
from tests.reporting.builders import RoundSpec, WorkshopSpec, answers_for, make_export

TEMPLATE = PROJECT_ROOT / "reports" / "template.docx"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
NA = "nicht_zutreffend"


def _with_2027_rules(questionnaire: Questionnaire) -> Questionnaire:
    """The installed questionnaire with MS-01 a core criterion (with a next step), FZ-01
    allowed to be "nicht zutreffend", a core cap of 2 and provisional below 80 %."""

    def question(q: Any) -> Any:
        if q.id == "MS-01":
            return replace(q, core=True, suggestion="Legen Sie dem Rat ein Konzept vor.")
        if q.id == "FZ-01":
            return replace(q, may_not_apply=True)
        return q

    fields = [
        replace(f, questions=[question(q) for q in f.questions]) for f in questionnaire.fields
    ]
    scale = replace(
        questionnaire.scale, not_applicable=NotApplicableOption(value=NA, label="Nicht zutreffend")
    )
    q = replace(questionnaire, fields=fields, scale=scale, core_cap=2, provisional_coverage=0.8)
    assert validate(q) == []
    return q


@pytest.fixture(scope="module")
def report(registry: QuestionnaireRegistry) -> ReportData:
    questionnaire = _with_2027_rules(registry.get("weltoffene-kommune", "2026.1"))
    answers = answers_for(questionnaire, {"MS": "ja", "IO": "ja", "FZ": "teilweise"})
    answers |= {"MS-01": "teilweise", "FZ-01": NA}
    io_ids = [q.id for q in questionnaire.fields[1].questions]
    answers |= dict.fromkeys(io_ids[-4:], "weiss_nicht")  # IO: 10 of 14 answered
    # MS: the room is split between 1 and 3 (the administration says 2 after the cap).
    mood = {"MS": ["1"] * 5 + ["3"] * 5, "FZ": ["3"] * 10}
    export = make_export(
        questionnaire, answers, [WorkshopSpec([RoundSpec("mood", mood)])],
        comments={"FZ-01": "Zuständig ist der Kreis."},
    )  # fmt: skip
    return compare(questionnaire, export, NOW)


@pytest.fixture(scope="module")
def text(report: ReportData) -> str:
    document = Document(io.BytesIO(bundle.docx_bytes(report, TEMPLATE)))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts.extend(cell.text for row in table.rows for cell in row.cells)
    return "\n".join(parts)


def test_the_docx_states_the_core_cap_with_its_reason(text: str) -> None:
    assert "Kategorie 2, weil Kernkriterium MS-01 noch nicht erfüllt ist." in text


def test_the_docx_marks_a_provisional_category_with_its_lower_bound(text: str) -> None:
    assert "(vorläufig)" in text
    assert "Vorläufig: Nur 71\u00a0% der zutreffenden Fragen haben eine Antwort" in text
    assert "„Nein“, ergäbe sich Kategorie 2 (Gut vorangekommen)." in text


def test_the_docx_lists_not_applicable_questions_with_their_reasons(text: str) -> None:
    assert "Nicht zutreffend" in text
    assert "Begründung: Zuständig ist der Kreis." in text


def test_the_docx_lists_next_steps_core_first(text: str) -> None:
    assert "Ihre nächsten Schritte" in text
    assert "Legen Sie dem Rat ein Konzept vor. (MS-01, Kernkriterium)" in text


def test_the_docx_has_the_sub_topic_profile(report: ReportData, text: str) -> None:
    fz = next(f for f in report.fields if f.field_id == "FZ")
    assert len(fz.admin.topics) > 1
    assert "Profil nach Themen" in text and fz.admin.topics[0].topic in text


def test_the_docx_shows_agreement_and_the_split_room(text: str) -> None:
    assert "Anteil wie Verwaltung" in text
    assert "Geteiltes Bild im Workshop" in text and "geteiltes Bild" in text
    assert "Abstand der häufigsten Kategorie" in text


def test_the_method_section_states_every_rule(report: ReportData, text: str) -> None:
    assert "Regeln und Methode" in text
    for rule in [*report.scoring_rules, *report.comparison_rules]:
        assert rule in text
    rules = " ".join(report.scoring_rules + report.comparison_rules)
    for needed in ("ab 75\u00a0%", "höchstens Kategorie 2", "„vorläufig“", "„Nicht zutreffend“",
                   "Gleichstand", "„Geteiltes Bild“", "„deutliche Abweichung“"):  # fmt: skip
        assert needed in rules
