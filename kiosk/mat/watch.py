"""The balance and chair watchers on the mat's samples, side by side with the landing detector.

``BodyWatch`` turns each ``(t, counts)`` sample into foot loads once and feeds the stance
timer, the steadiness meter and the chair counter; the live link, ``replay`` and the tests all
use it, so the same code sees the same movements everywhere. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from kiosk.mat.balance import StanceTimer, SteadinessMeter, symmetry
from kiosk.mat.chair import ChairCounter
from kiosk.mat.force import Calibration, Layout
from kiosk.mat.loads import FootLoads
from kiosk.mat.movements import (
    ChairSat,
    ChairStood,
    Movement,
    StanceEnded,
    Steadiness,
)

Sample = tuple[float, Sequence[int]]


class BodyWatch:
    """Feed samples, get ``Movement`` events in time order."""

    def __init__(self, calibration: Calibration, layout: Layout, *,
                 stance: StanceTimer | None = None, steadiness: SteadinessMeter | None = None,
                 chair: ChairCounter | None = None):
        self.loads = FootLoads(calibration, layout)
        self.stance = stance or StanceTimer()
        self.steadiness = steadiness or SteadinessMeter()
        self.chair = chair or ChairCounter()
        self.last_bw = (0.0, 0.0)

    def feed_batch(self, samples: Iterable[Sample]) -> list[Movement]:
        out: list[Movement] = []
        bw = self.loads.bw
        for t, counts in samples:
            left, right = bw(counts)
            out += self.stance.feed(t, left, right)
            out += self.steadiness.feed(t, left, right)
            out += self.chair.feed(t, left, right)
            self.last_bw = (left, right)
        out.sort(key=lambda e: e.t)
        return out


def movement_summary(events: Sequence[Movement],
                     landings: Iterable[tuple[str, float]] = ()) -> dict[str, Any]:
    """What replay adds to its summary: one-leg stances, quiet-standing windows, chair stands
    and their tempo, and the left/right symmetry of the landings' peaks (foot, peak BW)."""
    stances = [{"t": round(e.t, 4), "foot": e.foot, "held_s": e.held_s, "touched": e.touched}
               for e in events if isinstance(e, StanceEnded)]
    steady = [{"t": round(e.t, 4), "share_left_pct": e.share_left_pct,
               "wobble_pp": e.wobble_pp, "seconds": e.seconds}
              for e in events if isinstance(e, Steadiness)]
    sat = {e.rep: e for e in events if isinstance(e, ChairSat)}
    reps = [{"t": round(e.t, 4), "rep": e.rep, "up_s": e.up_s,
             "down_s": sat[e.rep].down_s if e.rep in sat else None,
             "rep_s": sat[e.rep].rep_s if e.rep in sat else None}
            for e in events if isinstance(e, ChairStood)]
    sym = symmetry(landings)
    return {"stances": stances, "steadiness": steady, "chair_stands": len(reps),
            "chair_reps": reps,
            "landing_symmetry": None if sym is None else {
                "left_bw": sym.left, "right_bw": sym.right,
                "left_share_pct": sym.left_share_pct}}


def watch_trace(calibration: Calibration, layout: Layout, samples: Iterable[Sample],
                landings: Iterable[tuple[str, float]] = ()) -> dict[str, Any]:
    """``movement_summary`` of a whole recorded trace (its calibration opening included: the
    weigh-in is quiet standing too), for ``replay``. Windows of 2 s, as at the weigh-in: a
    recording's opening has only about 3 s of standing still."""
    watch = BodyWatch(calibration, layout, steadiness=SteadinessMeter(window_s=2.0))
    return movement_summary(watch.feed_batch(samples), landings)


def movement_lines(m: dict[str, Any]) -> list[str]:
    """What ``replay --table`` prints after its summary: one line per finding."""
    out = ["Movements:"]
    for s in m["steadiness"]:
        out.append(f"  {s['t']:8.3f} s  quiet standing {s['seconds']:g} s: left share "
                   f"{s['share_left_pct']:.1f} %, wobble {s['wobble_pp']:.2f} points")
    for s in m["stances"]:
        how = "touched down" if s["touched"] else "stepped off"
        out.append(f"  {s['t']:8.3f} s  one-leg stance on the {s['foot']} foot: "
                   f"{s['held_s']:.2f} s, {how}")
    for r in m["chair_reps"]:
        out.append(f"  {r['t']:8.3f} s  chair stand {r['rep']}: up {r['up_s']:.2f} s"
                   + (f", down {r['down_s']:.2f} s" if r["down_s"] is not None else ""))
    sym = m["landing_symmetry"]
    if sym:
        out.append(f"  landings, median peak: left {sym['left_bw']:.2f} BW, right "
                   f"{sym['right_bw']:.2f} BW (left share {sym['left_share_pct']:.1f} %)")
    return out if len(out) > 1 else ["Movements: none"]
