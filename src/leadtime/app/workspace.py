"""The Workspace: what every use case works in — paths, settings, the clock, the rules and
the database — loaded on first use, so that ``leadtime --help`` touches none of them.

Reading a property never writes. Bringing the stored classifications up to date with the
rules is an explicit step, :meth:`Workspace.refresh`, that the commands call.
"""

from __future__ import annotations

import os
from functools import cached_property

from leadtime.config import Paths, Settings, current_time, load_settings, resolve_paths

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing on every run
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime
    from pathlib import Path

    from leadtime.entry import Classification, Entry
    from leadtime.reports.workhours import WorkHours
    from leadtime.rules import RuleFile, RuleSet
    from leadtime.rules.learned import Model
    from leadtime.rules.tiers import Tiers
    from leadtime.store import Conn, EntryFilter, FeatureRow, SpanRow, Store

SETTINGS_SNAPSHOT = "settings_snapshot"  # meta key: config.toml's values, see load_settings


class Workspace:
    """One run's view of leadtime's files, settings, clock, rules and database.

    ``db_url``, ``rules_file``, ``now_override`` and ``tz_override`` are the command line's
    choices (``--db``, ``--rules``, ``--now``, ``--tz``); ``environ`` is where
    ``LEADTIME_*`` variables are read (the process environment by default).
    """

    def __init__(
        self,
        db_url: str | None = None,
        rules_file: Path | None = None,
        now_override: str | None = None,
        tz_override: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.db_url = db_url
        self.rules_file = rules_file
        self.now_override = now_override
        self.tz_override = tz_override
        self.environ: Mapping[str, str] = os.environ if environ is None else environ
        self.stale = False  # the stored classifications are old and could not be rewritten
        self._settings_snapshot_current = False
        import sys

        store = sys.modules.get("leadtime.store.db")  # a run before this one used it
        if store is not None:
            store.new_run()

    @cached_property
    def paths(self) -> Paths:
        return resolve_paths(self.environ)

    @cached_property
    def settings(self) -> Settings:
        """config.toml's settings; taken from the database's snapshot of the file while the
        file is unchanged, so that a command does not parse TOML on every run."""
        from leadtime.config import snapshot_is_current

        path = self.paths.config_path
        snapshot = self._stored(SETTINGS_SNAPSHOT)
        current = snapshot is not None and snapshot_is_current(snapshot, path)
        self._settings_snapshot_current = current
        return load_settings(path, snapshot if current else None)

    def _stored(self, key: str) -> bytes | None:
        """A snapshot kept in a local database's metadata, read without opening the store
        (nothing is created, migrated or locked); None when there is none to read."""
        from leadtime.store.schema import sqlite_path_text
        from leadtime.store.sqlite_file import uri_path

        path = sqlite_path_text(self.database_url)
        if path is None or not os.path.isfile(path):
            return None
        import sqlite3

        try:
            raw = sqlite3.connect(f"file:{uri_path(path)}?mode=ro", uri=True)
            try:
                row = raw.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            finally:
                raw.close()
            return bytes.fromhex(row[0]) if row else None
        except (sqlite3.Error, ValueError, TypeError):
            return None

    def _before_write(self, conn: Conn) -> None:
        """Inside each write transaction: keep the settings snapshot current."""
        if "settings" not in self.__dict__ or self._settings_snapshot_current:
            return
        from leadtime.config import settings_snapshot
        from leadtime.store import set_meta

        snapshot = settings_snapshot(self.paths.config_path)
        if snapshot is not None:
            set_meta(conn, SETTINGS_SNAPSHOT, snapshot.hex())
            self._settings_snapshot_current = True

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
    def rule_file(self) -> RuleFile | None:
        """Your rules file, read and validated (None when there is none); a bad one fails
        here (exit 3), before any data is read."""
        if self.rules_file is not None:
            if not self.rules_file.is_file():
                from leadtime.errors import ConfigError

                raise ConfigError(f"{self.rules_file}: no such rules file")
            path = self.rules_file
        elif os.path.isfile(self.paths.rules_path):
            path = self.paths.rules_file
        else:
            return None  # nothing to read: the rules are not even imported
        from leadtime.rules import read_rules_file

        return read_rules_file(path)

    @cached_property
    def rules(self) -> RuleSet:
        """The effective rules: your file's, then the shipped defaults (loaded only now)."""
        from leadtime.rules import default_rules

        return self.rule_file.ruleset() if self.rule_file is not None else default_rules()

    @property
    def learning(self) -> bool:
        """Whether the learned tier is on (the ``learned`` setting)."""
        return self.settings.learned == "on"

    @cached_property
    def model(self) -> Model | None:
        """The learned tier, with your examples from the database (None when it is off or
        not shipped). Loaded on first use: only when a title reaches it."""
        from leadtime.rules.learned import Example, Model
        from leadtime.store.examples import list_examples

        if not self.learning:
            return None
        with self.database.read() as conn:
            mine = [
                Example(e.title, e.category + (f":{e.activity}" if e.activity else ""))
                for e in list_examples(conn)
            ]
        try:
            return Model.load(mine)
        except (OSError, ValueError, EOFError, KeyError):
            return None

    @cached_property
    def tiers(self) -> Tiers:
        """The rules, then the learned tier (when it is on)."""
        from leadtime.rules.tiers import Tiers

        return Tiers(self.rules, (lambda: self.model) if self.learning else None)

    @cached_property
    def database(self) -> Store:
        """The open database (created or upgraded as needed). Opening it classifies nothing.

        A bad config file fails before the database is touched; a bad rules file fails
        before anything is classified or written (:meth:`refresh`, :meth:`classify`)."""
        from leadtime.store import Store

        self.settings  # noqa: B018
        self.rule_file  # noqa: B018
        store = Store.open(self.database_url)
        store.on_write = self._before_write
        return store

    # ------------------------------------------------------------------ classification

    @property
    def classification_zone(self) -> str:
        """The zone weekday conditions are judged in: the ``timezone`` setting (never ``--tz``,
        so that one run's display zone does not re-classify the stored entries)."""
        return self.settings.timezone

    @cached_property
    def fingerprint(self) -> str:
        """What the stored classifications must have been made with: the rules, the zone,
        and the learned tier (its model and your examples) when it is on. Cheap: it reads
        neither the shipped rules nor the model."""
        from leadtime.rules.digest import rules_fingerprint

        text = f"{rules_fingerprint(self.rule_file)}@{self.classification_zone}"
        if self.learning:
            from leadtime.rules.digest import model_id
            from leadtime.store.examples import examples_version

            with self.database.read() as conn:
                version = examples_version(conn)
            text += f"+learned:{model_id()}:{version}"
        return text

    def refresh(self, *, force: bool = False) -> int | None:
        """Re-classify the stored entries when the rules changed since they were classified.

        Returns how many entries changed category or activity, or None when nothing had to
        be done. ``force`` re-runs the rules even if the fingerprint matches. A database
        that cannot be written (a read-only home, a full disk) is left as it is, and what
        is read from it is classified in memory instead (:attr:`stale`).
        """
        from leadtime.store import RULES_FINGERPRINT, get_meta, reclassify

        wanted = self.fingerprint  # a bad rules file fails here, before the database is opened
        database = self.database
        if not force:
            with database.read() as conn:  # the common case: nothing to do, no write lock
                if get_meta(conn, RULES_FINGERPRINT) == wanted:
                    return None
        if database.read_only:
            self.stale = True
            return None
        with database.write(upkeep=True) as conn:
            return reclassify(
                conn, wanted, self.classify_rows, fields=self.tiers.fields, force=force
            )

    def classify(self, entry: Entry) -> Entry:
        """Apply the rules to an entry unless the user chose its category."""
        from leadtime.rules import features_of

        if entry.classification.manual:
            return entry
        decided = self.tiers.classify(features_of(entry, self.classification_zone))
        return entry.with_classification(decided)

    def classify_many(self, entries: list[Entry]) -> list[Entry]:
        """:meth:`classify` for many entries at once (the rules' memo makes it cheap)."""
        from leadtime.rules import features_of

        tz = self.classification_zone
        decisions = self.tiers.classify_many([features_of(e, tz) for e in entries])
        return [
            e if e.classification.manual else e.with_classification(c)
            for e, c in zip(entries, decisions, strict=True)
        ]

    def classify_rows(self, rows: Sequence[FeatureRow]) -> list[Classification]:
        """Classifications of stored rows, in order (see ``store.reclassify``)."""
        return self.tiers.classify_rows(rows, self.classification_zone)

    # ------------------------------------------------------------------ reading

    def entries(self, where: EntryFilter) -> list[Entry]:
        """The entries ``where`` selects, classified by the current rules."""
        from leadtime.store import list_entries

        with self.database.read() as conn:
            found = list_entries(conn, where)
        return self.classify_many(found) if self.stale else found

    def category_spans(self, where: EntryFilter) -> list[tuple[int, int, int]]:
        """The report's input when it prints hours per category only: ``(start, end,
        code)`` of the counted entries (see ``store.category_spans``), classified by the
        current rules."""
        from leadtime.entry import DIRECT_ORIGINS
        from leadtime.reports.numbers import CATEGORIES
        from leadtime.store import category_spans

        self.refresh()
        if not self.stale:
            with self.database.read() as conn:
                return category_spans(conn, where, CATEGORIES, DIRECT_ORIGINS)
        return [
            (start, end, 2 * CATEGORIES.index(category) + (origin in DIRECT_ORIGINS))
            for start, end, origin, category, _, _ in self.spans(where)
        ]

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
