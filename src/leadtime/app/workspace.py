"""The Workspace: what every use case works in — paths, settings, the clock, the rules and
the database — loaded on first use, so that ``leadtime --help`` touches none of them.

Reading a property never writes. Bringing the stored classifications up to date with the
rules is an explicit step, :meth:`Workspace.refresh`, that the commands call.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.config import Paths, Settings, current_time, load_settings, resolve_paths
from leadtime.errors import ConfigError

if TYPE_CHECKING:
    from leadtime.entry import Classification, Entry
    from leadtime.reports.workhours import WorkHours
    from leadtime.rules import RuleSet
    from leadtime.store.db import Database
    from leadtime.store.queries import FeatureRow
    from leadtime.store.reader import SpanRow
    from leadtime.store.schema import EntryFilter


@dataclass
class Workspace:
    """One run's view of leadtime's files, settings, clock, rules and database.

    ``db_url``, ``rules_file``, ``now_override`` and ``tz_override`` are the command line's
    choices (``--db``, ``--rules``, ``--now``, ``--tz``); ``environ`` is where
    ``LEADTIME_*`` variables are read (the process environment by default).
    """

    db_url: str | None = None
    rules_file: Path | None = None
    now_override: str | None = None
    tz_override: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)

    @cached_property
    def paths(self) -> Paths:
        return resolve_paths(self.environ)

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.paths.config_file)

    @property
    def tz(self) -> str:
        """The report zone: ``--tz`` for this run, else the ``timezone`` setting."""
        return self.tz_override or self.settings.timezone

    @cached_property
    def now(self) -> datetime:
        return current_time(self.now_override or self.environ.get("LEADTIME_NOW"), self.tz)

    @cached_property
    def work_hours(self) -> WorkHours:
        """When the user works (the ``work_hours`` setting), for coverage and capacity."""
        from leadtime.reports.workhours import WorkHours

        return WorkHours.parse(self.settings.work_hours)

    @cached_property
    def database_url(self) -> str:
        return self.db_url or self.environ.get("LEADTIME_DATABASE_URL") or self.paths.database_url

    @cached_property
    def rules(self) -> RuleSet:
        """The effective rules; a bad rules file fails here (exit 3), before any data is read."""
        from leadtime.rules import load_rules

        if self.rules_file is not None:
            if not self.rules_file.is_file():
                raise ConfigError(f"{self.rules_file}: no such rules file")
            return load_rules(self.rules_file)
        user_file = self.paths.rules_file
        return load_rules(user_file if user_file.is_file() else None)

    @cached_property
    def database(self) -> Database:
        """The open database (created or upgraded as needed). Opening it classifies nothing."""
        from leadtime.store.db import Database

        # A bad config or rules file fails before the database is touched.
        self.settings  # noqa: B018
        self.rules  # noqa: B018
        return Database.open(self.database_url)

    # ------------------------------------------------------------------ classification

    @property
    def classification_zone(self) -> str:
        """The zone weekday conditions are judged in: the ``timezone`` setting (never ``--tz``,
        so that one run's display zone does not re-classify the stored entries)."""
        return self.settings.timezone

    @cached_property
    def fingerprint(self) -> str:
        """What the stored classifications must have been made with: the rules and the zone."""
        return f"{self.rules.fingerprint}@{self.classification_zone}"

    def refresh(self, *, force: bool = False) -> int | None:
        """Re-classify the stored entries when the rules changed since they were classified.

        Returns how many entries changed category or activity, or None when nothing had to
        be done. ``force`` re-runs the rules even if the fingerprint matches.
        """
        from leadtime.store.queries import get_meta, reclassify
        from leadtime.store.schema import RULES_FINGERPRINT

        database = self.database
        if not force:
            with database.read() as conn:  # the common case: nothing to do, no write lock
                if get_meta(conn, RULES_FINGERPRINT) == self.fingerprint:
                    return None
        with database.write() as conn:
            return reclassify(conn, self.fingerprint, self.classify_rows, force=force)

    def classify(self, entry: Entry) -> Entry:
        """Apply the rules to an entry unless the user chose its category."""
        from leadtime.rules import features_of

        if entry.classification.manual:
            return entry
        decided = self.rules.classify(features_of(entry, self.classification_zone))
        return entry.with_classification(decided)

    def classify_many(self, entries: list[Entry]) -> list[Entry]:
        """:meth:`classify` for many entries at once (the rules' memo makes it cheap)."""
        from leadtime.rules import features_of

        tz = self.classification_zone
        decisions = self.rules.classify_many(features_of(e, tz) for e in entries)
        return [
            e if e.classification.manual else e.with_classification(c)
            for e, c in zip(entries, decisions, strict=True)
        ]

    def classify_rows(self, rows: list[FeatureRow]) -> list[Classification]:
        """Classifications of stored rows, in order (see ``store.queries.reclassify``)."""
        from leadtime.rules import features_of_rows

        return self.rules.classify_many(features_of_rows(rows, self.classification_zone))

    # ------------------------------------------------------------------ reading

    def spans(self, where: EntryFilter) -> list[SpanRow]:
        """The report's input: from a current local SQLite file directly, else via the store."""
        from leadtime.store.reader import read_spans

        rows = read_spans(self.database_url, where, self.fingerprint)
        if rows is None:
            from leadtime.store.queries import span_rows

            self.refresh()
            with self.database.read() as conn:
                rows = span_rows(conn, where)
        return rows
