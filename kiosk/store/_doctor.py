"""``doctor``'s lines about the log: can it be read, and what did the kiosk find and repair in
the last 30 days (a damaged file, a damaged write-ahead file, a clock that jumped back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.checks import Check
from kiosk.store._errors import StoreError
from kiosk.store._reader import open_reader
from kiosk.store._writer import store_path

RECENT_DAYS = 30


def doctor_checks(config: Any) -> list[Check]:
    """One line for the log: fine, a warning naming each recent incident, or unreadable."""
    path = store_path(config)
    if not path.exists():
        return [Check("log", True, f"no sessions logged yet at {path}")]
    try:
        reader = open_reader(path)
    except StoreError as exc:
        return [Check("log", False, str(exc), "restart the kiosk (sudo systemctl restart "
                                              "osteo-kiosk): it checks and repairs the log")]
    try:
        found = reader.incidents(since_utc=datetime.now(UTC) - timedelta(days=RECENT_DAYS))
    except StoreError as exc:
        return [Check("log", False, str(exc), "restart the kiosk: it repairs the log")]
    finally:
        reader.close()
    if not found:
        return [Check("log", True, f"{path}: readable, nothing repaired in {RECENT_DAYS} days")]
    said = "; ".join(f"{i['created_utc'][:16].replace('T', ' ')} UTC {i['kind']}: {i['detail']}"
                     for i in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return [Check("log", None, f"{path}: {said}{more}",
                  "nothing to do unless records are missing: the damaged files are kept beside "
                  "the log, and docs/store.md says how to go back to a backup")]
