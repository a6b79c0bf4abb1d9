"""An entry's origin holds every source's name: ``timewarrior`` did not fit VARCHAR(8), so
its entries could not be stored on PostgreSQL (SQLite does not enforce the length).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.alter_column(
            "origin", existing_type=sa.String(8), type_=sa.String(16), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("entries") as batch:
        batch.alter_column(
            "origin", existing_type=sa.String(16), type_=sa.String(8), existing_nullable=False
        )
