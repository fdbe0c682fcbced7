"""The shell's collaborators, declared: what ``App`` and the loop need from the world.

Each is a Protocol, so the real adapter (gpiozero sampler, pyttsx3 worker, SQLite store,
pygame screen) and a test's in-memory stand-in both fit without sharing a base class, and
mypy checks both. Time comes in two kinds: the monotonic ``Clock`` for timing and a
``WallClock`` for dates and the time of day on screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from kiosk.clock import Clock, WallClock
from kiosk.mat.events import Fault
from kiosk.ui.views import ScreenView

Sample = tuple[float, tuple[int, ...]]  # (signal seconds, ADC counts per channel)

__all__ = ["Clock", "Keyboard", "LogStore", "MatSource", "Sample", "Screen", "Voice", "WallClock"]


class MatSource(Protocol):
    """Foot force as ADC counts: the MCP3008 sampler, the simulated or keyboard mat. The
    sampler also puts the ``Fault`` of a bus that stops answering into the stream."""

    def drain(self) -> Sequence[Sample | Fault]: ...

    def close(self) -> None: ...


class Keyboard(Protocol):
    """A mat driven by keys (arrows stomp, space steps on and off)."""

    def press(self, key_name: str) -> bool: ...


class Voice(Protocol):
    """The speech worker as the frame loop sees it: asks that never wait."""

    def say(self, text: str) -> None: ...

    def tone(self, name: str) -> None: ...

    def hush(self) -> None: ...

    def seconds(self, text: str) -> float:
        """How long ``text`` sounds: measured on its rendered audio, else estimated."""
        ...

    def prepare(self, texts: Iterable[str]) -> None:
        """Render these lines ahead of need (never waits)."""
        ...

    def health(self) -> tuple[bool | None, str]:
        """Whether the voice renders now (None: switched off or not ready yet), and why not."""
        ...


class LogStore(Protocol):
    """The exercise log: what the shell reads for the home screen and hands the recorder."""

    def sessions(self, *, since: date | None = None,
                 limit: int | None = 20) -> Sequence[dict[str, Any]]: ...

    def backup_if_due(self) -> Any: ...

    def begin_session(self, *, slot: str, started_utc: datetime, plan_date: date) -> int: ...

    def session_so_far(self, plan_date: date, slot: str) -> dict[str, Any] | None: ...

    def for_person(self, person: str | None) -> LogStore:
        """The same log reading and writing one person's records (None: reading everyone's)."""
        ...


class Screen(Protocol):
    """Where views are painted and keys come from; ``present`` shows what the paints since the
    last present changed (nothing, when nothing did)."""

    surface: Any

    def paint(self, view: ScreenView) -> None: ...

    def poll(self) -> tuple[list[str], bool]: ...

    def present(self, awake: bool) -> None: ...
