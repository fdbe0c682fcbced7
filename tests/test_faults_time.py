"""A Pi without a real-time clock (issue 13, point 4): the log orders by insertion, files a
session that starts "before" its neighbours under a sane day with a note, and ``t_s`` is
seconds into the step, as docs/store.md says (migration 5 converts 0.1.0's raw values)."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk.coach.engine import Session
from kiosk.coach.events import Log, Tick
from kiosk.mat.events import Landing
from kiosk.program.model import StepSpec
from kiosk.store.db import MIGRATIONS, Store, migrate
from kiosk.store.records import CalibrationMade, Landed, OneRepMaxTested, StepStarted

T0 = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


def test_the_newest_one_rep_max_wins_even_when_the_clock_was_set_back(store):
    store.add_onerm(OneRepMaxTested("wrist_curl", 5.0, 8, 6.3, 4.7), created_utc=T0)
    back = T0 - timedelta(days=3)  # booted without NTP: the clock reads three days ago
    store.add_onerm(OneRepMaxTested("wrist_curl", 6.0, 8, 7.6, 5.7), created_utc=back)
    assert store.latest_onerm_targets() == {"wrist_curl": 5.7}
    store.add_calibration(CalibrationMade({"n": 1}), created_utc=T0)
    store.add_calibration(CalibrationMade({"n": 2}), created_utc=back)
    assert store.latest_calibration() == {"n": 2}


def test_a_session_started_days_early_is_filed_with_its_neighbours_and_a_note(store):
    store.begin_session(slot="morning", started_utc=T0, plan_date=date(2026, 11, 24))
    back = T0 - timedelta(days=3, hours=-9)
    sid = store.begin_session(slot="evening", started_utc=back, plan_date=date(2026, 11, 21))
    newest = store.sessions()[0]
    assert newest["id"] == sid and newest["plan_date"] == "2026-11-24"
    (note,) = store.incidents()
    assert note["kind"] == "clock" and "2026-11-21" in note["detail"]
    assert newest["minutes"] is None or newest["minutes"] >= 0  # never "-1439 min"


def test_a_clock_going_forward_files_normally_without_a_note(store):
    store.begin_session(slot="morning", started_utc=T0, plan_date=date(2026, 11, 24))
    store.begin_session(slot="morning", started_utc=T0 + timedelta(days=2),
                        plan_date=date(2026, 11, 26))
    assert [s["plan_date"] for s in store.sessions()] == ["2026-11-26", "2026-11-24"]
    assert store.incidents() == []


def test_a_session_whose_end_reads_before_its_start_has_no_negative_minutes(store):
    from kiosk.store.records import SessionFinished

    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=date(2026, 11, 24))
    store.finish_session(sid, SessionFinished("done"), ended_utc=T0 - timedelta(minutes=1439))
    assert store.sessions()[0]["minutes"] is None


def test_landing_t_s_is_seconds_into_the_step_whatever_the_mat_clock_reads():
    spec = StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=1, target_bw=1.5)
    s = Session([spec], pause_after_off_s=5.0, stop_after_pause_s=60.0)
    base = 86_400.0 * 40  # the monotonic clock of a Pi up for forty days
    effects = s.handle(Tick(base))
    effects += s.handle(Tick(base + 2.0))
    effects += s.handle(Tick(base + 7.5)) + s.handle(Landing(base + 7.5, "left", 2.0, True))
    (landed,) = [e.record for e in effects if isinstance(e, Log) and isinstance(e.record, Landed)]
    assert 7.0 <= landed.t_s <= 7.5


def test_migration_5_turns_raw_monotonic_t_s_into_seconds_into_the_step(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    migrate(conn, MIGRATIONS[:4])
    conn.execute("INSERT INTO sessions (slot, plan_date, started_utc) "
                 "VALUES ('morning', '2026-11-24', '2026-11-24T08:00:00.000Z')")
    conn.execute("INSERT INTO steps (session_id, exercise_id, kind, block, started_utc) "
                 "VALUES (1, 'stomp', 'stomp', 'stomps', '2026-11-24T08:00:01.000Z')")
    conn.execute("INSERT INTO landings (step_id, foot, t_s, peak_bw, stomp, created_utc) "
                 "VALUES (1, 'left', 3456789.25, 2.0, 1, '2026-11-24T08:00:04.500Z')")
    assert migrate(conn, MIGRATIONS[:5]) == ["landing_t_s_into_step"]
    assert conn.execute("SELECT t_s FROM landings").fetchone()[0] == pytest.approx(3.5)
    conn.close()


def test_a_killed_session_and_its_running_step_are_closed_as_interrupted(tmp_path):
    """The store side of resume: at start-up the step left running is closed as interrupted at
    its last record, and today's session so far says what was done and logged."""
    from kiosk.store.records import StepFinished

    path = tmp_path / "log.sqlite"
    store = Store.open(path, backup=False)
    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=date(2026, 11, 24))
    done = store.begin_step(sid, StepStarted("stomp", "stomp", "stomps"), at=T0)
    store.add_landing(done, Landed("left", 1.0, 2.0, True), at=T0)
    store.finish_step(done, StepFinished("done"), at=T0 + timedelta(seconds=30))
    cut = store.begin_step(sid, StepStarted("calf", "stretch", "stretch"),
                           at=T0 + timedelta(seconds=40))
    from kiosk.store.records import Held

    store.add_hold(cut, Held("left", 30.0, 30.0), at=T0 + timedelta(seconds=75))
    store._conn.execute("UPDATE sessions SET owner = 'another-boot:1'")  # the process is gone
    store._conn.close()  # a power cut: nothing finished, nothing closed
    again = Store.open(path, backup=False)
    try:
        so_far = again.session_so_far(date(2026, 11, 24), "morning")
        assert so_far["status"] == "interrupted" and so_far["id"] == sid
        assert [(s["exercise_id"], s["status"]) for s in so_far["steps"]] == [
            ("stomp", "done"), ("calf", "interrupted")]
        assert so_far["steps"][1]["ended_utc"] == "2026-11-24T08:01:15.000Z"
        assert so_far["steps"][1]["logged"]["holds"] == 1
        assert so_far["steps"][0]["logged"]["landings"] == 1
        assert again.session_so_far(date(2026, 11, 24), "evening") is None
    finally:
        again.close()


def test_migration_6_lets_a_step_be_interrupted_and_keeps_every_row(tmp_path):
    conn = sqlite3.connect(tmp_path / "old.sqlite", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    migrate(conn, MIGRATIONS[:5])
    conn.execute("INSERT INTO sessions (slot, plan_date, started_utc) "
                 "VALUES ('morning', '2026-11-24', '2026-11-24T08:00:00.000Z')")
    conn.execute("INSERT INTO steps (session_id, exercise_id, kind, block, started_utc) "
                 "VALUES (1, 'stomp', 'stomp', 'stomps', '2026-11-24T08:00:01.000Z')")
    conn.execute("INSERT INTO landings (step_id, foot, t_s, peak_bw, stomp, created_utc) "
                 "VALUES (1, 'left', 3.5, 2.0, 1, '2026-11-24T08:00:04.500Z')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE steps SET status = 'interrupted'")
    assert migrate(conn, MIGRATIONS[:6]) == ["step_interrupted"]
    conn.execute("UPDATE steps SET status = 'interrupted'")
    assert migrate(conn) == [m.name for m in MIGRATIONS[6:]]  # later ones keep the rows too
    assert conn.execute("SELECT COUNT(*) FROM landings JOIN steps ON steps.id = step_id "
                        "").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):  # references still hold after the rebuild
        conn.execute("INSERT INTO landings (step_id, foot, t_s, peak_bw, stomp, created_utc) "
                     "VALUES (9, 'left', 1.0, 2.0, 1, 'x')")
    conn.close()
