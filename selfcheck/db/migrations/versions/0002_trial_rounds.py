"""trial rounds and workshops; the round chosen per field"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    ddl.add_flag("workshops", "trial")
    ddl.add_flag("rounds", "trial")
    op.create_table(
        "field_round_choices",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.String(length=50), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        ddl.foreign_key("field_round_choices", "assessment_id", "assessments", ondelete="CASCADE"),
        ddl.foreign_key("field_round_choices", "round_id", "rounds", ondelete="CASCADE"),
        ddl.primary_key("field_round_choices", "assessment_id", "field_id"),
    )
    ddl.create_indexes("field_round_choices", "round_id")


def downgrade() -> None:
    ddl.drop_indexes_and_table("field_round_choices", "round_id")
    ddl.drop_column("rounds", "trial")
    ddl.drop_column("workshops", "trial")
