"""Rules and rule sets: first-match classification of :class:`Features`, and explanations.

Nothing here reads files, the database or the clock. :mod:`leadtime.rules.schema` turns a
``rules.toml`` into the objects defined here; the store feeds :class:`Features` in (see
:func:`features_of` and :func:`features_of_rows`) and gets
:class:`~leadtime.entry.Classification` values back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from leadtime.clock import zone
from leadtime.entry import UNCLASSIFIED, Category, Classification, Entry
from leadtime.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

from leadtime.record import field, record, replace
from leadtime.rules.conditions import ChoiceCondition, Condition
from leadtime.rules.digest import ENGINE_VERSION

_CACHE_LIMIT = 200_000  # memoised decisions kept per rule set before the memo starts over
_BUCKET = 900  # seconds: every UTC offset is a multiple of 15 minutes


class Features(NamedTuple):
    """What the engine may look at in an entry. Built by the store from stored rows."""

    title: str
    note: str
    location: str
    tags: tuple[str, ...]
    calendar: str | None
    origin: str  # an Origin value: "log", "timer", "ics", "git", "watson", "timewarrior"
    organizer: str | None
    attendees: int
    minutes: float
    weekday: int  # 0 = Monday, in the user's time zone


_FIELD_INDEX = {name: i for i, name in enumerate(Features._fields)}

FeatureRow = tuple[Any, ...]
"""A stored row: (id, title, note, location, tags_csv, calendar, origin, organizer,
attendees, start_ts, end_ts), the times in epoch seconds."""


def _zone(name: str) -> ZoneInfo:
    """The report zone (a setting: an unknown one is the configuration's fault)."""
    try:
        return zone(name)
    except UsageError as exc:
        raise ConfigError(exc.message, hint=exc.hint) from None


def features_of(entry: Entry, tz: str) -> Features:
    """Features of ``entry``; the weekday is that of its start in the time zone ``tz``."""
    weekday = entry.start.astimezone(_zone(tz)).weekday()
    return Features(
        title=entry.title,
        note=entry.note,
        location=entry.location,
        tags=entry.tags,
        calendar=entry.calendar,
        origin=str(entry.origin),
        organizer=entry.organizer,
        attendees=entry.attendees,
        minutes=entry.minutes,
        weekday=weekday,
    )


def local_weekday(tz: str) -> Callable[[float], int]:
    """A fast ``epoch seconds -> weekday (0 = Monday)`` in the time zone ``tz``.

    The local weekday is constant within each 15-minute UTC bucket (every zone's offset is
    a multiple of 15 minutes), so one conversion per bucket serves all entries in it.
    """
    zone = _zone(tz)
    days: dict[int, int] = {}

    def weekday(seconds: float) -> int:
        bucket = int(seconds // _BUCKET)
        day = days.get(bucket)
        if day is None:
            day = days[bucket] = datetime.fromtimestamp(bucket * _BUCKET, zone).weekday()
        return day

    return weekday


def features_of_rows(rows: Iterable[FeatureRow], tz: str) -> Iterator[Features]:
    """Features of stored rows (see :data:`FeatureRow`), lazily and in order."""
    weekday = local_weekday(tz)
    for (_id, title, note, location, tags, calendar, origin, organizer, attendees,
         start, end) in rows:  # fmt: skip
        yield Features(
            title,
            note or "",
            location or "",
            tuple(t for t in (tags or "").split(",") if t),
            calendar,
            origin,
            organizer,
            attendees or 0,
            (end - start) / 60,
            weekday(start),
        )


# Where each Features field comes from in a FeatureRow; minutes and weekday are computed.
_ROW_COLUMN = {"title": 1, "note": 2, "location": 3, "tags": 4, "calendar": 5, "origin": 6,
               "organizer": 7, "attendees": 8}  # fmt: skip


def distinct_rows(
    rows: Sequence[FeatureRow], fields: Iterable[str], tz: str
) -> tuple[list[FeatureRow], list[int]]:
    """The rows that differ in ``fields`` (one of each, in order of first appearance) and,
    for every row, the index of its representative: a classifier that reads only
    ``fields`` gives every row its representative's answer. A stored history repeats
    itself (100,000 entries of a lead hold a few thousand distinct titles), so classifying
    the representatives is most of the work saved. Rows may carry columns after the
    FeatureRow ones."""
    wanted = set(fields)
    columns = sorted({_ROW_COLUMN[name] for name in wanted if name in _ROW_COLUMN})
    plain = itemgetter(*columns) if columns else (lambda _row: ())
    weekday = local_weekday(tz) if "weekday" in wanted else None
    timed = "minutes" in wanted
    key_of: Callable[[FeatureRow], Any] = plain
    if weekday is not None or timed:

        def key_of(row: FeatureRow) -> Any:
            return (
                plain(row),
                row[10] - row[9] if timed else None,
                weekday(row[9]) if weekday is not None else None,
            )

    index: dict[Any, int] = {}
    representatives: list[FeatureRow] = []
    slots: list[int] = []
    for row in rows:
        key = key_of(row)
        slot = index.get(key)
        if slot is None:
            slot = index[key] = len(representatives)
            representatives.append(row[:11])
        slots.append(slot)
    return representatives, slots


@record
class Rule:
    """One ``[[rule]]``: all ``conditions`` must hold; none at all means a catch-all."""

    name: str
    category: Category
    activity: str | None
    origin: str  # the rules file's path, or "default"
    index: int  # 1-based position in its file
    conditions: tuple[Condition, ...]

    @property
    def classification(self) -> Classification:
        """What this rule decides when it matches."""
        return Classification(self.category, self.activity, self.name)

    @property
    def where(self) -> str:
        """``rule #3 "code-review" (default)``: where the rule comes from, for messages."""
        return f'rule #{self.index} "{self.name}" ({self.origin})'

    def describe(self) -> list[str]:
        """The rule's conditions in a few words each."""
        return [c.summary() for c in self.conditions] or ["catch-all: matches every entry"]

    def first_failure(self, f: Features) -> Condition | None:
        """The first condition (in file order) that does not hold for ``f``, if any."""
        for condition in self.conditions:
            if not condition.holds(f):
                return condition
        return None

    def canonical(self) -> list[Any]:
        """A JSON-able form of what the rule decides and when."""
        import json

        return [
            self.name,
            self.category.value,
            self.activity,
            sorted((c.canonical() for c in self.conditions), key=json.dumps),
        ]


@record
class Miss:
    """A rule tried before the deciding one, and the first condition that failed."""

    rule: Rule
    failed: str


@record
class Explanation:
    """Why an entry got its classification."""

    classification: Classification
    rule: Rule | None  # None: no rule matched
    matched: tuple[str, ...]  # the deciding rule's conditions, as they held
    tried: tuple[Miss, ...]  # every rule tried before it, in order


def fingerprint_of(rules: Sequence[Rule]) -> str:
    """A stable hash that changes iff the classification of some entry could change."""
    import hashlib
    import json

    payload = json.dumps(
        [ENGINE_VERSION, [r.canonical() for r in rules]], separators=(",", ":"), sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


_Plan = tuple[tuple[tuple[Callable[[Features], bool], ...], Classification], ...]


def _with_shared_actions(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """``rules`` with every head condition finding heads among all their actions: the
    head of a title is the same for every rule of a set."""
    from leadtime.rules.conditions import Actions, HeadCondition
    from leadtime.rules.words import Lexicon, Vocabulary

    vocabularies: list[Vocabulary] = [
        found
        for r in rules
        for c in r.conditions
        if isinstance(found := getattr(c, "vocabulary", None), Vocabulary)
    ]
    heads = [c for r in rules for c in r.conditions if isinstance(c, HeadCondition)]
    if not heads:
        if vocabularies:
            lexicon = Lexicon(vocabularies)
            for vocabulary in vocabularies:
                vocabulary.bind(lexicon)
        return rules
    actions = Actions(Vocabulary.union(c.vocabulary for c in heads))
    lexicon = Lexicon([*vocabularies, actions.vocabulary])
    for vocabulary in [*vocabularies, actions.vocabulary]:
        vocabulary.bind(lexicon)
    return tuple(
        replace(
            r,
            conditions=tuple(
                c.bound(actions) if isinstance(c, HeadCondition) else c for c in r.conditions
            ),
        )
        if any(isinstance(c, HeadCondition) for c in r.conditions)
        else r
        for r in rules
    )


@record
class RuleSet:
    """The effective rules, in the order they are tried. Build with :meth:`of`."""

    rules: tuple[Rule, ...]
    replaced_defaults: tuple[str, ...] = ()  # default rules a user rule of that name replaced
    _cache: dict[Any, Classification] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _plan: _Plan = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plan = tuple((tuple(c.holds for c in r.conditions), r.classification) for r in self.rules)
        object.__setattr__(self, "_plan", plan)

    @classmethod
    def of(cls, rules: Iterable[Rule], *, replaced_defaults: Iterable[str] = ()) -> RuleSet:
        """A rule set over ``rules`` (names must be unique) with its fingerprint."""
        ordered = _with_shared_actions(tuple(rules))
        names = [r.name for r in ordered]
        if len(set(names)) != len(names):
            raise ValueError("rule names must be unique within a rule set")
        return cls(ordered, tuple(replaced_defaults))

    @functools.cached_property
    def fingerprint(self) -> str:
        """A stable hash that changes iff the classification of some entry could change."""
        return fingerprint_of(self.rules)

    @property
    def fields(self) -> tuple[str, ...]:
        """The Features fields some rule reads (what the memo is keyed on)."""
        used = {c.field for r in self.rules for c in r.conditions}
        return tuple(name for name in Features._fields if name in used)

    def rule(self, name: str) -> Rule | None:
        """The rule called ``name``, if any."""
        return next((r for r in self.rules if r.name == name), None)

    def _decide(self, f: Features) -> Classification:
        for tests, result in self._plan:
            for test in tests:
                if not test(f):
                    break
            else:
                return result
        return UNCLASSIFIED

    def classify(self, f: Features) -> Classification:
        """The classification by the first matching rule; ``UNCLASSIFIED`` if none matches."""
        return self.classify_many((f,))[0]

    def classify_many(self, fs: Iterable[Features]) -> list[Classification]:
        """``[classify(f) for f in fs]``, memoised on the fields the rules read."""
        indices = [_FIELD_INDEX[name] for name in self.fields]
        if not indices:  # only catch-alls, or no rules: the same answer for everything
            constant = self._plan[0][1] if self._plan else UNCLASSIFIED
            return [constant for _ in fs]
        key_of = self._key_of(indices)
        cache = self._cache
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        decide = self._decide
        out: list[Classification] = []
        append = out.append
        get = cache.get
        for f in fs:
            key = key_of(f)
            decided = get(key)
            if decided is None:
                decided = cache[key] = decide(f)
            append(decided)
        return out

    def _key_of(self, indices: list[int]) -> Callable[[Features], Any]:
        """The memo key: the fields the rules read. Tags that only rules for some sources
        read (the git rules' ``merge-review``) count only for entries of those sources, so
        that the tags of everything else do not multiply the keys."""
        plain: Callable[[Features], Any] = itemgetter(*indices)
        tags = _FIELD_INDEX["tags"]
        origins = self._tag_origins
        if tags not in indices or origins is None:
            return plain
        rest = itemgetter(*[i for i in indices if i != tags]) if len(indices) > 1 else None

        def key_of(f: Features) -> Any:
            base = rest(f) if rest is not None else ()
            return (base, f.tags) if f.origin in origins else (base, None)

        return key_of

    @functools.cached_property
    def _tag_origins(self) -> frozenset[str] | None:
        """The sources whose entries' tags some rule reads, if every rule that reads tags
        names its sources; None when some rule reads the tags of any entry."""
        origins: set[str] = set()
        for rule in self.rules:
            if not any(c.field == "tags" for c in rule.conditions):
                continue
            named = [
                c for c in rule.conditions
                if isinstance(c, ChoiceCondition) and c.field == "origin" and not c.negate
            ]  # fmt: skip
            if not named:
                return None
            origins.update(str(choice) for choice in named[0].choices)
        return frozenset(origins)

    def explain(self, f: Features) -> Explanation:
        """The deciding rule and its conditions, and the first failing test of each rule
        tried before it."""
        tried: list[Miss] = []
        for rule in self.rules:
            failed = rule.first_failure(f)
            if failed is None:
                matched = tuple(c.describe(f) for c in rule.conditions)
                return Explanation(
                    rule.classification, rule, matched or ("matches every entry",), tuple(tried)
                )
            tried.append(Miss(rule, failed.describe(f)))
        return Explanation(UNCLASSIFIED, None, (), tuple(tried))
