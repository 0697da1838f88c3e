"""trial rounds and workshops; the round chosen per field

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops") as batch:
        batch.add_column(sa.Column("trial", sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("trial", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "field_round_choices",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.String(length=50), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_field_round_choices_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_field_round_choices_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("assessment_id", "field_id", name=op.f("pk_field_round_choices")),
    )
    op.create_index(
        op.f("ix_field_round_choices_round_id"), "field_round_choices", ["round_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_field_round_choices_round_id"), table_name="field_round_choices")
    op.drop_table("field_round_choices")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("trial")
    with op.batch_alter_table("workshops") as batch:
        batch.drop_column("trial")
