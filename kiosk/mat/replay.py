"""Run a recorded trace (CSV ``t,left,right[,left2,right2]``) through the live detector.

Pure apart from reading the file: the shell (``commands.py``) prints what this returns.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median
from typing import Any

from kiosk.errors import KioskError
from kiosk.mat.baseline import ThresholdCounter
from kiosk.mat.calibrate import Calibrator
from kiosk.mat.detector import MatDetector
from kiosk.mat.events import FEET, Fault, Footfall, Landing, MatEvent, Presence
from kiosk.mat.force import ADC_MAX, Calibration, Layout
from kiosk.mat.settings import DetectorSettings
from kiosk.output import table

COLUMNS = ("t", "left", "right", "left2", "right2")
Sample = tuple[float, tuple[int, ...]]


@dataclass
class Trace:
    """A parsed recording: its layout (from the columns) and samples in layout order."""

    layout: Layout
    samples: list[Sample]
    columns: tuple[str, ...] = field(default=())


def trace_layout(columns: Sequence[str]) -> Layout:
    """Replay's own channel numbering: left=0(,2), right=1(,3)."""
    left = (0, 2) if "left2" in columns else (0,)
    right = (1, 3) if "right2" in columns else (1,)
    return Layout(left, right)


def read_trace(path: str | os.PathLike) -> Trace:
    """Parse and check a trace; a problem is one sentence naming the file and line."""
    p = Path(path)
    try:
        fh = p.open(newline="", encoding="utf-8-sig")  # a BOM (Excel's UTF-8 CSV) is skipped
    except FileNotFoundError:
        raise KioskError(f"{p}: no such file") from None
    except OSError as exc:
        raise KioskError(f"{p}: cannot be read ({exc.strerror})") from None
    with fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise KioskError(f"{p}: line 1: the file is empty (expected a header "
                             "t,left,right)") from None
        except UnicodeDecodeError:
            raise KioskError(f"{p}: not a text CSV file") from None
        for name in ("t", "left", "right"):
            if name not in header:
                raise KioskError(f"{p}: line 1: missing column {name!r} "
                                 "(expected t,left,right[,left2,right2])")
        for name in header:
            if name not in COLUMNS:
                raise KioskError(f"{p}: line 1: unknown column {name!r} "
                                 "(allowed: t,left,right,left2,right2)")
        if len(set(header)) != len(header):
            raise KioskError(f"{p}: line 1: a column appears twice")
        layout = trace_layout(header)
        order = [header.index(c) for c in ("left", "left2", "right", "right2") if c in header]
        ti = header.index("t")
        width = len(header)
        samples: list[Sample] = []
        prev_t = float("-inf")
        line = 1
        try:
            for line, row in enumerate(reader, start=2):
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    raise KioskError(f"{p}: line {line}: {len(row)} values but the header has "
                                     f"{width}")
                try:
                    t = float(row[ti])
                except ValueError:
                    raise KioskError(f"{p}: line {line}: t {row[ti].strip()!r} is not a "
                                     "number") from None
                if t != t or t in (float("inf"), float("-inf")):
                    raise KioskError(f"{p}: line {line}: t is not a finite number")
                if t == prev_t:
                    raise KioskError(f"{p}: line {line}: time does not advance ({t:g} s "
                                     "again)")
                if t < prev_t:
                    raise KioskError(f"{p}: line {line}: time goes backwards ({t:g} s after "
                                     f"{prev_t:g} s)")
                counts = []
                for i in order:
                    cell = row[i].strip()
                    try:
                        value = float(cell)
                    except ValueError:
                        raise KioskError(f"{p}: line {line}: {header[i]} {cell!r} is not a "
                                         "number") from None
                    if not 0 <= value <= ADC_MAX or value != int(value):
                        raise KioskError(f"{p}: line {line}: {header[i]} {cell} is not an ADC "
                                         f"count (a whole number 0-{ADC_MAX})")
                    counts.append(int(value))
                samples.append((t, tuple(counts)))
                prev_t = t
        except UnicodeDecodeError:
            raise KioskError(f"{p}: line {line + 1}: not text") from None
        except csv.Error as exc:
            raise KioskError(f"{p}: line {line}: not valid CSV ({exc})") from None
    if not samples:
        raise KioskError(f"{p}: line 2: no samples after the header")
    return Trace(layout, samples, tuple(header))


def event_json(e: MatEvent) -> dict[str, Any]:
    """One event as the JSON object replay prints (times to 0.1 ms)."""
    t = round(e.t, 4)
    if isinstance(e, Landing):
        out = {"t": t, "event": "landing", "foot": e.foot, "peak_bw": round(e.peak_bw, 3),
               "stomp": e.stomp}
        if e.saturated:  # the sensor's ceiling: peak_bw is a lower bound
            out["saturated"] = True
        return out
    if isinstance(e, Footfall):
        return {"t": t, "event": "footfall", "foot": e.foot, "cadence_spm": e.cadence_spm}
    if isinstance(e, Presence):
        return {"t": t, "event": "presence", "on": e.on}
    if isinstance(e, Fault):
        return {"t": t, "event": "fault", "foot": e.foot, "kind": e.kind, "active": e.active,
                "message": e.message}
    raise TypeError(f"not a mat event: {e!r}")


def _detail(e: MatEvent) -> str:
    if isinstance(e, Landing):
        return "saturated: the peak is a lower bound" if e.saturated else ""
    if isinstance(e, Footfall):
        return f"{e.cadence_spm:.0f} steps/min"
    if isinstance(e, Presence):
        return "stepped on" if e.on else "stepped off"
    if isinstance(e, Fault):
        return f"{e.kind}: {e.message}"
    raise TypeError(f"not a mat event: {e!r}")


def replay_table(events: Sequence[MatEvent], summary: dict[str, Any], width: int = 80) -> str:
    """Events and the summary as readable tables for people (``width`` columns at most)."""
    rows = []
    for e in events:
        row = {"t (s)": f"{e.t:.3f}", "event": type(e).__name__.lower(),
               "foot": getattr(e, "foot", None) or "-", "peak BW": "", "stomp": "",
               "detail": _detail(e)}
        if isinstance(e, Landing):
            row["peak BW"] = f"{e.peak_bw:.2f}"
            row["stomp"] = "yes" if e.stomp else "no"
        rows.append(row)
    columns = ["t (s)", "event", "foot", "peak BW", "stomp", "detail"]
    out = ["Events:", table(rows, columns, width) if rows else "(no events)", "",
           "Summary:",
           table([{"foot": f, "landings": summary["landings"][f], "stomps": summary["stomps"][f]}
                  for f in FEET], ["foot", "landings", "stomps"], width)]
    out += ["", "Contacts (landing times in s, to read against a truth file):"]
    for foot in FEET:
        times = [f"{e.t:.3f}" for e in events if isinstance(e, Landing) and e.foot == foot]
        out.append(wrap(f"{foot} ({len(times)}):", times, width))
    if "baseline" in summary:
        base = summary["baseline"]["landings"]
        out.append(f"simple counter: left {base['left']}, right {base['right']}")
    cadence = summary["cadence_spm"]
    out.append("cadence: " + (f"{cadence:g} steps/min" if cadence is not None else "-"))
    faults = summary["faults"]
    if faults:
        out.append("faults:")
        out.append(table([{"t (s)": f"{f['t']:.3f}", "foot": f["foot"] or "mat",
                           "kind": f["kind"]} for f in faults], ["t (s)", "foot", "kind"],
                         width))
    else:
        out.append("faults: none")
    return "\n".join(out)


def wrap(head: str, words: Sequence[str], width: int) -> str:
    """``head`` then the words, wrapped at ``width`` columns with a hanging indent."""
    lines, line = [], head
    for w in words or ["-"]:
        if len(line) + 1 + len(w) > width:
            lines.append(line)
            line = "   "
        line += " " + w
    lines.append(line)
    return "\n".join(lines)


def summarize(events: Sequence[MatEvent]) -> dict[str, Any]:
    """The closing line: counts per foot, median live cadence, faults that were raised."""
    landings = {f: 0 for f in FEET}
    stomps = {f: 0 for f in FEET}
    cadences = []
    faults = []
    for e in events:
        if isinstance(e, Landing):
            landings[e.foot] += 1
            stomps[e.foot] += e.stomp
        elif isinstance(e, Footfall):
            cadences.append(e.cadence_spm)
        elif isinstance(e, Fault) and e.active:
            faults.append({"t": round(e.t, 4), "foot": e.foot, "kind": e.kind})
    return {"landings": landings, "stomps": stomps,
            "cadence_spm": round(median(cadences), 1) if cadences else None,
            "faults": faults}


def replay(trace: Trace, target_bw: float, calibration: Calibration | None = None,
           created: str = "1970-01-01T00:00:00", divider_ohms: int = 10_000,
           label: str = "trace", settings: DetectorSettings | None = None,
           ) -> tuple[Calibration, list[MatEvent]]:
    """Calibrate from the opening (unless given one), then detect on the rest."""
    calibration, start = calibrated(trace, calibration, created, divider_ohms, label)
    detector = MatDetector(calibration, trace.layout, target_bw, settings)
    events = detector.feed_batch(trace.samples[start:])
    events += detector.finish()  # the last contact is decided, not lost at the end
    return calibration, events


def replay_baseline(trace: Trace, calibration: Calibration | None = None,
                    created: str = "1970-01-01T00:00:00", divider_ohms: int = 10_000,
                    label: str = "trace") -> ThresholdCounter:
    """The simple fixed-threshold counter on the same samples and calibration as ``replay``."""
    calibration, start = calibrated(trace, calibration, created, divider_ohms, label)
    counter = ThresholdCounter(calibration, trace.layout)
    counter.feed_batch(trace.samples[start:])
    return counter


def calibrated(trace: Trace, calibration: Calibration | None, created: str, divider_ohms: int,
               label: str) -> tuple[Calibration, int]:
    """The calibration to use and where detection starts (after the opening it came from)."""
    samples = trace.samples
    start = 0
    if calibration is None:
        cal = Calibrator(trace.layout, divider_ohms, created)
        calibration = cal.feed_batch(samples)
        if calibration is None:
            why = cal.failure or (
                "the trace ends before it calibrated: it must open with at least 1 s of empty "
                "mat, then at least 2 s of standing still on both feet")
            raise KioskError(f"{label}: cannot calibrate from the opening: {why} "
                             "(or give --calibration FILE)")
        start = cal.consumed
    elif len(calibration.baseline_counts) != len(trace.layout.channels):
        raise KioskError(f"{label}: the calibration has {len(calibration.baseline_counts)} "
                         f"channels but the trace has {len(trace.layout.channels)}")
    return calibration, start
