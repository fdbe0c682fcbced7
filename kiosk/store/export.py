"""Export the log for a clinic visit: one CSV per table, or one JSON file, same columns.

Every row of a step or measurement table repeats its session, slot, plan date and exercise, so
each CSV can be opened alone in a spreadsheet and demo rows (slot ``demo``) are recognisable.
Demo sessions are left out unless asked for (``include_demo``), as in the report. Times are UTC
(ISO 8601, ``Z``); ``plan_date`` is the kiosk's local day. Files are written to a temporary
name and renamed, and are private (0600): they hold health data and are handed on by the helper
on purpose.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TextIO

from kiosk.errors import KioskError
from kiosk.store.db import SCHEMA_VERSION, LogReader, utc_text

FORMAT = "osteo-kiosk-export"
FORMAT_VERSION = 3  # 2: slot in steps and measurements, demos opt-in; 3: person in each table

_STEP = ("step_id", "session_id", "person", "slot", "plan_date", "exercise_id", "block")
#: The documented column list of every export table, in order (docs/store.md explains each).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "sessions": ("session_id", "person", "slot", "plan_date", "started_utc", "ended_utc", "status",
                 "minutes"),
    "steps": ("step_id", "session_id", "person", "slot", "plan_date", "exercise_id", "kind",
              "block", "status", "started_utc", "ended_utc", "target", "achieved"),
    "landings": ("landing_id", *_STEP, "foot", "t_s", "peak_bw", "stomp", "saturated",
                 "created_utc"),
    "holds": ("hold_id", *_STEP, "side", "held_s", "target_s", "created_utc"),
    "strength_sets": ("set_id", *_STEP, "set_no", "reps", "load_kg", "created_utc"),
    "intervals": ("interval_id", *_STEP, "seconds", "steps", "cadence_spm", "target_spm",
                  "created_utc"),
    "pain": ("pain_id", *_STEP, "hurt", "created_utc"),
    "balance_holds": ("balance_id", *_STEP, "side", "best_s", "total_s", "attempts",
                      "ceiling_s", "timed_by", "created_utc"),
    "chair_reps": ("chair_rep_id", *_STEP, "set_no", "rep", "up_s", "down_s", "rep_s",
                   "created_utc"),
    "chair_tests": ("chair_test_id", *_STEP, "stands", "seconds", "counted_by", "created_utc"),
    "steadiness": ("steadiness_id", "person", "step_id", "moment", "share_left_pct", "wobble_pp",
                   "seconds", "created_utc"),
    "calibrations": ("calibration_id", "person", "created_utc", "data"),
    "onerm": ("onerm_id", "person", "exercise_id", "weight_kg", "reps", "estimate_kg", "target_kg",
              "created_utc"),
}
#: Columns holding JSON text in CSV; decoded into objects in the JSON export.
JSON_COLUMNS = ("target", "achieved", "data")


def tables(reader: LogReader, since: date | None = None,
           include_demo: bool = False) -> dict[str, tuple[list[str], list]]:
    """Every export table as (columns, rows), checked against the documented list."""
    out = {}
    for name, documented in COLUMNS.items():
        cols, rows = reader.export_table(name, since=since, demo=include_demo)
        if tuple(cols) != documented:  # a schema change must update the documentation too
            raise KioskError(f"export of {name} has columns {cols}, documented {documented}")
        out[name] = (cols, rows)
    return out


def atomic_write(dest: Path, text: str) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_csv(reader: LogReader, folder: Path, since: date | None = None,
              include_demo: bool = False) -> list[dict]:
    """One ``TABLE.csv`` per table in ``folder`` (created if needed); returns the file names
    and their row counts."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, (cols, rows) in tables(reader, since, include_demo).items():
            buf = io.StringIO()
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(cols)
            w.writerows(rows)
            atomic_write(folder / f"{name}.csv", buf.getvalue())
            written.append({"file": f"{name}.csv", "rows": len(rows)})
    except OSError as exc:
        raise KioskError(f"cannot write the export to {folder} ({exc.strerror})") from None
    return written


def as_document(reader: LogReader, since: date | None = None, now: datetime | None = None,
                include_demo: bool = False) -> dict[str, Any]:
    """The whole export as one JSON-ready document: tables of objects, JSON columns decoded."""
    doc: dict[str, Any] = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": SCHEMA_VERSION,
        "exported_utc": utc_text(now or datetime.now(UTC)),
        "since": since.isoformat() if since else None, "include_demo": include_demo,
        "columns": {k: list(v) for k, v in COLUMNS.items()}, "tables": {}}
    for name, (cols, rows) in tables(reader, since, include_demo).items():
        items = []
        for row in rows:
            item = dict(zip(cols, row, strict=True))
            for c in JSON_COLUMNS:
                if isinstance(item.get(c), str):
                    item[c] = json.loads(item[c])
            items.append(item)
        doc["tables"][name] = items
    return doc


def write_json(reader: LogReader, dest: str, since: date | None = None,
               out: TextIO | None = None, include_demo: bool = False) -> list[dict]:
    """The JSON document to ``dest`` (``-`` for standard output); returns what was written."""
    doc = as_document(reader, since, include_demo=include_demo)
    text = json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
    if dest == "-":
        (out or sys.stdout).write(text)
        return []
    path = Path(dest)
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise KioskError(f"cannot write the export to {path} ({exc.strerror})") from None
    return [{"file": str(path), "rows": sum(len(t) for t in doc["tables"].values())}]
