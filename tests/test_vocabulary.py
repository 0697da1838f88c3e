"""The vocabulary is the one source of the kinds and statuses the export file stores."""

from __future__ import annotations

from enum import StrEnum

import msgspec
import pytest

from selfcheck.reporting.export_format import AssessmentData, NoteData, RoundData
from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind, RoundStatus


@pytest.mark.parametrize(
    ("struct", "attribute", "enum"),
    [
        (AssessmentData, "status", AssessmentStatus),
        (RoundData, "kind", RoundKind),
        (RoundData, "status", RoundStatus),
        (NoteData, "kind", NoteKind),
    ],
)
def test_the_export_format_accepts_exactly_the_vocabulary(
    struct: type[msgspec.Struct], attribute: str, enum: type[StrEnum]
) -> None:
    _, definitions = msgspec.json.schema_components([struct])
    properties = definitions[struct.__name__]["properties"]
    reference = properties[attribute]["$ref"].rsplit("/", 1)[-1]
    assert set(definitions[reference]["enum"]) == {member.value for member in enum}


@pytest.mark.parametrize("enum", [AssessmentStatus, RoundKind, RoundStatus, NoteKind])
def test_every_word_has_a_german_label(enum: type[RoundKind]) -> None:
    for member in enum:
        assert member.label and member.label != member.value
