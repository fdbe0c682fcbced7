"""Helpers for the mat tests: calibrate from a trace's opening, run the detector, count."""

from __future__ import annotations

import argparse

from kiosk.mat import commands
from kiosk.mat.calibrate import Calibrator
from kiosk.mat.detector import MatDetector
from kiosk.mat.events import Fault, Footfall, Landing, MatEvent
from kiosk.mat.force import Calibration, Layout
from kiosk.mat.sim import TraceBuilder

CREATED = "2026-01-01T09:00:00+00:00"


def calibrate(samples, layout: Layout | None = None) -> tuple[Calibration, int]:
    """The calibration from a trace's opening and how many samples it used."""
    cal = Calibrator(layout or Layout(), 10_000, CREATED)
    result = cal.feed_batch(samples)
    assert result is not None, cal.progress()
    return result, cal.consumed


def run(tb: TraceBuilder, target_bw: float = 1.5, **kw) -> list[MatEvent]:
    """Build the trace, calibrate from its opening, detect on the rest."""
    samples = tb.samples()
    cal, used = calibrate(samples, tb.layout)
    return MatDetector(cal, tb.layout, target_bw, **kw).feed_batch(samples[used:])


def landings(events, foot: str | None = None) -> list[Landing]:
    return [e for e in events if isinstance(e, Landing) and (foot is None or e.foot == foot)]


def footfalls(events) -> list[Footfall]:
    return [e for e in events if isinstance(e, Footfall)]


def faults(events, active: bool | None = None) -> list[Fault]:
    return [e for e in events if isinstance(e, Fault) and (active is None or e.active == active)]


def parse(argv: list[str]) -> argparse.Namespace:
    """The mat room's subcommands parsed as `osteo-kiosk` would (run with ``.func(args)``)."""
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    return parser.parse_args(argv)
