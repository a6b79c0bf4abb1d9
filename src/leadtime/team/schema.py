"""What the team database and this program agree on, importable without a driver: the
schema's name, the members' group role, the revisions this program knows, and the limits
of the minimum group."""

from __future__ import annotations

SCHEMA = "leadtime_team"
MEMBER_ROLE = "leadtime_member"
VERSION_TABLE = "alembic_version"  # Alembic's, inside SCHEMA

# Every revision of the team schema this program knows, oldest first; the last one is what
# ``team init`` creates and what every other team command requires.
REVISIONS = ("team_0001",)
HEAD = REVISIONS[-1]

MIN_GROUP_DEFAULT = 5  # as workplace analytics do (Microsoft Viva Insights: at least 5)
MIN_GROUP_FLOOR = 3  # never fewer, whatever the owner sets: the database refuses it
MIN_GROUP_CEILING = 1000

# A transaction-scoped advisory lock that serialises ``team init`` runs on one database.
INIT_LOCK = int.from_bytes(b"ltteam", "big")
# The transaction-scoped advisory lock every change of published rows takes first (publish,
# leave, remove), so that the activity totals the database keeps are updated one writer at
# a time; the publish function holds the same number.
PUBLISH_LOCK = int.from_bytes(b"ltpublsh", "big") >> 1
