"""Checking practice examples and matching them to next steps (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from selfcheck.practice.schema import PracticeExample
from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.questionnaire.validation import Issue

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Six or more digits, possibly split by spaces, slashes, dashes, dots or brackets.
_PHONE = re.compile(r"(?:\+|\b)\d(?:[\d\s/().-]*\d){5,}")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
_TEXTS = ("title", "what_was_done", "contact_role")


def check_example(example: PracticeExample, questionnaires: Sequence[Questionnaire]) -> list[Issue]:
    """Everything wrong with one example, given the installed questionnaire versions."""
    return [*_check_texts(example), *_check_references(example, questionnaires)]


def _check_texts(example: PracticeExample) -> Iterator[Issue]:
    if not _ID.match(example.id):
        yield (
            ("id",),
            (
                f"Die Kennung „{example.id}“ ist ungültig: erlaubt sind Kleinbuchstaben, Ziffern "
                "und einzelne Bindestriche, z. B. „willkommensberatung-kreis“."
            ),
        )
    for name in _TEXTS:
        if not getattr(example, name).strip():
            yield (name,), f"`{name}` darf nicht leer sein."
    for path, value in (
        (("municipality", "name"), example.municipality.name),
        (("municipality", "type"), example.municipality.type),
        (("effort", "duration"), example.effort.duration),
        (("effort", "staff"), example.effort.staff),
        (("source", "title"), example.source.title),
    ):
        if not value.strip():
            yield path, f"`{'.'.join(path)}` darf nicht leer sein."
    yield from _check_source(example)
    yield from _check_contact_role(example.contact_role)


def _check_source(example: PracticeExample) -> Iterator[Issue]:
    source = example.source
    if not source.url.strip() and not source.publication.strip():
        yield ("source",), "Die Quelle braucht eine Adresse (`url`) oder eine Veröffentlichung."
    if source.url and not _URL.match(source.url.strip()):
        yield (
            ("source", "url"),
            (f"„{source.url}“ ist keine Web-Adresse; sie beginnt mit https:// oder http://."),
        )


def _check_contact_role(role: str) -> Iterator[Issue]:
    """Contacts are roles, so the file holds no personal data of anyone."""
    if _EMAIL.search(role):
        yield (
            ("contact_role",),
            (
                "Die Ansprechstelle enthält eine E-Mail-Adresse. Nennen Sie nur eine Rolle, "
                "z. B. „Integrationsbeauftragte der Stadt“, keine Kontaktdaten von Personen."
            ),
        )
    if _PHONE.search(role):
        yield (
            ("contact_role",),
            (
                "Die Ansprechstelle enthält eine Telefonnummer. Nennen Sie nur eine Rolle, "
                "z. B. „Integrationsbeauftragte der Stadt“, keine Kontaktdaten von Personen."
            ),
        )


def _check_references(
    example: PracticeExample, questionnaires: Sequence[Questionnaire]
) -> Iterator[Issue]:
    field_ids = {field.id for q in questionnaires for field in q.fields}
    field_of = {
        question.id: field.id
        for q in questionnaires
        for field in q.fields
        for question in field.questions
    }
    if not example.fields:
        yield ("fields",), "Nennen Sie mindestens ein Handlungsfeld (z. B. MS)."
    for index, field_id in enumerate(example.fields):
        if field_id not in field_ids:
            yield (
                ("fields", index),
                (
                    f"Das Handlungsfeld „{field_id}“ gibt es in keinem installierten Fragebogen "
                    f"(vorhanden: {', '.join(sorted(field_ids))})."
                ),
            )
    for index, question_id in enumerate(example.questions):
        if question_id not in field_of:
            yield (
                ("questions", index),
                (f"Die Frage „{question_id}“ gibt es in keinem installierten Fragebogen."),
            )
        elif field_of[question_id] not in example.fields:
            yield (
                ("questions", index),
                (
                    f"Die Frage „{question_id}“ gehört zum Handlungsfeld "
                    f"„{field_of[question_id]}“, das unter `fields` fehlt."
                ),
            )


def matching_examples(
    examples: Iterable[PracticeExample], field_id: str, question_ids: Iterable[str]
) -> list[PracticeExample]:
    """The examples for a field's next steps: those addressing one of the questions first
    (most matched questions first), then those addressing the field as a whole."""
    wanted = set(question_ids)
    ranked: list[tuple[int, str, PracticeExample]] = []
    for example in examples:
        matched = len(wanted.intersection(example.questions))
        if matched:
            ranked.append((-matched, example.title, example))
        elif field_id in example.fields:
            ranked.append((1, example.title, example))
    return [example for _, _, example in sorted(ranked, key=lambda item: item[:2])]
