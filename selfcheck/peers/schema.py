"""The cross-municipality figures as served by the page and the JSON API."""

from __future__ import annotations

import msgspec

from selfcheck.reporting.peer_section import PeerDistribution


class FieldPeers(msgspec.Struct, frozen=True, kw_only=True):
    field_id: str
    title: str
    administration: PeerDistribution  # the category of each municipality's administration
    workshop: PeerDistribution  # the median of each municipality's workshop


class PeerOverview(msgspec.Struct, frozen=True, kw_only=True):
    questionnaire_id: str
    questionnaire_version: str
    versions: list[str]  # the questionnaire versions one can choose
    min_municipalities: int
    fields: list[FieldPeers]
