"""Building blocks for the migrations in versions/: the schema's conventions, said once.

Every table has its constraints and indexes named by `NAMING_CONVENTION` in models.py
(pk_<table>, fk_<table>_<column>_<referred table>, uq_<table>_<columns>, ck_<table>_<name>,
ix_<table>_<column>); a new flag is a NOT NULL boolean that existing rows get as false.
It lives beside versions/, not in it: Alembic takes every file there for a revision.

FROZEN: the migrations depend on this module, they have been applied on installations, and
what a migration does must never change afterwards. So this module may only gain functions;
an existing one keeps its behaviour to the byte, even where a new migration would like it
different (write a new function then). Within `op.create_table`, the constraints after the
primary key come out in the order they are made, and SQLite keeps that statement as the
table's definition: keep their order when rewriting a migration. Check a change here with
tests/db/test_migrations.py and by comparing the schema and the SQL emitted by an upgrade
to head and a downgrade to base, on SQLite and PostgreSQL, before and after.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from selfcheck.db.models import UTCDateTime

# The timestamp type of models.py; the migrations thereby freeze its DDL (DateTime with zone).
UTC_DATETIME = UTCDateTime(timezone=True)


def id_column() -> sa.Column[int]:
    """The integer `id` column; `primary_key(table)` makes it the key."""
    return sa.Column("id", sa.Integer(), nullable=False)


def primary_key(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """The primary key pk_<table>: on `id`, or on the given columns."""
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=op.f(f"pk_{table}"))


def foreign_key(
    table: str, column: str, referred_table: str, *, ondelete: str
) -> sa.ForeignKeyConstraint:
    """`column` refers to `referred_table.id`."""
    return sa.ForeignKeyConstraint(
        [column],
        [f"{referred_table}.id"],
        name=op.f(f"fk_{table}_{column}_{referred_table}"),
        ondelete=ondelete,
    )


def unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def check(table: str, name: str, condition: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def create_indexes(table: str, *columns: str) -> None:
    """One index ix_<table>_<column> per column."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column], unique=False)


def drop_indexes_and_table(table: str, *indexed_columns: str) -> None:
    """Drops the indexes that `create_indexes` made for the columns, then the table."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in indexed_columns:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
    op.drop_table(table)


def add_flag(table: str, column: str) -> None:
    """A NOT NULL boolean column; the rows already there get false."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(column, sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def drop_column(table: str, column: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_column(column)
