"""Baseline: entries, the running timer and key/value metadata.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entries",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("start_ts", sa.BigInteger, nullable=False),
        sa.Column("end_ts", sa.BigInteger, nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("location", sa.String, nullable=False),
        sa.Column("tags", sa.String, nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("calendar", sa.String, nullable=True),
        sa.Column("uid", sa.String, nullable=True),
        sa.Column("recurrence_id", sa.String, nullable=True),
        sa.Column("organizer", sa.String, nullable=True),
        sa.Column("attendees", sa.Integer, nullable=False),
        sa.Column("excluded", sa.String(16), nullable=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("activity", sa.String, nullable=True),
        sa.Column("decided_by", sa.String, nullable=True),
        sa.Column("created_ts", sa.BigInteger, nullable=False),
        sa.Column("updated_ts", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("calendar", "uid", "recurrence_id", name="uq_entries_source_key"),
    )
    op.create_index("ix_entries_start_ts", "entries", ["start_ts"])
    op.create_index("ix_entries_end_ts", "entries", ["end_ts"])
    op.create_table(
        "timer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("start_ts", sa.BigInteger, nullable=False),
        sa.Column("tags", sa.String, nullable=False),
        sa.Column("note", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=True),
        sa.Column("activity", sa.String, nullable=True),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("meta")
    op.drop_table("timer")
    op.drop_index("ix_entries_end_ts", table_name="entries")
    op.drop_index("ix_entries_start_ts", table_name="entries")
    op.drop_table("entries")
