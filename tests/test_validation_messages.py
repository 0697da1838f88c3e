"""msgspec's errors are read once into a kind and a path, whatever the wording around them."""

from __future__ import annotations

from typing import Annotated

import msgspec
import pytest

from selfcheck.validation_messages import (
    ANY,
    FailureKind,
    dotted,
    import_message,
    read_failure,
)


class Inner(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1)]
    count: int = 0


class Outer(msgspec.Struct):
    items: list[Inner]
    by_key: dict[str, Inner] = {}


def _error(data: object) -> msgspec.ValidationError:
    with pytest.raises(msgspec.ValidationError) as caught:
        msgspec.convert(data, Outer)
    return caught.value


def test_a_wrong_type_is_read_with_its_path() -> None:
    failure = read_failure(_error({"items": [{"name": "a"}, {"name": "b", "count": "x"}]}))
    assert failure.kind is FailureKind.WRONG_TYPE
    assert failure.details == ("int", "str")
    assert failure.path == ("items", 1, "count")
    assert dotted(failure.path) == "items[1].count"


def test_a_mapping_key_stands_as_any_in_the_path() -> None:
    failure = read_failure(_error({"items": [], "by_key": {"k": {"name": ""}}}))
    assert failure.kind is FailureKind.TOO_SHORT
    assert failure.path == ("by_key", ANY, "name")
    assert dotted(failure.path) == "by_key[...].name"


@pytest.mark.parametrize(
    ("data", "kind", "details"),
    [
        ({}, FailureKind.MISSING_FIELD, ("items",)),
        ({"items": [{"name": "a", "colour": 1}]}, FailureKind.UNKNOWN_FIELD, ("colour",)),
    ],
)
def test_missing_and_unknown_fields_name_the_field(
    data: object, kind: FailureKind, details: tuple[str, ...]
) -> None:
    failure = read_failure(_error(data))
    assert (failure.kind, failure.details) == (kind, details)


def test_an_import_message_names_the_place_in_german() -> None:
    failure = read_failure(_error({"items": [{"name": ""}]}))
    assert import_message(failure) == "An der Stelle „items[0].name“: darf nicht leer sein."


def test_an_unknown_kind_keeps_msgspecs_words_in_the_message() -> None:
    failure = read_failure("Something new - at `$.items[0]`")
    assert failure.kind is FailureKind.OTHER
    assert import_message(failure) == "An der Stelle „items[0]“: ungültiger Wert (Something new)."
