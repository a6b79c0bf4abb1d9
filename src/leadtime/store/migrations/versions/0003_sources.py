"""Sources of every kind: a calendar row gains its kind and its sync state, and the raw
objects of a source (CalDAV: href, etag and data) get a table of their own.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("calendars") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(16), nullable=False, server_default=sa.text("'ics'"))
        )
        batch.add_column(
            sa.Column("state", sa.Text, nullable=False, server_default=sa.text("'{}'"))
        )
    op.create_table(
        "source_objects",
        sa.Column("calendar", sa.String, primary_key=True),
        sa.Column("href", sa.String, primary_key=True),
        sa.Column("etag", sa.String, nullable=True),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_objects")
    with op.batch_alter_table("calendars") as batch:
        batch.drop_column("state")
        batch.drop_column("kind")
