"""Rules across fields that the msgspec structs cannot express.

`validate` returns (path, message) pairs. A path names a place in the questionnaire the way
the YAML file is nested, e.g. ("fields", 2, "questions", 5, "id"), so the loader can turn it
into a line and column. Messages are German, they end up in front of the person editing
the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

from selfcheck.questionnaire.schema import (
    Category,
    DivergenceRule,
    Field,
    GlossaryEntry,
    Question,
    Questionnaire,
    Scale,
)

CATEGORY_NUMBERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Key:
    """Path step naming a mapping key itself instead of its value, so that a problem with
    the key (an unknown key, a suggestion for a category that does not exist) points at it."""

    name: str | int


PathPart: TypeAlias = str | int | Key
NodePath: TypeAlias = tuple[PathPart, ...]
Issue: TypeAlias = tuple[NodePath, str]


def validate(q: Questionnaire) -> list[Issue]:
    """All rule violations of `q`, in the order of the file's sections."""
    return [
        *_check_scale(q.scale),
        *_check_categories(q.categories),
        *_check_min_coverage(q.min_coverage),
        *_check_provisional_coverage(q),
        *_check_core_cap(("core_cap",), q.core_cap),
        *_check_divergence(q.divergence),
        *_check_glossary(q.glossary),
        *_check_fields(q.fields),
        *_check_question_rules(q),
    ]


def _check_scale(scale: Scale) -> Iterator[Issue]:
    options = scale.options
    if len(options) < 2:
        yield ("scale", "options"), "Die Skala braucht mindestens zwei Antwortoptionen."
    seen: dict[str, int] = {}
    for i, option in enumerate(options):
        path: NodePath = ("scale", "options", i)
        if option.value in seen:
            first = seen[option.value] + 1
            yield (
                (*path, "value"),
                f"Der Wert `{option.value}` ist schon bei Antwortoption {first} vergeben.",
            )
        seen.setdefault(option.value, i)
        if option.points < 0:
            yield (*path, "points"), "Punkte dürfen nicht negativ sein."
    if options and max(o.points for o in options) <= 0:
        # Otherwise no field could ever reach a point and every share would be 0 of 0.
        yield ("scale", "options"), "Mindestens eine Antwortoption muss Punkte (> 0) geben."
    if scale.dont_know.value in seen:
        first = seen[scale.dont_know.value] + 1
        yield (
            ("scale", "dont_know", "value"),
            f"Der Wert `{scale.dont_know.value}` ist schon bei Antwortoption {first} vergeben; "
            "„weiß nicht“ braucht einen eigenen Wert.",
        )
    not_applicable = scale.not_applicable
    if not_applicable is not None and (
        not_applicable.value in seen or not_applicable.value == scale.dont_know.value
    ):
        yield (
            ("scale", "not_applicable", "value"),
            f"Der Wert `{not_applicable.value}` ist schon vergeben; „nicht zutreffend“ "
            "braucht einen eigenen Wert.",
        )


def _check_categories(categories: list[Category]) -> Iterator[Issue]:
    if len(categories) != len(CATEGORY_NUMBERS):
        yield (
            ("categories",),
            f"Es muss genau {len(CATEGORY_NUMBERS)} Kategorien geben, gefunden: {len(categories)}.",
        )
    previous: float | None = None
    for i, category in enumerate(categories):
        path: NodePath = ("categories", i)
        if category.number != i + 1:
            yield (
                (*path, "number"),
                f"Die {i + 1}. Kategorie muss die Nummer {i + 1} haben, gefunden: "
                f"{category.number}. Kategorien stehen in der Reihenfolge 1, 2, 3, 4.",
            )
        yield from _check_min_share(path, category.min_share, previous, i == len(categories) - 1)
        if 0.0 <= category.min_share <= 1.0:  # an invalid value would be reported twice
            previous = category.min_share


def _check_min_share(
    path: NodePath, share: float, previous: float | None, is_last: bool
) -> Iterator[Issue]:
    # Written as `not (...)` so that NaN fails every check.
    where = (*path, "min_share")
    if not 0.0 <= share <= 1.0:
        yield where, f"min_share muss zwischen 0 und 1 liegen, gefunden: {share}."
    elif previous is not None and not share < previous:
        yield (
            where,
            f"min_share muss kleiner sein als bei der Kategorie davor ({previous}), "
            f"gefunden: {share}.",
        )
    elif is_last and share != 0.0:
        yield (
            where,
            f"Die letzte Kategorie braucht min_share 0, damit jedes Ergebnis eine Kategorie "
            f"bekommt; gefunden: {share}.",
        )


def _check_min_coverage(min_coverage: float) -> Iterator[Issue]:
    if not 0.0 < min_coverage <= 1.0:
        yield (
            ("min_coverage",),
            f"min_coverage muss größer als 0 und höchstens 1 sein, gefunden: {min_coverage}.",
        )


def _check_provisional_coverage(q: Questionnaire) -> Iterator[Issue]:
    value = q.provisional_coverage
    if value is None:
        return
    # Written as `not (...)` so that NaN fails.
    if not q.min_coverage <= value <= 1.0:
        yield (
            ("provisional_coverage",),
            "provisional_coverage muss mindestens so groß wie min_coverage "
            f"({q.min_coverage}) und höchstens 1 sein, gefunden: {value}.",
        )


def _check_core_cap(path: NodePath, cap: int | None) -> Iterator[Issue]:
    if cap is not None and cap not in CATEGORY_NUMBERS:
        yield path, f"core_cap muss eine Kategorie (1, 2, 3 oder 4) sein, gefunden: {cap}."


def _check_divergence(rule: DivergenceRule) -> Iterator[Issue]:
    if rule.split_gap < 1:
        yield (
            ("divergence", "split_gap"),
            f"split_gap muss mindestens 1 sein, gefunden: {rule.split_gap}.",
        )
    if not 0.0 < rule.split_share <= 0.5:
        # Two categories cannot each hold more than half of the votes.
        yield (
            ("divergence", "split_share"),
            f"split_share muss größer als 0 und höchstens 0,5 sein, gefunden: {rule.split_share}.",
        )


def _check_glossary(glossary: list[GlossaryEntry]) -> Iterator[Issue]:
    seen: dict[str, int] = {}
    for i, entry in enumerate(glossary):
        path: NodePath = ("glossary", i)
        if not entry.term.strip():
            yield (*path, "term"), "Der Begriff im Glossar darf nicht leer sein."
        elif entry.term.strip().casefold() in seen:
            first = seen[entry.term.strip().casefold()] + 1
            yield (
                (*path, "term"),
                f"Der Begriff `{entry.term}` steht schon als {first}. Eintrag im Glossar.",
            )
        seen.setdefault(entry.term.strip().casefold(), i)
        if not entry.definition.strip():
            yield (*path, "definition"), "Die Erklärung im Glossar darf nicht leer sein."


def _check_fields(fields: list[Field]) -> Iterator[Issue]:
    if not fields:
        yield ("fields",), "Der Fragebogen braucht mindestens ein Handlungsfeld."
    field_ids: dict[str, int] = {}
    question_ids: dict[str, tuple[str, int]] = {}
    for i, field in enumerate(fields):
        path: NodePath = ("fields", i)
        yield from _check_id((*path, "id"), field.id, "eines Handlungsfelds")
        if field.id in field_ids:
            yield (
                (*path, "id"),
                f"Die Handlungsfeld-ID `{field.id}` ist doppelt vergeben "
                f"(schon beim {field_ids[field.id] + 1}. Handlungsfeld).",
            )
        field_ids.setdefault(field.id, i)
        yield from _check_questions(path, field, question_ids)
        yield from _check_topics(path, field)
        yield from _check_suggestions(path, field)
        yield from _check_core_cap((*path, "core_cap"), field.core_cap)


def _check_id(path: NodePath, value: str, what: str) -> Iterator[Issue]:
    if not value.strip():
        yield path, f"Die ID {what} darf nicht leer sein."


def _check_questions(
    path: NodePath, field: Field, question_ids: dict[str, tuple[str, int]]
) -> Iterator[Issue]:
    if not field.questions:
        yield (*path, "questions"), "Das Handlungsfeld enthält keine Fragen."
    for j, question in enumerate(field.questions):
        qpath: NodePath = (*path, "questions", j)
        yield from _check_id((*qpath, "id"), question.id, "einer Frage")
        if question.id in question_ids:
            field_id, index = question_ids[question.id]
            yield (
                (*qpath, "id"),
                f"Die Fragen-ID `{question.id}` ist doppelt vergeben "
                f"(schon bei Frage {index + 1} im Handlungsfeld `{field_id}`).",
            )
        question_ids.setdefault(question.id, (field.id, j))
        if not question.text.strip():
            yield (*qpath, "text"), "Der Fragetext darf nicht leer sein."


def _check_topics(path: NodePath, field: Field) -> Iterator[Issue]:
    """Questions are shown grouped under their topic, so a topic must not reappear later.
    Questions without a topic belong to no group; they only end the group before them."""
    closed: set[str] = set()
    current = ""
    for j, question in enumerate(field.questions):
        if question.topic == current:
            continue
        if question.topic in closed:
            yield (
                (*path, "questions", j, "topic"),
                f"Das Thema `{question.topic}` kam in diesem Handlungsfeld schon vor; "
                "Fragen eines Themas müssen direkt aufeinander folgen.",
            )
        if current:
            closed.add(current)
        current = question.topic


def _check_suggestions(path: NodePath, field: Field) -> Iterator[Issue]:
    where: NodePath = (*path, "suggestions")
    missing = [n for n in CATEGORY_NUMBERS if n not in field.suggestions]
    if missing:
        numbers = ", ".join(str(n) for n in missing)
        yield where, f"Es fehlen Vorschläge für Kategorie {numbers}."
    for number, suggestions in field.suggestions.items():
        if number not in CATEGORY_NUMBERS:
            yield (
                (*where, Key(number)),
                f"Eine Kategorie {number} gibt es nicht; erlaubt sind 1, 2, 3 und 4.",
            )
        elif not suggestions:
            yield (*where, number), f"Die Liste der Vorschläge für Kategorie {number} ist leer."


# --- rules that need the whole questionnaire: core, "nicht zutreffend", builds_on -----


def _check_question_rules(q: Questionnaire) -> Iterator[Issue]:
    known = {question.id for field in q.fields for question in field.questions}
    for i, field in enumerate(q.fields):
        path: NodePath = ("fields", i)
        if any(question.core for question in field.questions) and q.core_cap_of(field) is None:
            yield (
                (*path, "core"),
                "Das Handlungsfeld hat Kernkriterien, aber keine Obergrenze: Geben Sie "
                "core_cap beim Handlungsfeld oder für den ganzen Fragebogen an.",
            )
        for j, question in enumerate(field.questions):
            qpath: NodePath = (*path, "questions", j)
            if question.may_not_apply and q.scale.not_applicable is None:
                yield (
                    (*qpath, "may_not_apply"),
                    "may_not_apply braucht die Antwort „nicht zutreffend“: Legen Sie "
                    "scale.not_applicable fest.",
                )
            if question.suggestion and not question.suggestion.strip():
                yield (*qpath, "suggestion"), "Der Vorschlag besteht nur aus Leerzeichen."
            yield from _check_builds_on(qpath, question, known)
    yield from _check_builds_on_cycles(q)


def _check_builds_on(path: NodePath, question: Question, known: set[str]) -> Iterator[Issue]:
    seen: set[str] = set()
    for k, target in enumerate(question.builds_on):
        where: NodePath = (*path, "builds_on", k)
        if target == question.id:
            yield where, f"Die Frage `{question.id}` kann nicht auf sich selbst aufbauen."
        elif target not in known:
            yield where, f"Eine Frage `{target}` gibt es in diesem Fragebogen nicht."
        elif target in seen:
            yield where, f"Die Frage `{target}` steht doppelt in builds_on."
        seen.add(target)


def _check_builds_on_cycles(q: Questionnaire) -> Iterator[Issue]:
    """A cycle would hide every suggestion in it for good. Each cycle is reported once,
    at the question whose `builds_on` closes it when walking in file order."""
    where: dict[str, NodePath] = {}
    depends: dict[str, list[str]] = {}
    for i, field in enumerate(q.fields):
        for j, question in enumerate(field.questions):
            where.setdefault(question.id, ("fields", i, "questions", j, "builds_on"))
            depends.setdefault(question.id, [t for t in question.builds_on if t != question.id])
    done: set[str] = set()

    def walk(trail: list[str]) -> Iterator[Issue]:
        for target in depends[trail[-1]]:
            if target in trail:
                cycle = " → ".join([*trail[trail.index(target) :], target])
                yield (
                    where[trail[-1]],
                    f"builds_on bildet einen Kreis ({cycle}); keine dieser Fragen bekäme "
                    "je einen Vorschlag.",
                )
            elif target in depends and target not in done:
                yield from walk([*trail, target])
        done.add(trail[-1])

    for start in depends:
        if start not in done:
            yield from walk([start])
