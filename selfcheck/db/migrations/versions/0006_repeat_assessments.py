"""repeat assessments: link to the previous assessment, carried-over answers"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.migrations import ddl

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_assessment_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_assessments_previous_assessment_id"),
            ["previous_assessment_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assessments_previous_assessment_id_assessments"),
            "assessments",
            ["previous_assessment_id"],
            ["id"],
            ondelete="SET NULL",
        )
    ddl.add_flag("answers", "carried_over")


def downgrade() -> None:
    ddl.drop_column("answers", "carried_over")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assessments_previous_assessment_id_assessments"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_assessments_previous_assessment_id"))
        batch_op.drop_column("previous_assessment_id")
