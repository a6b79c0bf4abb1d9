"""Your manual classifications as labelled examples that the learned tier learns from.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "examples",
        sa.Column("title", sa.Text, primary_key=True),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("activity", sa.Text, nullable=True),
        sa.Column("created_ts", sa.BigInteger, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("examples")
