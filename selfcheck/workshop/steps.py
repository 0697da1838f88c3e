"""The phone's way through a round: one field (or question) per screen, then a summary.

Steps are numbered from 1; the summary is the step "fertig". The same steps work with
JavaScript (vote.js switches between them in the page) and without (one page per step,
`?schritt=N`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from selfcheck.questionnaire.schema import Questionnaire
from selfcheck.vocabulary import RoundKind

DONE: Final = "fertig"


@dataclass(frozen=True)
class Choice:
    """One tappable card: a category (field and mood rounds) or an answer on the scale."""

    value: str
    title: str
    description: str
    colour: str  # the palette's CSS name: "cat-2", "answer-weiss-nicht"


def choices(questionnaire: Questionnaire, kind: str) -> list[Choice]:
    if kind == RoundKind.QUESTIONS:
        scale = questionnaire.scale
        options = [(o.value, o.label) for o in scale.options]
        options.append((scale.dont_know.value, scale.dont_know.label))
        return [
            Choice(value, label, "", f"answer-{value.replace('_', '-')}")
            for value, label in options
        ]
    return [
        Choice(
            str(c.number),
            f"{c.number} – {c.label}",
            first_sentence(c.description),
            f"cat-{c.number}",
        )
        for c in questionnaire.categories
    ]


def first_sentence(text: str) -> str:
    """The short description on a card; the full one stays one tap away."""
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


def step_unit(kind: str) -> str:
    return "Frage" if kind == RoundKind.QUESTIONS else "Feld"


def current_step(requested: str | None, keys: Sequence[str], my_votes: Mapping[str, str]) -> str:
    """The step asked for if it exists; else the first item without a vote, or the
    summary when every item has one."""
    if requested == DONE or (
        requested and requested.isdigit() and 1 <= int(requested) <= len(keys)
    ):
        return requested
    for number, key in enumerate(keys, start=1):
        if key not in my_votes:
            return str(number)
    return DONE


def step_query(step: str) -> str:
    """`?schritt=…` for a well-formed step, else "" (an unknown step is simply ignored)."""
    if step == DONE or (step.isdigit() and len(step) < 4):
        return f"?schritt={step}"
    return ""
