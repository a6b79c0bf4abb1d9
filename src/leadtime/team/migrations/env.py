"""Alembic environment of the team schema: leadtime passes an open connection in
``config.attributes``; the version table lives inside the ``leadtime_team`` schema, apart
from any personal leadtime database in the same PostgreSQL database."""

from alembic import context

from leadtime.team.schema import SCHEMA, VERSION_TABLE

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,
    version_table=VERSION_TABLE,
    version_table_schema=SCHEMA,
)
with context.begin_transaction():
    context.run_migrations()
