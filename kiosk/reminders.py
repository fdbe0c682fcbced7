"""When to remind: the morning and evening sessions, on screen and by voice, never in quiet hours.

No daemon: the kiosk's idle screen calls :func:`reminder_due` every few seconds with the local
time, the ``[schedule]`` settings, which of today's sessions are done and which reminders were
already spoken. It is a pure function, so a test can walk through a whole day in microseconds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

SLOTS = ("morning", "evening")


@dataclass(frozen=True, slots=True)
class Reminder:
    """A session that is due: show ``text`` now; say it aloud only when ``speak`` is True.

    ``key`` (``"2025-05-01/evening"``) names the slot; the caller adds it to ``spoken`` after
    saying it, so each reminder is spoken once per slot and day.
    """

    slot: str
    key: str
    text: str
    speak: bool


def clock_time(hh_mm: str) -> time:
    """``"21:00"`` (the config's form) as a ``datetime.time``."""
    hours, minutes = hh_mm.split(":")
    return time(int(hours), int(minutes))


def is_quiet(at: time, quiet_start: str, quiet_end: str) -> bool:
    """True inside quiet hours; ``21:00``-``08:00`` spans midnight; equal times mean none."""
    start, end = clock_time(quiet_start), clock_time(quiet_end)
    if start == end:
        return False
    if start < end:
        return start <= at < end
    return at >= start or at < end


def reminder_due(now: datetime, schedule: Mapping[str, Any], done: Collection[str],
                 spoken: Collection[str] = (), what: str = "stomps and stretches",
                 person: str = "") -> Reminder | None:
    """The reminder to show at local time ``now``, or None when nothing is due.

    ``schedule`` is the ``[schedule]`` config section; ``done`` holds today's finished slots
    (``"morning"``, ``"evening"``). The latest slot whose time has come is the one due, until
    midnight; a missed morning gives way to the evening. Quiet hours keep the voice silent (the
    screen still shows it), and a reminder due in quiet hours is spoken when they end.
    ``person``: whose reminder it is in a household (each is spoken once for each person).
    """
    if not schedule.get("reminders", True):
        return None
    passed = [s for s in SLOTS if now.time() >= clock_time(schedule[s])]
    if not passed or passed[-1] in done:
        return None
    slot = passed[-1]
    key = f"{now.date().isoformat()}/{slot}" + (f"/{person}" if person else "")
    quiet = is_quiet(now.time(), schedule["quiet_start"], schedule["quiet_end"])
    return Reminder(slot=slot, key=key, text=f"Time for your {slot} {what}.",
                    speak=not quiet and key not in spoken)


def next_slot(now: datetime, schedule: Mapping[str, Any], done: Collection[str]) -> str:
    """The session a step onto the mat starts at local time ``now``: the schedule decides, not
    the hour. The earliest of today's sessions not done whose time has come (so a missed
    morning can still be done in the afternoon or evening, before the evening one); with none
    of those, the latest whose time has come again (an extra session never uses up one not
    yet due, so its reminder still comes); before any is due, the first not done."""
    todo = [s for s in SLOTS if s not in done]
    passed = [s for s in SLOTS if now.time() >= clock_time(schedule[s])]
    due = [s for s in todo if s in passed]
    if due:
        return due[0]
    if passed:
        return passed[-1]
    return todo[0] if todo else SLOTS[0]
