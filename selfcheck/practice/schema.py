"""The practice example file format, as msgspec structs (one example per YAML file)."""

from __future__ import annotations

import msgspec


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    pass


class ExampleMunicipality(_Strict, frozen=True):
    """Who did it: a real name only where public sources name it, else a description
    such as "eine Großstadt in Nordrhein-Westfalen"."""

    name: str
    type: str  # e.g. Großstadt, Mittelstadt, Landkreis


class Effort(_Strict, frozen=True):
    duration: str
    staff: str


class Source(_Strict, frozen=True):
    title: str
    url: str = ""
    publication: str = ""


class PracticeExample(_Strict, frozen=True):
    id: str
    title: str
    municipality: ExampleMunicipality
    fields: list[str]
    what_was_done: str
    effort: Effort
    source: Source
    # A role ("Integrationsbeauftragte der Stadt"), never a person's name or number.
    contact_role: str
    questions: list[str] = []
