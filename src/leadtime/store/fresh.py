"""The schema of a new SQLite database at the newest revision, made in one transaction.

The migrations (``store/migrations``, run through Alembic) upgrade an existing database; a
new, empty file gets the schema they end in directly, without importing SQLAlchemy or
Alembic: a first command takes about 0.2 s instead of more than one.
``tests/test_store_fresh.py`` checks that both ways give the same database, statement for
statement; a new migration changes both.
"""

from __future__ import annotations

from leadtime.store.schema import HEAD

# The statements as Alembic leaves them in sqlite_master.
SCHEMA = (
    (
        "CREATE TABLE alembic_version (\n"
        "\tversion_num VARCHAR(32) NOT NULL, \n"
        "\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
        ")"
    ),
    (
        "CREATE TABLE timer (\n"
        "\tid INTEGER NOT NULL, \n"
        "\ttitle VARCHAR NOT NULL, \n"
        "\tstart_ts BIGINT NOT NULL, \n"
        "\ttags VARCHAR NOT NULL, \n"
        "\tnote VARCHAR NOT NULL, \n"
        "\tcategory VARCHAR, \n"
        "\tactivity VARCHAR, \n"
        "\tPRIMARY KEY (id)\n"
        ")"
    ),
    (
        "CREATE TABLE meta (\n"
        '\t"key" VARCHAR(64) NOT NULL, \n'
        "\tvalue VARCHAR NOT NULL, \n"
        '\tPRIMARY KEY ("key")\n'
        ")"
    ),
    (
        'CREATE TABLE "calendars" (\n'
        "\tname VARCHAR NOT NULL, \n"
        "\tsource VARCHAR NOT NULL, \n"
        "\tlast_import_ts BIGINT, \n"
        "\tevents INTEGER NOT NULL, \n"
        "\tinstances INTEGER NOT NULL, \n"
        "\texcluded INTEGER NOT NULL, \n"
        "\tkind VARCHAR(16) DEFAULT 'ics' NOT NULL, \n"
        "\tstate TEXT DEFAULT '{}' NOT NULL, \n"
        "\tPRIMARY KEY (name)\n"
        ")"
    ),
    (
        "CREATE TABLE source_objects (\n"
        "\tcalendar VARCHAR NOT NULL, \n"
        "\thref VARCHAR NOT NULL, \n"
        "\tetag VARCHAR, \n"
        "\tdata BLOB NOT NULL, \n"
        "\tPRIMARY KEY (calendar, href)\n"
        ")"
    ),
    (
        "CREATE TABLE examples (\n"
        "\ttitle TEXT NOT NULL, \n"
        "\tcategory VARCHAR(16) NOT NULL, \n"
        "\tactivity TEXT, \n"
        "\tcreated_ts BIGINT NOT NULL, \n"
        "\tPRIMARY KEY (title)\n"
        ")"
    ),
    (
        'CREATE TABLE "entries" (\n'
        "\tid VARCHAR(16) NOT NULL, \n"
        "\tstart_ts BIGINT NOT NULL, \n"
        "\tend_ts BIGINT NOT NULL, \n"
        "\ttitle VARCHAR NOT NULL, \n"
        "\tnote VARCHAR NOT NULL, \n"
        "\tlocation VARCHAR NOT NULL, \n"
        "\ttags VARCHAR NOT NULL, \n"
        "\torigin VARCHAR(16) NOT NULL, \n"
        "\tcalendar VARCHAR, \n"
        "\tuid VARCHAR, \n"
        "\trecurrence_id VARCHAR, \n"
        "\torganizer VARCHAR, \n"
        "\tattendees INTEGER NOT NULL, \n"
        "\texcluded VARCHAR(16), \n"
        "\tcategory VARCHAR(16) NOT NULL, \n"
        "\tactivity VARCHAR, \n"
        "\tdecided_by VARCHAR, \n"
        "\tcreated_ts BIGINT NOT NULL, \n"
        "\tupdated_ts BIGINT NOT NULL, \n"
        "\tPRIMARY KEY (id), \n"
        "\tCONSTRAINT uq_entries_source_key UNIQUE (calendar, uid, recurrence_id)\n"
        ")"
    ),
    "CREATE INDEX ix_entries_start_ts ON entries (start_ts)",
    "CREATE INDEX ix_entries_end_ts ON entries (end_ts)",
)
REVISION = ("INSERT INTO alembic_version (version_num) VALUES (:head)", {"head": HEAD})
