"""Reminders: which session is due, and when the voice may say so (quiet hours span midnight)."""

from datetime import datetime, time, timedelta

import pytest

from kiosk import config
from kiosk.reminders import Reminder, is_quiet, reminder_due

SCHEDULE = {"morning": "09:00", "evening": "17:30", "quiet_start": "21:00",
            "quiet_end": "08:00", "reminders": True}
DAY = datetime(2025, 5, 1)


def at(hh_mm: str, **changes) -> Reminder | None:
    hours, minutes = map(int, hh_mm.split(":"))
    done = changes.pop("done", ())
    spoken = changes.pop("spoken", ())
    return reminder_due(DAY.replace(hour=hours, minute=minutes), {**SCHEDULE, **changes},
                        done, spoken)


@pytest.mark.parametrize(("clock", "quiet"), [
    ("20:59", False), ("21:00", True), ("23:59", True), ("00:00", True), ("07:59", True),
    ("08:00", False), ("12:00", False),
])
def test_quiet_hours_span_midnight(clock, quiet):
    assert is_quiet(time.fromisoformat(clock), "21:00", "08:00") is quiet


@pytest.mark.parametrize(("clock", "quiet"), [("12:59", False), ("13:00", True),
                                              ("14:59", True), ("15:00", False)])
def test_quiet_hours_within_a_day(clock, quiet):
    assert is_quiet(time.fromisoformat(clock), "13:00", "15:00") is quiet


def test_equal_quiet_times_mean_no_quiet_hours():
    assert not any(is_quiet(time(h, m), "22:00", "22:00") for h in range(24) for m in (0, 30))


def test_nothing_is_due_before_the_morning_time():
    assert at("08:59") is None


def test_the_morning_session_is_due_and_spoken_at_its_time():
    assert at("09:00") == Reminder("morning", "2025-05-01/morning",
                                   "Time for your morning stomps and stretches.", speak=True)


def test_a_done_session_is_not_due():
    assert at("12:00", done={"morning"}) is None


def test_the_evening_session_is_due_at_its_time():
    due = at("17:30", done={"morning"})
    assert (due.slot, due.key, due.speak) == ("evening", "2025-05-01/evening", True)


def test_a_missed_morning_gives_way_to_the_evening():
    assert at("18:00").slot == "evening"
    assert at("17:29").slot == "morning"


def test_a_reminder_already_spoken_is_shown_but_not_said_again():
    due = at("10:00", spoken={"2025-05-01/morning"})
    assert due.slot == "morning" and not due.speak


def test_a_reminder_due_in_quiet_hours_waits_for_them_to_end():
    early = {"morning": "07:30"}
    assert at("07:30", **early).speak is False
    assert at("08:00", **early).speak is True


def test_an_evening_reminder_in_quiet_hours_is_shown_silently():
    due = at("22:00")
    assert due.slot == "evening" and due.speak is False


def test_after_midnight_the_new_day_starts_with_nothing_due():
    assert reminder_due(DAY + timedelta(days=1, minutes=5), SCHEDULE, ()) is None


def test_reminders_can_be_switched_off():
    assert at("09:00", reminders=False) is None


def test_a_whole_day_speaks_each_reminder_once():
    """The idle screen polls every minute; the caller remembers what was spoken."""
    schedule = config.defaults().schedule  # the real config section works as the mapping
    spoken: set[str] = set()
    said = []
    t = DAY
    while t < DAY + timedelta(days=1):
        due = reminder_due(t, schedule, (), spoken)
        if due and due.speak:
            said.append(t.strftime("%H:%M"))
            spoken.add(due.key)
        t += timedelta(minutes=1)
    assert said == [schedule.morning, schedule.evening]
