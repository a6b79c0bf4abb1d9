"""The store: one small connection protocol, every query written once as SQL text.

A current local SQLite file runs on the standard library's sqlite3; any other SQLAlchemy
URL (PostgreSQL, ...) on SQLAlchemy. Nothing imported here loads SQLAlchemy.

The names below are loaded from their modules on first use: a command imports only the
parts of the store it touches (``status`` reads the timer without the entries' queries).
"""

from __future__ import annotations

from leadtime.lazy import loader

TYPE_CHECKING = False
if TYPE_CHECKING:
    from leadtime.store.conn import Conn, Cursor, StoreError, StoreInputError
    from leadtime.store.db import Store
    from leadtime.store.entries import (
        add_entries,
        apply_classifications,
        category_spans,
        delete_entries,
        existing_keys,
        feature_rows,
        find_entries,
        find_entry,
        iter_all_entries,
        list_entries,
        reclassify,
        replace_entry,
        same_series,
        set_classification,
        span_rows,
    )
    from leadtime.store.meta import get_meta, set_meta
    from leadtime.store.rows import FeatureRow, SpanRow
    from leadtime.store.schema import (
        HEAD,
        REVISIONS,
        RULES_FINGERPRINT,
        EntryFilter,
        from_ts,
        to_ts,
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

_WHERE = {
    "Conn": "leadtime.store.conn",
    "Cursor": "leadtime.store.conn",
    "StoreError": "leadtime.store.conn",
    "StoreInputError": "leadtime.store.conn",
    "Store": "leadtime.store.db",
    "add_entries": "leadtime.store.entries",
    "apply_classifications": "leadtime.store.entries",
    "category_spans": "leadtime.store.entries",
    "delete_entries": "leadtime.store.entries",
    "existing_keys": "leadtime.store.entries",
    "feature_rows": "leadtime.store.entries",
    "find_entries": "leadtime.store.entries",
    "find_entry": "leadtime.store.entries",
    "from_ts": "leadtime.store.schema",
    "iter_all_entries": "leadtime.store.entries",
    "list_entries": "leadtime.store.entries",
    "reclassify": "leadtime.store.entries",
    "replace_entry": "leadtime.store.entries",
    "same_series": "leadtime.store.entries",
    "set_classification": "leadtime.store.entries",
    "span_rows": "leadtime.store.entries",
    "to_ts": "leadtime.store.schema",
    "get_meta": "leadtime.store.meta",
    "set_meta": "leadtime.store.meta",
    "HEAD": "leadtime.store.schema",
    "REVISIONS": "leadtime.store.schema",
    "RULES_FINGERPRINT": "leadtime.store.schema",
    "EntryFilter": "leadtime.store.schema",
    "FeatureRow": "leadtime.store.rows",
    "SpanRow": "leadtime.store.rows",
    "SourceInfo": "leadtime.store.sources",
    "SyncResult": "leadtime.store.sources",
    "delete_objects": "leadtime.store.sources",
    "get_objects": "leadtime.store.sources",
    "get_source": "leadtime.store.sources",
    "list_sources": "leadtime.store.sources",
    "put_object": "leadtime.store.sources",
    "remember_source": "leadtime.store.sources",
    "remove_source": "leadtime.store.sources",
    "rename_source": "leadtime.store.sources",
    "sync_entries": "leadtime.store.sources",
    "Timer": "leadtime.store.timer",
    "clear_timer": "leadtime.store.timer",
    "get_timer": "leadtime.store.timer",
    "set_timer": "leadtime.store.timer",
}


__getattr__ = loader(__name__, _WHERE, globals())


__all__ = [
    "HEAD", "REVISIONS", "RULES_FINGERPRINT", "Conn", "Cursor", "EntryFilter", "FeatureRow",
    "SourceInfo", "SpanRow", "Store", "StoreError", "StoreInputError", "SyncResult", "Timer",
    "add_entries", "apply_classifications", "category_spans", "clear_timer", "delete_entries",
    "delete_objects",
    "existing_keys", "feature_rows", "find_entries", "find_entry", "from_ts", "get_meta",
    "get_objects", "get_source", "get_timer", "iter_all_entries", "list_entries",
    "list_sources", "put_object", "reclassify", "remember_source",
    "remove_source", "rename_source", "replace_entry", "same_series", "set_classification",
    "set_meta",
    "set_timer", "span_rows", "sync_entries", "to_ts",
]  # fmt: skip
