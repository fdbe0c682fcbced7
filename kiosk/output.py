"""One output convention for every read-out command: a readable table, or ``--json``."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO


def dumps(obj: Any) -> str:
    """Compact, stable JSON (floats rounded by the caller, not here)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


def table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
          width: int = 80) -> str:
    """Rows as an aligned plain-text table that fits ``width`` columns (long cells trimmed)."""
    if not rows:
        return "(nothing to show)"
    columns = list(columns or rows[0].keys())
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    while sum(widths) + 2 * (len(widths) - 1) > width and max(widths) > 8:
        widths[widths.index(max(widths))] -= 1

    def line(values: Iterable[str]) -> str:
        pairs = zip(values, widths, strict=True)
        parts = [v if len(v) <= w else v[: w - 1] + "…" for v, w in pairs]
        return "  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip()
    out = [line(columns), line("-" * w for w in widths)]
    out += [line(row) for row in cells]
    return "\n".join(out)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def emit(data: Any, as_json: bool, text: str | None = None, out: TextIO | None = None) -> None:
    """Print ``data`` as JSON, or ``text`` (default: ``data`` as a table) for people."""
    out = out or sys.stdout
    if as_json:
        out.write(dumps(data) + "\n")
    elif text is not None:
        out.write(text.rstrip("\n") + "\n")
    elif isinstance(data, Sequence) and not isinstance(data, str):
        out.write(table(data) + "\n")
    else:
        out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def add_formats(p: Any) -> None:
    """``--json`` and ``--csv`` (to standard output) on a command that prints rows: the same
    flags on every such command, as sqlite-utils has them."""
    group = p.add_mutually_exclusive_group()
    group.add_argument("--json", action="store_true", help="print JSON for machines, not a table")
    group.add_argument("--csv", action="store_true",
                       help="print CSV (a header line, then one line a row) for spreadsheets")


def terminal_width(stream: TextIO, default: int = 80) -> int:
    """The terminal's width when ``stream`` is one, else ``default`` (pipes, files)."""
    try:
        if stream.isatty():
            return max(default, shutil.get_terminal_size((default, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return default


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV with a header line; nested values as compact JSON, None as empty."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow(["" if r.get(c) is None else dumps(r[c]) if isinstance(r[c], dict | list)
                    else r[c] for c in columns])
    return buf.getvalue()
