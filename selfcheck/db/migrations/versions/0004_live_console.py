"""live console: results hidden on the projector, log of reopened rounds

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import selfcheck.db.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("results_hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "round_reopenings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column(
            "previously_closed_at", selfcheck.db.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("reopened_at", selfcheck.db.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reopened_by", sa.String(length=254), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_round_reopenings_round_id_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_round_reopenings")),
    )
    with op.batch_alter_table("round_reopenings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_round_reopenings_round_id"), ["round_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("round_reopenings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_round_reopenings_round_id"))
    op.drop_table("round_reopenings")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("results_hidden")
