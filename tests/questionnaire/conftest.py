from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from selfcheck.questionnaire.schema import (
    Category,
    DontKnowOption,
    Field,
    Question,
    Questionnaire,
    Scale,
    ScaleOption,
)

# A small but complete questionnaire: 2 fields with 4 and 3 questions. Tests mutate the
# text with `str.replace`, so every snippet they replace occurs exactly once.
VALID_YAML = """\
id: test-kommune
version: "2026.1"
title: Testfragebogen
description: Ein kleiner Fragebogen für Tests.
min_coverage: 0.6
scale:
  options:
    - value: ja
      label: Ja
      points: 2
    - value: teilweise
      label: Teilweise
      points: 1
    - value: nein
      label: Nein
      points: 0
  dont_know:
    value: weiss_nicht
    label: Weiß nicht
categories:
  - number: 1
    label: Weit fortgeschritten
    description: Vieles ist umgesetzt.
    min_share: 0.75
  - number: 2
    label: Auf gutem Weg
    description: Einiges ist umgesetzt.
    min_share: 0.5
  - number: 3
    label: Am Anfang
    description: Erste Schritte sind gemacht.
    min_share: 0.25
  - number: 4
    label: Noch offen
    description: Hier gibt es viel zu tun.
    min_share: 0.0
fields:
  - id: AA
    title: Erstes Feld
    description: Leitbild und Personal.
    questions:
      - id: AA-01
        text: Gibt es ein Leitbild?
        topic: Leitbild
      - id: AA-02
        text: Ist das Leitbild veröffentlicht?
        topic: Leitbild
      - id: AA-03
        text: Gibt es Fortbildungen?
        help: Zum Beispiel interkulturelle Trainings.
        topic: Personal
      - id: AA-04
        text: Werden Stellen mehrsprachig ausgeschrieben?
        topic: Personal
    suggestions:
      1: [Erfahrungen weitergeben]
      2: [Leitbild überprüfen]
      3: [Fortbildungen planen]
      4: [Leitbild erarbeiten]
  - id: BB
    title: Zweites Feld
    description: Beratung.
    questions:
      - id: BB-01
        text: Gibt es eine Beratungsstelle?
      - id: BB-02
        text: Gibt es Informationen in leichter Sprache?
      - id: BB-03
        text: Gibt es Dolmetschdienste?
    suggestions:
      1:
        - Angebote bekannt machen
      2:
        - Angebote ausbauen
      3:
        - Beratung einrichten
      4:
        - Bedarf erheben
"""


@pytest.fixture
def valid_yaml() -> str:
    return VALID_YAML


WriteYaml = Callable[[str | bytes], Path]


@pytest.fixture
def write_yaml(tmp_path: Path) -> WriteYaml:
    """Writes a questionnaire file into tmp_path and returns its path."""

    def write(content: str | bytes) -> Path:
        path = tmp_path / "fragebogen.yaml"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


# --- the same kind of questionnaire as structs, for tests that must not need the loader ---

DEFAULT_SCALE = Scale(
    options=[
        ScaleOption(value="ja", label="Ja", points=2),
        ScaleOption(value="teilweise", label="Teilweise", points=1),
        ScaleOption(value="nein", label="Nein", points=0),
    ],
    dont_know=DontKnowOption(value="weiss_nicht", label="Weiß nicht"),
)


def make_categories(*min_shares: float) -> list[Category]:
    return [
        Category(number=n, label=f"Kategorie {n}", description="", min_share=share)
        for n, share in enumerate(min_shares, start=1)
    ]


def make_field(field_id: str, *topics: str) -> Field:
    """A field with one question per topic given, ids like AA-01, AA-02, ..."""
    return Field(
        id=field_id,
        title=f"Feld {field_id}",
        description="",
        questions=[
            Question(id=f"{field_id}-{j:02d}", text=f"Frage {j}?", topic=topic)
            for j, topic in enumerate(topics, start=1)
        ],
        suggestions={n: [f"Vorschlag {n}"] for n in (1, 2, 3, 4)},
    )


def make_questionnaire(
    fields: list[Field] | None = None,
    scale: Scale = DEFAULT_SCALE,
    categories: list[Category] | None = None,
    min_coverage: float = 0.6,
    **extensions: Any,
) -> Questionnaire:
    """`extensions` sets the optional top-level keys (core_cap, provisional_coverage, ...)."""
    return Questionnaire(
        id="test-kommune",
        version="2026.1",
        title="Testfragebogen",
        scale=scale,
        categories=categories if categories is not None else make_categories(0.75, 0.5, 0.25, 0.0),
        min_coverage=min_coverage,
        fields=fields
        if fields is not None
        else [
            make_field("AA", "Leitbild", "Leitbild", "Personal", "Personal"),
            make_field("BB", "", "", ""),
        ],
        **extensions,
    )
