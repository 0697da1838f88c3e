"""action plan: measures with their status history, staff allowed to update measures"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl
from selfcheck.db.migrations.ddl import UTC_DATETIME

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    ddl.add_flag("staff_invitations", "may_update_measures")
    op.create_table(
        "measures",
        ddl.id_column(),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.String(length=50), nullable=False),
        sa.Column("question_ids", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("priority", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_note_id", sa.Integer(), nullable=True),
        sa.Column("source_question_id", sa.String(length=50), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        ddl.check("measures", "priority", "priority IN ('high', 'medium', 'low')"),
        ddl.check(
            "measures",
            "status",
            "status IN ('planned', 'in_progress', 'done', 'deferred', 'dropped')",
        ),
        ddl.check("measures", "source", "source IN ('workshop_note', 'next_step', 'free')"),
        ddl.foreign_key("measures", "assessment_id", "assessments", ondelete="CASCADE"),
        ddl.foreign_key("measures", "source_note_id", "workshop_notes", ondelete="SET NULL"),
        ddl.foreign_key("measures", "carried_from_id", "measures", ondelete="SET NULL"),
        ddl.primary_key("measures"),
    )
    ddl.create_indexes("measures", "assessment_id", "source_note_id", "carried_from_id")
    op.create_table(
        "measure_status_changes",
        ddl.id_column(),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        ddl.foreign_key("measure_status_changes", "measure_id", "measures", ondelete="CASCADE"),
        ddl.primary_key("measure_status_changes"),
    )
    ddl.create_indexes("measure_status_changes", "measure_id")


def downgrade() -> None:
    op.drop_table("measure_status_changes")
    op.drop_table("measures")
    ddl.drop_column("staff_invitations", "may_update_measures")
