"""The team view: weekly aggregates of a group of leads on a PostgreSQL database, private
by the database's own rules rather than the client's good behaviour.

The schema ``leadtime_team`` has its own Alembic migrations (:mod:`.migrations`, the
version table inside the schema), apart from a personal leadtime database's. Each member
is a PostgreSQL login role in the group ``leadtime_member``; row-level security on
``current_user`` lets a role select, insert, update and delete only its own rows; the
team's numbers come only from ``leadtime_team.report()``, a SECURITY DEFINER function owned
by a role no member can become, with a pinned search_path, which gives no number for a
week with fewer publishers than the minimum group (5 by default, never below 3), and leaves
out any category or activity that fewer leads than that have time on. The medians and
percentiles are computed there, in SQL.

The package reads top to bottom: :mod:`.schema` (names, revisions, limits),
:mod:`.address` (the team address and its password), :mod:`.db` (signing in, the schema
check, errors as one masked line), :mod:`.records` (what the commands return),
:mod:`.member` (publish, report, leave) and :mod:`.owner` (init, add, remove). Importing
the package, :mod:`.address` or :mod:`.schema` loads no database driver.
"""
