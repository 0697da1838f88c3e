"""vote and participant tallies kept after purging single votes

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vote_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_item_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_item_id"],
            ["round_items.id"],
            name=op.f("fk_vote_tallies_round_item_id_round_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vote_tallies")),
        sa.UniqueConstraint(
            "round_item_id",
            "stakeholder_group",
            "value",
            name=op.f("uq_vote_tallies_round_item_id_stakeholder_group_value"),
        ),
    )
    op.create_table(
        "participant_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=30), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
            name=op.f("fk_participant_tallies_workshop_id_workshops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_tallies")),
        sa.UniqueConstraint(
            "workshop_id",
            "stakeholder_group",
            name=op.f("uq_participant_tallies_workshop_id_stakeholder_group"),
        ),
    )


def downgrade() -> None:
    op.drop_table("participant_tallies")
    op.drop_table("vote_tallies")
