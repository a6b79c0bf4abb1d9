"""Alembic environment: leadtime always passes an open connection in ``config.attributes``."""

from alembic import context
from sqlmodel import SQLModel

import leadtime.store.models  # noqa: F401  (declares the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
