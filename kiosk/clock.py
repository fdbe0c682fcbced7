"""Injected time: one monotonic clock for the live kiosk, controllable ones for demo and tests,
and a wall clock for what is dated (the log's days, the time of day on screen)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything with ``now()`` in monotonic seconds."""

    def now(self) -> float: ...


class MonotonicClock:
    """The real clock: ``time.monotonic``."""

    def now(self) -> float:
        return time.monotonic()


class ScaledClock:
    """Real time sped up ``speed`` times, starting at 0; the demo runs on it."""

    def __init__(self, speed: float = 1.0, base: Clock | None = None):
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._base = base or MonotonicClock()
        self._t0 = self._base.now()

    def now(self) -> float:
        return (self._base.now() - self._t0) * self.speed


class FakeClock:
    """A clock that moves only when told to; for tests and stepped loops."""

    def __init__(self, start: float = 0.0):
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> float:
        self.t += seconds
        return self.t


class WallClock(Protocol):
    """The calendar and the time of day: ``local()`` naive local time, ``utc()`` aware UTC."""

    def local(self) -> datetime: ...

    def utc(self) -> datetime: ...


class SystemWallClock:
    """The machine's wall clock (set by NTP on the Pi)."""

    def local(self) -> datetime:
        return datetime.now()

    def utc(self) -> datetime:
        return datetime.now(UTC)


class FixedWallClock:
    """A wall clock that shows ``at`` (naive local time, taken as UTC) until moved; for tests."""

    def __init__(self, at: datetime):
        self.at = at

    def local(self) -> datetime:
        return self.at

    def utc(self) -> datetime:
        return self.at.replace(tzinfo=UTC)

    def advance(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)
