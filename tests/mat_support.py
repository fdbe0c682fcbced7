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


class Gate:
    """Lets a sampler thread read only as often as a test allows, so the real thread, the real
    gpiozero read and the sampler's own timing run, yet the stream is the same under any load
    (the sampler's clock is a ``FakeClock`` its own sleeps advance)."""

    def __init__(self, read):
        import threading

        self.inner = read
        self.reads = 0
        self._allowed = 0
        self._idle = False
        self._open = False
        self._cv = threading.Condition()

    def read(self):
        with self._cv:
            self._idle = True  # everything before this read has been handled
            self._cv.notify_all()
            while self.reads >= self._allowed and not self._open:
                self._cv.wait(0.05)
            self._idle = False
            self.reads += 1
        return self.inner()

    def allow(self, n: int, timeout_s: float = 60.0) -> None:
        """Let ``n`` more reads happen and wait (at most ``timeout_s``, generous for a loaded
        machine) until the thread has handled them and waits for the next."""
        import time

        with self._cv:
            self._allowed += n
            self._cv.notify_all()
            end = time.monotonic() + timeout_s
            while not (self.reads >= self._allowed and self._idle):
                assert time.monotonic() < end, "the sampler thread stopped reading"
                self._cv.wait(0.05)

    def open(self) -> None:
        """Read freely from now on (before stopping the sampler)."""
        with self._cv:
            self._open = True
            self._cv.notify_all()
