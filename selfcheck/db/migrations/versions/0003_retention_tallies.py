"""vote and participant tallies kept after purging single votes"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "vote_tallies",
        ddl.id_column(),
        sa.Column("round_item_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=30), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        ddl.foreign_key("vote_tallies", "round_item_id", "round_items", ondelete="CASCADE"),
        ddl.primary_key("vote_tallies"),
        ddl.unique("vote_tallies", "round_item_id", "stakeholder_group", "value"),
    )
    op.create_table(
        "participant_tallies",
        ddl.id_column(),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_group", sa.String(length=30), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        ddl.foreign_key("participant_tallies", "workshop_id", "workshops", ondelete="CASCADE"),
        ddl.primary_key("participant_tallies"),
        ddl.unique("participant_tallies", "workshop_id", "stakeholder_group"),
    )


def downgrade() -> None:
    op.drop_table("participant_tallies")
    op.drop_table("vote_tallies")
