"""live console: results hidden on the projector, log of reopened rounds"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl
from selfcheck.db.migrations.ddl import UTC_DATETIME

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    ddl.add_flag("workshops", "results_hidden")
    op.create_table(
        "round_reopenings",
        ddl.id_column(),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("previously_closed_at", UTC_DATETIME, nullable=True),
        sa.Column("reopened_at", UTC_DATETIME, nullable=False),
        sa.Column("reopened_by", sa.String(length=254), nullable=False),
        ddl.foreign_key("round_reopenings", "round_id", "rounds", ondelete="CASCADE"),
        ddl.primary_key("round_reopenings"),
    )
    ddl.create_indexes("round_reopenings", "round_id")


def downgrade() -> None:
    ddl.drop_indexes_and_table("round_reopenings", "round_id")
    ddl.drop_column("workshops", "results_hidden")
