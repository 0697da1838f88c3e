"""The JSON export of one assessment, as msgspec structs (documented in docs/export-format.md).

The file carries everything needed to rebuild the assessment on another installation:
the questionnaire reference, the administration's answers with their history, and the
workshops with anonymous participants, rounds, votes and notes. It deliberately carries no
database ids, no staff invitations (names and secret links) and no join codes or scribe
tokens: participants are numbered per workshop ("t1", "t2", ...) instead.

Kinds and statuses are the StrEnums of `selfcheck.vocabulary`: the file stores their
values. Types and lengths are checked by msgspec while decoding; the rules that need the
questionnaire (ids, values on the scale) are checked in `importing.py`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final, Literal, TypeVar

import msgspec

from selfcheck.vocabulary import AssessmentStatus, NoteKind, RoundKind, RoundStatus

FORMAT_NAME: Final = "selfcheck-export"
FORMAT_VERSION: Final = 3
# Version 1 had no trial marks and no chosen rounds; its files read as "nothing marked".
# Versions 1 and 2 had no action plan; their files read as an empty plan.
READABLE_VERSIONS: Final = (1, 2, 3)

# Timestamps must carry a time zone; the export writes UTC ("...Z").
Timestamp = Annotated[datetime, msgspec.Meta(tz=True)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
ShortText = Annotated[str, msgspec.Meta(max_length=200)]
LongText = Annotated[str, msgspec.Meta(max_length=2000)]
Key = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Version = Annotated[int, msgspec.Meta(ge=1)]


class _Strict(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class QuestionnaireRef(_Strict, frozen=True, kw_only=True):
    id: Key
    version: Key


class MunicipalityData(_Strict, frozen=True, kw_only=True):
    name: Title
    official_key: Annotated[str, msgspec.Meta(pattern=r"^\d{8}$")] | None = None
    population: Annotated[int, msgspec.Meta(gt=0, lt=100_000_000)] | None = None


class AssessmentData(_Strict, frozen=True, kw_only=True):
    title: Title
    status: AssessmentStatus
    submitted_at: Timestamp | None = None
    submitted_by: ShortText | None = None
    report_released: bool = False
    created_at: Timestamp


class AnswerChangeData(_Strict, frozen=True, kw_only=True):
    version: Version
    value: Key | None
    comment: LongText = ""
    changed_by: ShortText
    changed_at: Timestamp


class AnswerData(_Strict, frozen=True, kw_only=True):
    question_id: Key
    value: Key | None  # None: no answer chosen (maybe only a comment)
    comment: LongText = ""
    version: Version
    updated_by: ShortText
    updated_at: Timestamp
    history: list[AnswerChangeData]  # oldest first


class ParticipantData(_Strict, frozen=True, kw_only=True):
    key: Key  # "t1", "t2", ... in the order of joining; only meaningful inside this file
    stakeholder_group: Annotated[str, msgspec.Meta(max_length=30)] | None = None
    joined_at: Timestamp


class VoteData(_Strict, frozen=True, kw_only=True):
    item: Key  # a field id (field and mood rounds) or a question id (question rounds)
    participant: Key
    value: Key
    cast_at: Timestamp


class RoundData(_Strict, frozen=True, kw_only=True):
    kind: RoundKind
    title: Title
    status: RoundStatus
    opened_at: Timestamp | None = None
    closed_at: Timestamp | None = None
    created_at: Timestamp
    items: list[Key]
    votes: list[VoteData]
    trial: bool = False  # a Probelauf: its votes never count
    chosen_for: list[Key] = []  # fields whose workshop view the moderator set to this round


class NoteData(_Strict, frozen=True, kw_only=True):
    field_id: Key
    kind: NoteKind
    text: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    responsible: ShortText = ""
    timeframe: ShortText = ""
    created_at: Timestamp


class WorkshopData(_Strict, frozen=True, kw_only=True):
    title: Title
    min_group_size: Annotated[int, msgspec.Meta(ge=2, le=100)]
    reveal_admin_immediately: bool = False
    trial: bool = False  # the whole workshop is a Probelauf: none of its rounds counts
    created_at: Timestamp
    participants: list[ParticipantData]
    rounds: list[RoundData]
    notes: list[NoteData]


MeasureStatusValue = Literal["planned", "in_progress", "done", "deferred", "dropped"]


class MeasureChangeData(_Strict, frozen=True, kw_only=True):
    old_status: MeasureStatusValue | None  # None: the measure was created
    new_status: MeasureStatusValue
    changed_by: ShortText
    changed_at: Timestamp
    reason: LongText = ""


class NoteRef(_Strict, frozen=True, kw_only=True):
    """A workshop note in this file: the workshop's and the note's place, counted from 1."""

    workshop: Annotated[int, msgspec.Meta(ge=1)]
    note: Annotated[int, msgspec.Meta(ge=1)]


class MeasureData(_Strict, frozen=True, kw_only=True):
    field_id: Key
    question_ids: list[Key] = []
    title: Title
    description: LongText = ""
    responsible: ShortText = ""
    deadline: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}$")] | None = None  # month
    priority: Literal["high", "medium", "low"]
    status: MeasureStatusValue
    source: Literal["workshop_note", "next_step", "free"]
    source_note: NoteRef | None = None
    source_question_id: Key | None = None
    created_at: Timestamp
    updated_at: Timestamp
    history: list[MeasureChangeData]  # oldest first


class AssessmentExport(_Strict, frozen=True, kw_only=True):
    format: Literal["selfcheck-export"]
    format_version: int
    exported_at: Timestamp
    questionnaire: QuestionnaireRef
    municipality: MunicipalityData
    assessment: AssessmentData
    answers: list[AnswerData]
    workshops: list[WorkshopData]
    measures: list[MeasureData] = []  # the action plan (from format version 3)

    # What `QuestionnaireRegistry.for_assessment` reads, as on an assessment.
    @property
    def questionnaire_id(self) -> str:
        return self.questionnaire.id

    @property
    def questionnaire_version(self) -> str:
        return self.questionnaire.version


_Data = TypeVar("_Data", bound=msgspec.Struct)


# The structs name their fields like the database columns they come from, so one rule
# copies either way; `others` sets what differs (keys, history, an enum from a string).
def from_row(data_type: type[_Data], row: object, **others: Any) -> _Data:
    """A struct filled from the same-named attributes of a database row."""
    names = [name for name in data_type.__struct_fields__ if name not in others]
    return data_type(**{name: getattr(row, name) for name in names}, **others)


def row_values(data: msgspec.Struct, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """A struct's fields as keyword arguments for the same-named database columns."""
    return {name: getattr(data, name) for name in data.__struct_fields__ if name not in leave_out}


def encode_export(export: AssessmentExport) -> bytes:
    """Readable, stable JSON (indented, keys in struct order)."""
    return msgspec.json.format(msgspec.json.encode(export), indent=2) + b"\n"
