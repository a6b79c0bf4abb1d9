"""The store: one small connection protocol, every query written once as SQL text.

A current local SQLite file runs on the standard library's sqlite3; any other SQLAlchemy
URL (PostgreSQL, ...) on SQLAlchemy. Nothing imported here loads SQLAlchemy.
"""

from leadtime.store.conn import Conn, Cursor, StoreError, StoreInputError
from leadtime.store.db import Store
from leadtime.store.entries import (
    add_entries,
    apply_classifications,
    delete_entries,
    existing_keys,
    feature_rows,
    find_entries,
    find_entry,
    from_ts,
    iter_all_entries,
    list_entries,
    reclassify,
    replace_entry,
    set_classification,
    span_rows,
    to_ts,
)
from leadtime.store.meta import get_meta, set_meta
from leadtime.store.schema import (
    HEAD,
    REVISIONS,
    RULES_FINGERPRINT,
    EntryFilter,
    FeatureRow,
    SpanRow,
)
from leadtime.store.sources import (
    SourceInfo,
    SyncResult,
    delete_objects,
    get_objects,
    get_source,
    list_sources,
    put_object,
    remember_source,
    remove_source,
    rename_source,
    sync_entries,
)
from leadtime.store.timer import Timer, clear_timer, get_timer, set_timer

__all__ = [
    "HEAD", "REVISIONS", "RULES_FINGERPRINT", "Conn", "Cursor", "EntryFilter", "FeatureRow",
    "SourceInfo", "SpanRow", "Store", "StoreError", "StoreInputError", "SyncResult", "Timer",
    "add_entries", "apply_classifications", "clear_timer", "delete_entries", "delete_objects",
    "existing_keys", "feature_rows", "find_entries", "find_entry", "from_ts", "get_meta",
    "get_objects", "get_source", "get_timer", "iter_all_entries", "list_entries",
    "list_sources", "put_object", "reclassify", "remember_source",
    "remove_source", "rename_source", "replace_entry", "set_classification", "set_meta",
    "set_timer", "span_rows", "sync_entries", "to_ts",
]  # fmt: skip
