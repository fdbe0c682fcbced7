"""What a failed SQLite call means for the log, said in one sentence that names the file.

Damage (SQLITE_CORRUPT, SQLITE_NOTADB, a failed check) is told apart from a busy or unreadable
file, because only damage is repaired: a healthy log is never moved aside.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.errors import KioskError

_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


class StoreError(KioskError):
    """The log could not be read or written; the message names the file and what to do."""


def _errcode(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc)
    return (_errcode(exc) in _CORRUPT_CODES or "malformed" in text
            or "not a database" in text)


def _damaged(path: Path | str | None) -> StoreError:
    """What a reader says about a damaged log: one sentence, and how it gets repaired."""
    return StoreError(f"the log at {path or ':memory:'} is damaged; the kiosk repairs it at its "
                      "next start (`sudo systemctl restart osteo-kiosk` on the Pi)")


def _read_error(path: Path | str | None, exc: sqlite3.Error) -> StoreError:
    if _is_damage(exc):
        return _damaged(path)
    return StoreError(f"cannot read the log at {path or ':memory:'} ({exc})")
