"""The overview `selfcheck questionnaire check PATH` prints for a valid file."""

from __future__ import annotations

from selfcheck.questionnaire.schema import Field, Questionnaire


def summarize(q: Questionnaire) -> str:
    id_width = max((len(f.id) for f in q.fields), default=0)
    title_width = max((len(f.title) for f in q.fields), default=0)
    count_width = max((len(str(len(f.questions))) for f in q.fields), default=0)
    lines = [f"{q.id} (Version {q.version}): {q.title}"]
    for field in q.fields:
        count = len(field.questions)
        line = (
            f"  {field.id:<{id_width}}  {field.title:<{title_width}}  "
            f"{count:>{count_width}} {_plural(count, 'Frage', 'Fragen')}"
        )
        lines.append(line + _rules_of(q, field))
    total = sum(len(f.questions) for f in q.fields)
    fields = _plural(len(q.fields), "Handlungsfeld", "Handlungsfelder")
    questions = _plural(total, "Frage", "Fragen")
    lines.append(f"{len(q.fields)} {fields}, {total} {questions} – keine Fehler gefunden.")
    return "\n".join(lines)


def _rules_of(q: Questionnaire, field: Field) -> str:
    """The 2027 rules of a field at a glance: core criteria with their cap and the
    questions that may not apply."""
    core = [question.id for question in field.questions if question.core]
    may_not_apply = sum(question.may_not_apply for question in field.questions)
    notes = []
    if core:
        cap = q.core_cap_of(field)
        notes.append(f"Kernkriterien {', '.join(core)} (höchstens Kategorie {cap})")
    if may_not_apply:
        notes.append(f"{may_not_apply} × „nicht zutreffend“ möglich")
    return f"  – {'; '.join(notes)}" if notes else ""


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many
