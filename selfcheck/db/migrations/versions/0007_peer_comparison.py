"""peer comparison: a municipality's report may show its place among the others"""

from __future__ import annotations

from selfcheck.db.migrations import ddl

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    ddl.add_flag("assessments", "peer_comparison_in_report")


def downgrade() -> None:
    ddl.drop_column("assessments", "peer_comparison_in_report")
