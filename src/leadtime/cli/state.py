"""What every command shares: paths, settings, the clock, the database and the rules.

Each piece is loaded on first use, so ``leadtime --help`` touches none of them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from leadtime.config import Paths, Settings, current_time, load_settings, resolve_paths

if TYPE_CHECKING:
    from leadtime.entry import Classification, Entry
    from leadtime.rules import RuleSet
    from leadtime.store.db import Store
    from leadtime.store.schema import EntryFilter, FeatureRow


@dataclass
class State:
    db_url: str | None = None
    rules_file: Path | None = None
    now_override: str | None = None
    debug: bool = False
    tz_override: str | None = None
    notes: list[str] = field(default_factory=list)

    @cached_property
    def paths(self) -> Paths:
        return resolve_paths()

    @cached_property
    def settings(self) -> Settings:
        return load_settings(self.paths.config_file)

    @property
    def tz(self) -> str:
        return self.tz_override or self.settings.timezone

    @cached_property
    def now(self) -> datetime:
        return current_time(self.now_override, self.settings.timezone)

    @cached_property
    def database_url(self) -> str:
        return self.db_url or os.environ.get("LEADTIME_DATABASE_URL") or self.paths.database_url

    @cached_property
    def database(self) -> Store:
        """The open database, with classifications brought up to date with the rules."""
        from leadtime.store.db import Store

        rules = self.rules  # a bad rules file fails before anything is opened or written
        database = Store.open(self.database_url)
        self.refresh_classifications(database, rules)
        return database

    @cached_property
    def rules(self) -> RuleSet:
        from leadtime.rules import load_rules

        user_file = self.rules_file or self.paths.rules_file
        if self.rules_file is not None and not self.rules_file.is_file():
            from leadtime.errors import ConfigError

            raise ConfigError(f"{self.rules_file}: no such rules file")
        return load_rules(user_file if user_file.is_file() else None)

    def refresh_classifications(
        self, database: Store, rules: RuleSet, *, force: bool = False
    ) -> int | None:
        from leadtime.store.queries import get_meta, reclassify
        from leadtime.store.schema import RULES_FINGERPRINT

        if not force:
            with database.read() as conn:  # the common case: nothing to do, no write lock
                if get_meta(conn, RULES_FINGERPRINT) == rules.fingerprint:
                    return None
        with database.write() as conn:
            changed = reclassify(conn, rules.fingerprint, self.classify_rows, force=force)
        if changed:
            self.note(f"the rules changed: {changed} entries re-classified")
        return changed

    def spans(self, where: EntryFilter) -> list[tuple[int, int, str, str, str | None]]:
        """The report's input (without the tags, which the weekly split does not read)."""
        from leadtime.store.entries import span_rows

        with self.database.read() as conn:
            return [row[:5] for row in span_rows(conn, where)]

    def classify(self, entry: Entry) -> Entry:
        """Apply the rules to a new entry unless the user chose its category."""
        from leadtime.rules import features_of

        if entry.classification.manual:
            return entry
        return entry.with_classification(self.rules.classify(features_of(entry, self.tz)))

    def classify_rows(self, rows: list[FeatureRow]) -> list[Classification]:
        from leadtime.rules import Features

        weekday = local_weekday(self.settings.timezone)
        features = (
            Features(
                title, note, location, tuple(t for t in tags.split(",") if t), calendar, origin,
                organizer, attendees, (end - start) / 60, weekday(start),
            )
            for (_id, title, note, location, tags, calendar, origin, organizer, attendees,
                 start, end) in rows
        )  # fmt: skip
        return self.rules.classify_many(features)

    def note(self, message: str) -> None:
        """A line for the user on stderr that is neither an error nor the command's output."""
        print(f"note: {message}", file=sys.stderr)


def local_weekday(tz: str):  # type: ignore[no-untyped-def]
    """A fast ``epoch seconds -> weekday (0 = Monday)`` in ``tz``.

    Every zone's offset is a multiple of 15 minutes, so the local weekday is constant
    within each 15-minute UTC bucket; one conversion per bucket serves all entries in it.
    """
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz)
    cache: dict[int, int] = {}

    def weekday(seconds: int) -> int:
        bucket = seconds // 900
        day = cache.get(bucket)
        if day is None:
            day = cache[bucket] = datetime.fromtimestamp(bucket * 900, zone).weekday()
        return day

    return weekday
