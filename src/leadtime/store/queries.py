"""The former home of the entry queries; they live in ``entries``, ``timer`` and ``meta``."""

from leadtime.store.entries import (
    add_entries,
    delete_entries,
    existing_keys,
    find_entries,
    find_entry,
    iter_all_entries,
    list_entries,
    reclassify,
    replace_entry,
    set_classification,
    span_rows,
    to_ts,
)
from leadtime.store.meta import get_meta, set_meta
from leadtime.store.schema import FeatureRow
from leadtime.store.timer import Timer, clear_timer, get_timer, set_timer

__all__ = [
    "FeatureRow", "Timer", "add_entries", "clear_timer", "delete_entries", "existing_keys",
    "find_entries", "find_entry", "get_meta", "get_timer", "iter_all_entries", "list_entries",
    "reclassify", "replace_entry", "set_classification", "set_meta", "set_timer", "span_rows",
    "to_ts",
]  # fmt: skip
