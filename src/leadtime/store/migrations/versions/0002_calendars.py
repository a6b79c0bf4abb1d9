"""Remembered calendar sources, so that a bare ``leadtime import`` refreshes them all.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("source", sa.String, nullable=False),
        sa.Column("last_import_ts", sa.BigInteger, nullable=True),
        sa.Column("events", sa.Integer, nullable=False),
        sa.Column("instances", sa.Integer, nullable=False),
        sa.Column("excluded", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("calendars")
