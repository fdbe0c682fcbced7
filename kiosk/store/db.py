"""The log's SQL, in one place per concern: ``from kiosk.store.db import X`` for all of it.

Durability is the point: the journal is WAL with ``synchronous=FULL`` and the connection is in
autocommit mode, so every ``add_*`` call is one INSERT that is on disk (WAL fsynced) before it
returns. Readers open the file read-only with a busy timeout; under WAL they read a snapshot and
never block the kiosk. Table and column names in SQL text come from constants in these modules
only; every value is a ``?`` parameter.

The work is split along its seams into private modules, re-exported here so import paths stay
put (Mopidy's ``_x.py`` habit); each owns the SQL of its concern:

- ``_schema``: tables, ordered migrations, the UTC time format;
- ``_files``: file modes, fsync, the writer's durable connection, who owns a running session;
- ``_repair``: the start-up check, salvage of a damaged file, backups;
- ``_reader``: ``LogReader`` and ``open_reader``, the queries behind log, report and export;
- ``_writer``: ``Store``, which opens the file and writes typed records (``records.py``);
- ``_errors``: ``StoreError`` and what a failed SQLite call means;
- ``_deferred``: ``DeferredStore``, the stand-in when the log cannot be opened at start.
"""

from __future__ import annotations

from kiosk.store._deferred import DeferredStore
from kiosk.store._errors import StoreError
from kiosk.store._files import BUSY_TIMEOUT_S, display_status
from kiosk.store._reader import LogReader, open_reader
from kiosk.store._repair import (
    BACKUP_DIR,
    KEEP_BACKUPS,
    Salvaged,
    backup_files,
    backup_to,
    check_file,
    salvage,
)
from kiosk.store._schema import (
    FEET,
    MEASUREMENTS,
    MIGRATIONS,
    SCHEMA_VERSION,
    SESSION_END,
    SLOTS,
    SOLO,
    STEP_END,
    TABLES,
    Migration,
    migrate,
    parse_utc,
    schema_version,
    utc_text,
)
from kiosk.store._writer import LOG_NAME, Store, save_onerm, store_path

__all__ = [
    "BACKUP_DIR",
    "BUSY_TIMEOUT_S",
    "FEET",
    "KEEP_BACKUPS",
    "LOG_NAME",
    "MEASUREMENTS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SESSION_END",
    "SLOTS",
    "SOLO",
    "STEP_END",
    "TABLES",
    "DeferredStore",
    "LogReader",
    "Migration",
    "Salvaged",
    "Store",
    "StoreError",
    "backup_files",
    "backup_to",
    "check_file",
    "display_status",
    "migrate",
    "open_reader",
    "parse_utc",
    "salvage",
    "save_onerm",
    "schema_version",
    "store_path",
    "utc_text",
]
