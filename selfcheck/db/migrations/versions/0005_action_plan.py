"""action plan: measures with their status history, staff allowed to update measures

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import selfcheck.db.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

UTC_DATETIME = selfcheck.db.models.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("staff_invitations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "may_update_measures", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    op.create_table(
        "measures",
        sa.Column("id", sa.Integer(), nullable=False),
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
        sa.CheckConstraint(
            "priority IN ('high', 'medium', 'low')", name=op.f("ck_measures_priority")
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'in_progress', 'done', 'deferred', 'dropped')",
            name=op.f("ck_measures_status"),
        ),
        sa.CheckConstraint(
            "source IN ('workshop_note', 'next_step', 'free')", name=op.f("ck_measures_source")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_measures_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_note_id"],
            ["workshop_notes.id"],
            name=op.f("fk_measures_source_note_id_workshop_notes"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["measures.id"],
            name=op.f("fk_measures_carried_from_id_measures"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
    )
    with op.batch_alter_table("measures", schema=None) as batch_op:
        for column in ("assessment_id", "source_note_id", "carried_from_id"):
            batch_op.create_index(batch_op.f(f"ix_measures_{column}"), [column], unique=False)
    op.create_table(
        "measure_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("old_status", sa.String(length=20), nullable=True),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("changed_at", UTC_DATETIME, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_status_changes_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_status_changes")),
    )
    with op.batch_alter_table("measure_status_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_measure_status_changes_measure_id"), ["measure_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("measure_status_changes")
    op.drop_table("measures")
    with op.batch_alter_table("staff_invitations", schema=None) as batch_op:
        batch_op.drop_column("may_update_measures")
