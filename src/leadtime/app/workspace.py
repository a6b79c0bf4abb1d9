"""The Workspace: what every use case works in — paths, settings, the clock, the rules and
the database — loaded on first use, so that ``leadtime --help`` touches none of them.

Reading a property never writes. Bringing the stored classifications up to date with the
rules is an explicit step, :meth:`Workspace.refresh`, that the commands call.
"""

from __future__ import annotations

import os
import sys
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
    from leadtime.store import EntryFilter, FeatureRow, SpanRow, Store


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
    stale: bool = False  # the stored classifications are old and could not be rewritten

    def __post_init__(self) -> None:
        store = sys.modules.get("leadtime.store.db")  # a run before this one used it
        if store is not None:
            store.new_run()

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
        """The database's URL; its password is masked in every message of this run."""
        from leadtime.secrets import remember

        url = self.db_url or self.environ.get("LEADTIME_DATABASE_URL") or self.paths.database_url
        remember(url)
        return url

    @property
    def own_files(self) -> list[Path]:
        """The files that are leadtime's (the database, config.toml, the rules files, the
        one ``--rules`` names too): an output the user names never replaces one of them."""
        from leadtime.store.schema import sqlite_path

        own = [self.paths.database, self.paths.config_file, self.paths.rules_file]
        if self.rules_file is not None:
            own.append(self.rules_file)
        database = sqlite_path(self.database_url)
        if database is not None:
            own.append(database)
        return own

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
    def database(self) -> Store:
        """The open database (created or upgraded as needed). Opening it classifies nothing."""
        from leadtime.store import Store

        # A bad config or rules file fails before the database is touched.
        self.settings  # noqa: B018
        self.rules  # noqa: B018
        return Store.open(self.database_url)

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
        be done. ``force`` re-runs the rules even if the fingerprint matches. A database
        that cannot be written (a read-only home, a full disk) is left as it is, and what
        is read from it is classified in memory instead (:attr:`stale`).
        """
        from leadtime.store import RULES_FINGERPRINT, get_meta, reclassify

        database = self.database
        if not force:
            with database.read() as conn:  # the common case: nothing to do, no write lock
                if get_meta(conn, RULES_FINGERPRINT) == self.fingerprint:
                    return None
        if database.read_only:
            self.stale = True
            return None
        with database.write(upkeep=True) as conn:
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
        """Classifications of stored rows, in order (see ``store.reclassify``)."""
        from leadtime.rules import features_of_rows

        return self.rules.classify_many(features_of_rows(rows, self.classification_zone))

    # ------------------------------------------------------------------ reading

    def entries(self, where: EntryFilter) -> list[Entry]:
        """The entries ``where`` selects, classified by the current rules."""
        from leadtime.store import list_entries

        with self.database.read() as conn:
            found = list_entries(conn, where)
        return self.classify_many(found) if self.stale else found

    def spans(self, where: EntryFilter) -> list[SpanRow]:
        """The report's input: (start, end, origin, category, activity, tags) of the counted
        entries, classified by the current rules."""
        from leadtime.store import SpanRow, span_rows, to_ts

        self.refresh()
        if not self.stale:
            with self.database.read() as conn:
                return span_rows(conn, where)
        return [
            SpanRow(
                to_ts(e.start), to_ts(e.end), e.origin.value, e.classification.category.value,
                e.classification.activity, ",".join(e.tags),
            )
            for e in self.entries(where)
        ]  # fmt: skip
