"""initial schema

Create Date: 2026-11-22 03:11:28.527825
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl
from selfcheck.db.migrations.ddl import UTC_DATETIME

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "municipalities",
        ddl.id_column(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("official_key", sa.String(length=8), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.primary_key("municipalities"),
    )
    op.create_table(
        "users",
        ddl.id_column(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.check("users", "role", "role IN ('admin', 'moderator')"),
        ddl.primary_key("users"),
        ddl.unique("users", "email"),
    )
    op.create_table(
        "assessments",
        ddl.id_column(),
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=100), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("submitted_at", UTC_DATETIME, nullable=True),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("report_released", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.check("assessments", "status", "status IN ('open', 'submitted')"),
        ddl.foreign_key("assessments", "municipality_id", "municipalities", ondelete="CASCADE"),
        ddl.primary_key("assessments"),
    )
    ddl.create_indexes("assessments", "municipality_id")
    op.create_table(
        "municipality_moderators",
        sa.Column("municipality_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        ddl.foreign_key(
            "municipality_moderators", "municipality_id", "municipalities", ondelete="CASCADE"
        ),
        ddl.foreign_key("municipality_moderators", "user_id", "users", ondelete="CASCADE"),
        ddl.primary_key("municipality_moderators", "municipality_id", "user_id"),
    )
    op.create_table(
        "answers",
        ddl.id_column(),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("answers", "assessment_id", "assessments", ondelete="CASCADE"),
        ddl.primary_key("answers"),
        ddl.unique("answers", "assessment_id", "question_id"),
    )
    op.create_table(
        "staff_invitations",
        ddl.id_column(),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("is_coordinator", sa.Boolean(), nullable=False),
        sa.Column("expires_at", UTC_DATETIME, nullable=True),
        sa.Column("revoked_at", UTC_DATETIME, nullable=True),
        sa.Column("last_active_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("staff_invitations", "assessment_id", "assessments", ondelete="CASCADE"),
        ddl.primary_key("staff_invitations"),
        ddl.unique("staff_invitations", "token_hash"),
    )
    ddl.create_indexes("staff_invitations", "assessment_id")
    op.create_table(
        "workshops",
        ddl.id_column(),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("join_code", sa.String(length=6), nullable=False),
        sa.Column("min_group_size", sa.Integer(), nullable=False),
        sa.Column("reveal_admin_immediately", sa.Boolean(), nullable=False),
        sa.Column("scribe_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("workshops", "assessment_id", "assessments", ondelete="CASCADE"),
        ddl.primary_key("workshops"),
        ddl.unique("workshops", "join_code"),
        ddl.unique("workshops", "scribe_token_hash"),
    )
    ddl.create_indexes("workshops", "assessment_id")
    op.create_table(
        "answer_changes",
        ddl.id_column(),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("answer_changes", "answer_id", "answers", ondelete="CASCADE"),
        ddl.primary_key("answer_changes"),
    )
    ddl.create_indexes("answer_changes", "answer_id")
    op.create_table(
        "participants",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=30), nullable=True),
        sa.Column("joined_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("participants", "workshop_id", "workshops", ondelete="CASCADE"),
        ddl.primary_key("participants"),
    )
    ddl.create_indexes("participants", "workshop_id")
    op.create_table(
        "rounds",
        ddl.id_column(),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("opened_at", UTC_DATETIME, nullable=True),
        sa.Column("closed_at", UTC_DATETIME, nullable=True),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.check("rounds", "kind", "kind IN ('field', 'mood', 'questions')"),
        ddl.check("rounds", "status", "status IN ('draft', 'open', 'closed')"),
        ddl.foreign_key("rounds", "workshop_id", "workshops", ondelete="CASCADE"),
        ddl.primary_key("rounds"),
    )
    ddl.create_indexes("rounds", "workshop_id")
    op.create_table(
        "workshop_notes",
        ddl.id_column(),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.String(length=50), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("timeframe", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        ddl.check("workshop_notes", "kind", "kind IN ('strength', 'need', 'measure')"),
        ddl.foreign_key("workshop_notes", "workshop_id", "workshops", ondelete="CASCADE"),
        ddl.primary_key("workshop_notes"),
    )
    ddl.create_indexes("workshop_notes", "workshop_id")
    op.create_table(
        "round_items",
        ddl.id_column(),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=50), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        ddl.foreign_key("round_items", "round_id", "rounds", ondelete="CASCADE"),
        ddl.primary_key("round_items"),
        ddl.unique("round_items", "round_id", "item_key"),
    )
    op.create_table(
        "votes",
        ddl.id_column(),
        sa.Column("round_item_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("cast_at", UTC_DATETIME, nullable=False),
        ddl.foreign_key("votes", "participant_id", "participants", ondelete="CASCADE"),
        ddl.foreign_key("votes", "round_item_id", "round_items", ondelete="CASCADE"),
        ddl.primary_key("votes"),
        ddl.unique("votes", "round_item_id", "participant_id"),
    )
    ddl.create_indexes("votes", "participant_id")


def downgrade() -> None:
    ddl.drop_indexes_and_table("votes", "participant_id")
    op.drop_table("round_items")
    ddl.drop_indexes_and_table("workshop_notes", "workshop_id")
    ddl.drop_indexes_and_table("rounds", "workshop_id")
    ddl.drop_indexes_and_table("participants", "workshop_id")
    ddl.drop_indexes_and_table("answer_changes", "answer_id")
    ddl.drop_indexes_and_table("workshops", "assessment_id")
    ddl.drop_indexes_and_table("staff_invitations", "assessment_id")
    op.drop_table("answers")
    op.drop_table("municipality_moderators")
    ddl.drop_indexes_and_table("assessments", "municipality_id")
    op.drop_table("users")
    op.drop_table("municipalities")
