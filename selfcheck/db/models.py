"""The database schema. Services in the domain packages read and write these models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints: Alembic's batch mode on SQLite needs names to alter them later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC timestamps")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class User(Base):
    """A moderator or administrator who logs in with e-mail and password."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('admin', 'moderator')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    municipalities: Mapped[list[Municipality]] = relationship(
        secondary="municipality_moderators", back_populates="moderators"
    )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Amtlicher Gemeindeschlüssel: 8 digits, optional.
    official_key: Mapped[str | None] = mapped_column(String(8))
    population: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderators: Mapped[list[User]] = relationship(
        secondary="municipality_moderators", back_populates="municipalities"
    )
    assessments: Mapped[list[Assessment]] = relationship(
        back_populates="municipality", order_by="Assessment.created_at.desc()"
    )


class MunicipalityModerator(Base):
    """Which moderators may see and change which municipality."""

    __tablename__ = "municipality_moderators"

    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class Assessment(Base):
    """One run of the Selbstcheck in a municipality, pinned to a questionnaire version."""

    __tablename__ = "assessments"
    __table_args__ = (CheckConstraint("status IN ('open', 'submitted')", name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(100))
    questionnaire_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20), default="open")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    # Whether invited staff may see the comparison report.
    report_released: Mapped[bool] = mapped_column(default=False)
    # Whether the report shows "Ihre Kommune im Vergleich" (off until the moderator opts in).
    peer_comparison_in_report: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The assessment this one continues (Fortschreibung); the development over the years
    # follows this chain. Deleting the earlier one only cuts the link.
    previous_assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"), index=True
    )

    municipality: Mapped[Municipality] = relationship(back_populates="assessments")
    # Read-only: workshops are created and deleted by the workshop services.
    workshops: Mapped[list[Workshop]] = relationship(viewonly=True, order_by="Workshop.id")

    @property
    def is_submitted(self) -> bool:
        return self.status == "submitted"


class StaffInvitation(Base):
    """A personal link for an administration staff member. Only a hash of the token is
    stored, so a copy of the database does not open any assessment."""

    __tablename__ = "staff_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    department: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    # The moderator lets this person update the measures of their department.
    may_update_measures: Mapped[bool] = mapped_column(default=False, server_default=false())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_active_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()


class Answer(Base):
    """The shared answer to one question. `version` grows with every change and lets a
    save detect that somebody else changed the answer in the meantime."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("assessment_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(50))
    # None: no answer chosen (skipped, or cleared again).
    value: Mapped[str | None] = mapped_column(String(50))
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Copied from the previous assessment as a starting point ("übernommen – bitte
    # bestätigen"); cleared when somebody confirms or changes the answer.
    carried_over: Mapped[bool] = mapped_column(default=False, server_default=false())


class AnswerChange(Base):
    """Every saved state of an answer, for the history per question."""

    __tablename__ = "answer_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    value: Mapped[str | None] = mapped_column(String(50))
    comment: Mapped[str] = mapped_column(Text, default="")
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(6), unique=True)
    # Distributions and group breakdowns are shown only from this many votes on.
    min_group_size: Mapped[int] = mapped_column(default=3)
    reveal_admin_immediately: Mapped[bool] = mapped_column(default=False)
    # The moderator may keep the distributions off the projector (vote first, then reveal).
    results_hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    scribe_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # A trial run (Probelauf): none of its rounds counts in any report.
    trial: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()


class Round(Base):
    """A voting round: one field in the four categories ("field"), all fields at once
    ("mood", the Stimmungsbild), or selected questions on the questionnaire scale."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("kind IN ('field', 'mood', 'questions')", name="kind"),
        CheckConstraint("status IN ('draft', 'open', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A trial round (Probelauf): its votes never count in any report.
    trial: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[RoundItem]] = relationship(order_by="RoundItem.position")


class FieldRoundChoice(Base):
    """The closed round a moderator picked as the workshop's view of one field; without
    a choice the latest closed round that is no trial counts."""

    __tablename__ = "field_round_choices"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)


class RoundItem(Base):
    """What is voted on in a round: a field id (rated in categories) or a question id."""

    __tablename__ = "round_items"
    __table_args__ = (UniqueConstraint("round_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    item_key: Mapped[str] = mapped_column(String(50))
    position: Mapped[int]


class Participant(Base):
    """An anonymous workshop participant: a random id kept in a cookie on the phone.
    Deliberately no IP address, user agent or name."""

    __tablename__ = "participants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    stakeholder_group: Mapped[str | None] = mapped_column(String(30))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Vote(Base):
    """One participant's current vote on one round item; a changed vote updates the row."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("round_item_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_item_id: Mapped[int] = mapped_column(ForeignKey("round_items.id", ondelete="CASCADE"))
    participant_id: Mapped[str] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[str] = mapped_column(String(50))
    cast_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoundReopening(Base):
    """A closed round opened again by a moderator: its votes stay, the reopening is kept
    on record, so that a result that changed after its first close can be explained."""

    __tablename__ = "round_reopenings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    previously_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reopened_by: Mapped[str] = mapped_column(String(254))


class WorkshopNote(Base):
    """A small group's result for one field: a strength, a need for action or a measure."""

    __tablename__ = "workshop_notes"
    __table_args__ = (CheckConstraint("kind IN ('strength', 'need', 'measure')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    timeframe: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoteTally(Base):
    """Votes kept only as counts once the single votes are deleted (`selfcheck purge`):
    per round item, stakeholder group ("" for none) and value. Reports read these beside
    the remaining single votes, so a purged workshop keeps its results."""

    __tablename__ = "vote_tallies"
    __table_args__ = (UniqueConstraint("round_item_id", "stakeholder_group", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_item_id: Mapped[int] = mapped_column(ForeignKey("round_items.id", ondelete="CASCADE"))
    stakeholder_group: Mapped[str] = mapped_column(String(30), default="")
    value: Mapped[str] = mapped_column(String(50))
    votes: Mapped[int]


class ParticipantTally(Base):
    """How many participants (per stakeholder group, "" for none) a workshop had whose
    records were deleted by `selfcheck purge`."""

    __tablename__ = "participant_tallies"
    __table_args__ = (UniqueConstraint("workshop_id", "stakeholder_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    stakeholder_group: Mapped[str] = mapped_column(String(30), default="")
    participants: Mapped[int]


class Measure(Base):
    """One entry of an assessment's action plan (Maßnahmenplan). `version` grows with every
    change, so that a save started from an older state is detected, as with answers."""

    __tablename__ = "measures"
    __table_args__ = (
        CheckConstraint("priority IN ('high', 'medium', 'low')", name="priority"),
        CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'deferred', 'dropped')", name="status"
        ),
        CheckConstraint("source IN ('workshop_note', 'next_step', 'free')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    field_id: Mapped[str] = mapped_column(String(50))
    question_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(String(200), default="")
    # The month the measure is due: stored as the first day of that month.
    deadline: Mapped[date | None] = mapped_column(Date)
    priority: Mapped[str] = mapped_column(String(20), default="medium")
    status: Mapped[str] = mapped_column(String(20), default="planned")
    source: Mapped[str] = mapped_column(String(20), default="free")
    source_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_notes.id", ondelete="SET NULL"), index=True
    )
    source_question_id: Mapped[str | None] = mapped_column(String(50))
    # The measure of the previous assessment this one continues (Fortschreibung).
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    changes: Mapped[list[MeasureStatusChange]] = relationship(
        order_by="MeasureStatusChange.id", viewonly=True
    )


class MeasureStatusChange(Base):
    """A status change of a measure: who, when, why. The first entry has no old status."""

    __tablename__ = "measure_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    changed_by: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
