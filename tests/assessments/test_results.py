"""The administration's results as pages show them: outcomes per field and the results
template, on constructed questionnaires that use every rule of the 2027 format."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment
from msgspec.structs import replace

from selfcheck.app import create_app
from selfcheck.assessments.results import field_outcomes
from selfcheck.questionnaire.rules import scoring_rules
from selfcheck.questionnaire.schema import (
    GlossaryEntry,
    NotApplicableOption,
    Question,
    Questionnaire,
)
from selfcheck.questionnaire.validation import validate
from selfcheck.settings import Settings
from selfcheck.web.templating import build_environment
from tests.conftest import QUESTIONNAIRE_DIR
from tests.questionnaire.conftest import DEFAULT_SCALE, make_field, make_questionnaire

NA = "nicht_zutreffend"


def _questionnaire() -> Questionnaire:
    """IO: five questions, IO-02 a core criterion that builds on IO-01, IO-05 may not
    apply; sub-topics "Beratung", "Beschwerden" and "Angebote". BB: three plain questions."""
    questions = [
        Question(id="IO-01", text="Gibt es eine Beratungsstelle?", topic="Beratung",
                 suggestion="Richten Sie eine Beratungsstelle ein."),
        Question(id="IO-02", text="Gibt es ein Beschwerdeverfahren?", topic="Beschwerden",
                 core=True, suggestion="Führen Sie ein Beschwerdeverfahren ein."),
        Question(id="IO-03", text="Werden Beschwerden ausgewertet?", topic="Beschwerden",
                 builds_on=["IO-02"], suggestion="Werten Sie Beschwerden jährlich aus."),
        Question(id="IO-04", text="Gibt es Schulungen?", topic="Angebote"),
        Question(id="IO-05", text="Berät das Jobcenter mehrsprachig?", topic="Angebote",
                 may_not_apply=True),
    ]  # fmt: skip
    scale = replace(
        DEFAULT_SCALE, not_applicable=NotApplicableOption(value=NA, label="Nicht zutreffend")
    )
    q = make_questionnaire(
        fields=[replace(make_field("IO"), questions=questions), make_field("BB", "", "", "")],
        scale=scale,
        core_cap=2,
        provisional_coverage=0.8,
    )
    assert validate(q) == []
    return q


QUESTIONNAIRE = _questionnaire()
ANSWERS = {
    "IO-01": "ja",
    "IO-02": "nein",
    "IO-03": "nein",
    "IO-04": "ja",
    "IO-05": NA,
    # BB: one real answer of three, one "weiß nicht": not evaluable
    "BB-01": "ja",
    "BB-02": "weiss_nicht",
}
COMMENTS = {"IO-05": "Zuständig ist der Kreis.", "IO-01": "seit 2024"}


def test_outcome_states_the_cap_lists_not_applicable_and_next_steps() -> None:
    io, bb = field_outcomes(QUESTIONNAIRE, ANSWERS, COMMENTS)
    # 4 of 8 points: category 2 by the share; the cap does not change it, so it is not stated.
    assert io.category is not None and io.category.number == 2 and io.cap == ""
    assert [(item.question.id, item.reason) for item in io.not_applicable] == [
        ("IO-05", "Zuständig ist der Kreis.")
    ]
    # IO-03 builds on IO-02, which is "nein": evaluating complaints is not suggested.
    assert [q.id for q in io.next_steps] == ["IO-02"]
    assert io.topics == [("Beratung", 1.0), ("Beschwerden", 0.0), ("Angebote", 1.0)]
    assert bb.category is None and bb.share is None
    assert [q.id for q in bb.open_questions] == ["BB-03"]
    assert [q.id for q in bb.dont_know_questions] == ["BB-02"]


def test_a_capped_field_says_which_core_criterion_holds_it_back() -> None:
    answers = ANSWERS | {"IO-02": "teilweise", "IO-03": "ja"}  # 7/8: category 1
    io = field_outcomes(QUESTIONNAIRE, answers, COMMENTS)[0]
    assert io.category is not None and io.category.number == 2
    assert io.cap == (
        "Kategorie 2, weil Kernkriterium IO-02 noch nicht erfüllt ist. Nach dem Punkteanteil "
        "allein wäre es Kategorie 1."
    )
    assert [q.id for q in io.next_steps] == ["IO-02"]


def test_a_provisional_field_names_its_lower_bound() -> None:
    answers = {"IO-01": "ja", "IO-02": "ja", "IO-03": "ja", "IO-04": "weiss_nicht"}
    io = field_outcomes(QUESTIONNAIRE, answers)[0]  # 3 of 5 answered: 60 % < 80 %
    assert io.category is not None and io.category.number == 1
    assert io.lower_bound is not None and io.lower_bound.number == 2  # 6 of 10 points
    assert io.provisional.startswith("Vorläufig: Nur 60\u00a0% der zutreffenden Fragen")
    assert "ergäbe sich Kategorie 2 (Kategorie 2)" in io.provisional


def _render(answers: dict[str, str], comments: dict[str, str]) -> str:
    template = build_environment().get_template("partials/results_body.html")
    return template.render(
        outcomes=field_outcomes(QUESTIONNAIRE, answers, comments),
        questionnaire=QUESTIONNAIRE,
        rules=scoring_rules(QUESTIONNAIRE),
    )


def _section(html: str, field_id: str) -> str:
    match = re.search(rf'<section class="field-result" id="feld-{field_id}".*?</section>', html,
                      re.DOTALL)  # fmt: skip
    assert match is not None
    return match.group(0)


def test_a_field_that_is_not_evaluable_shows_no_share_and_no_dont_know_as_open() -> None:
    html = _render(ANSWERS, COMMENTS)
    bb = _section(html, "BB")
    assert "Nicht bewertbar" in bb and "%" not in bb.split("Abdeckung")[0]
    assert "Punkte</dt>" not in bb
    open_list = re.search(r"Fragen ohne Antwort \(1\).*?</details>", bb, re.DOTALL)
    assert open_list is not None and "BB-03" in open_list.group(0)
    assert "BB-02" not in open_list.group(0)
    assert "Mit „weiß nicht“ beantwortet (1)" in bb
    overview_row = re.search(r'<a href="#feld-BB">.*?</tr>', html, re.DOTALL)
    assert overview_row is not None and "kein Anteil" in overview_row.group(0)
    assert "<svg" not in overview_row.group(0)


def test_the_page_shows_next_steps_profile_not_applicable_and_the_rules() -> None:
    html = _render(ANSWERS | {"IO-02": "teilweise", "IO-03": "ja"}, COMMENTS)
    io = _section(html, "IO")
    assert "Kategorie 2, weil Kernkriterium IO-02 noch nicht erfüllt ist." in io
    assert "Ihre nächsten Schritte" in io and "Führen Sie ein Beschwerdeverfahren ein." in io
    assert "(IO-02, Kernkriterium)" in io
    assert "Profil nach Themen" in io and "Beschwerden" in io
    assert "Begründung:</em> Zuständig ist der Kreis." in io
    rules = html.split('id="regeln"')[1]
    assert "Kategorie 1 „Kategorie 1“ ab 75\u00a0%" in rules
    assert "höchstens Kategorie 2" in rules and "Untergrenze" in rules
    assert "„Nicht zutreffend“ ist nur bei Fragen möglich" in rules


@cache
def _staff_templates() -> Environment:
    """The templates, with `url_for` answered by the app's real routes."""
    settings = Settings(
        database_url="sqlite+aiosqlite://",
        questionnaire_dir=QUESTIONNAIRE_DIR,
        secret_key="test-secret-key-" + "x" * 32,
        secure_cookies=False,
    )
    environment = build_environment()
    environment.globals["url_for"] = create_app(settings).route_reverse
    return environment


def _question_html(question_id: str) -> str:
    question = next(q for f in QUESTIONNAIRE.fields for q in f.questions if q.id == question_id)
    template = _staff_templates().get_template("staff/question.html")
    return template.render(
        q=question, questionnaire=QUESTIONNAIRE, value="", comment="", version=0, state=None,
        conflicts={}, errors={}, read_only=False, token="x" * 20,
        labels=QUESTIONNAIRE.scale.labels(),
    )  # fmt: skip


def test_the_answer_form_offers_not_applicable_only_where_the_question_allows_it() -> None:
    offered = _question_html("IO-05")
    assert f'value="{NA}"' in offered and "begründen Sie das bitte kurz" in offered
    assert f'value="{NA}"' not in _question_html("IO-04")


def test_the_field_page_opens_the_glossary_of_the_questionnaire() -> None:
    glossary = [GlossaryEntry(term="Integrationsrat", definition="Gewähltes Gremium.")]
    environment = _staff_templates()
    environment.globals["csrf_token"] = lambda: "token"
    environment.globals["flash_message"] = lambda: None  # the app's callable reads the session
    template = environment.get_template("staff/field.html")

    def render(questionnaire: Questionnaire) -> str:
        field = questionnaire.fields[1]
        return template.render(
            questionnaire=questionnaire, field=field, topics=[("", field.questions)], sheet={},
            outcome=field_outcomes(questionnaire, {})[1], conflicts={}, errors={},
            submitted=None, read_only=False, token="x" * 20, municipality={"name": "Teststadt"},
        )  # fmt: skip

    html = render(replace(QUESTIONNAIRE, glossary=glossary))
    assert "Begriffe kurz erklärt" in html and "<dt>Integrationsrat</dt>" in html
    assert "Begriffe kurz erklärt" not in render(QUESTIONNAIRE)
