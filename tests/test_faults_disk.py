"""A full or read-only SD card mid-session: the kiosk keeps coaching, says so once, holds what
was completed in memory and writes all of it when the disk is back (issue 13, point 2).

A real small filesystem (tmpfs of a few hundred kB, mounted as root) is filled and freed under
the real store; where mounting is not allowed the tests are skipped, saying why.
"""

import contextlib
import errno
import os
import subprocess
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from kiosk import config, problems
from kiosk.app import LOG_RETRY_S, App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.coach.steps import speaking_s
from kiosk.mat.link import MatLink
from kiosk.mat.sim import KeyboardMat
from kiosk.program.model import StepSpec
from kiosk.store.db import DeferredStore, Store, StoreError
from kiosk.store.records import Landed, SessionFinished, StepFinished, StepStarted
from kiosk.wiring import open_log

FPS = 30
STEPS = [StepSpec("stomp", "stomps", "Stomps", (), block="stomps", per_foot=4, target_bw=1.5),
         StepSpec("stretch", "calf", "Calf stretch", (), block="stretch", hold_s=20.0)]


def _mount(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if done.returncode:
        raise OSError(done.stderr.strip() or f"{cmd} failed")


@pytest.fixture
def small_fs(tmp_path):
    """A tmpfs of 512 kB (the new log, its backup and a session's write-ahead file fit, with
    room to spare); yields its folder and a function to remount it ro/rw."""
    where = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
    where.mkdir()
    try:
        _mount(["mount", "-t", "tmpfs", "-o", "size=512k,mode=0700", "tmpfs", str(where)])
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"cannot mount a small tmpfs here ({exc}); run as root")

    def remount(mode: str) -> None:
        _mount(["mount", "-o", f"remount,{mode}", str(where)])

    try:
        yield where, remount
    finally:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            _mount(["umount", "-l", str(where)])


def fill(folder: Path) -> Path:
    """Write a file until the filesystem says it is full."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


class HeardVoice:
    def __init__(self):
        self.said: list[str] = []

    def say(self, text):
        self.said.append(text)

    def tone(self, name):
        pass

    def hush(self):
        pass

    def seconds(self, text):
        return speaking_s(text)

    def prepare(self, texts):
        pass

    def health(self):
        return None, ""


def make_app(tmp_path, store):
    cfg = config.defaults().replace(profile={"impact_cleared": True})
    clock = FakeClock()
    mat = KeyboardMat(clock, rate_hz=250)
    link = MatLink.from_config(cfg, calibration=None, save_to=tmp_path / "calibration.json")
    from tests.test_app import calibration_for

    app = App(config=cfg, clock=clock, mat=mat, link=link, speech=HeardVoice(), store=store,
              steps_for=lambda slot: STEPS, keyboard=mat,
              wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
    app.link.use(calibration_for(app))
    return app, clock


def frames(app, clock, seconds):
    for _ in range(round(seconds * FPS)):
        clock.advance(1 / FPS)
        app.frame()


def stomps(app, clock, feet):
    for foot in feet:
        app.key(foot)
        frames(app, clock, 1.5)


def test_a_disk_full_mid_session_keeps_coaching_and_loses_nothing(small_fs, tmp_path):
    folder, _ = small_fs
    store = Store.open(folder / "log.sqlite", backup=False)
    app, clock = make_app(tmp_path, store)
    try:
        app.key("space")
        frames(app, clock, 2.0)
        assert app.mode == "session" and app.session.view.step.kind == "stomp"
        stomps(app, clock, ["left"])  # this one is on disk
        filler = fill(folder)
        stomps(app, clock, ["left", "left", "left", "right", "right"])
        assert app.mode == "session" and app.log_failed
        assert app.notice == problems.LOG_FULL  # said once, on screen
        held = len(app.recorder.pending)
        assert held >= 5  # the five landings at least wait in memory
        frames(app, clock, 2 * LOG_RETRY_S)  # still full: retries fail quietly, nothing lost
        assert len(app.recorder.pending) >= held
        filler.unlink()  # the helper frees space
        stomps(app, clock, ["right", "right"])
        frames(app, clock, 100)  # the lines in turn, the walk to the wall, the hold, the question
        assert app.mode in ("summary", "home") and not app.recorder.pending
        assert not app.log_failed and app.notice == ""
        (session,) = store.sessions()
        assert (session["stomps_left"], session["stomps_right"]) == (4, 4)
        assert session["status"] == "done" and session["holds"] == 1
        times = [r[0] for r in store._rows("SELECT created_utc FROM landings ORDER BY id")]
        assert times == sorted(times)  # each kept the time it was made, in order
    finally:
        store.close()


def test_a_step_whose_start_failed_no_longer_crashes_the_frame_loop(small_fs):
    """0.1.0: begin_step failed on a full disk, so the step had no row id, and the next landing
    raised KeyError out of the frame loop. Now the landing waits behind its step."""
    folder, _ = small_fs
    store = Store.open(folder / "log.sqlite", backup=False)
    try:
        r = Recorder(store, slot="morning", plan_date=date(2026, 11, 24))
        r.apply(Log(0, StepStarted("heel_stomp", "stomp", "stomps")))
        filler = fill(folder)
        errors = 0
        for i in range(3):
            with contextlib.suppress(Exception):
                r.apply(Log(1, StepStarted(f"x{i}", "stomp", "stomps")) if i == 0 else
                        Log(1, Landed("left", float(i), 2.0, True)))
                continue
            errors += 1
        assert errors == 3 and len(r.pending) == 3
        filler.unlink()
        r.apply(Log(1, StepFinished("done")))
        r.apply(Log(1, SessionFinished("done")))
        assert not r.pending
        (session,) = store.sessions()
        assert session["stomps_left"] == 2 and session["steps_total"] == 2
    finally:
        store.close()


def test_the_queue_is_bounded_and_the_oldest_records_are_the_ones_kept(tmp_path):
    store = Store.memory()
    store.close()  # a store that refuses every write
    r = Recorder(store, slot="morning", plan_date=date(2026, 11, 24), max_pending=3)
    for i in range(5):
        with contextlib.suppress(Exception):
            r.apply(Log(0, StepStarted(f"x{i}", "stomp", "stomps")))
    assert [p.log.record.exercise_id for p in r.pending] == ["x0", "x1", "x2"]
    assert r.lost == 2


def test_a_read_only_log_at_start_coaches_anyway_and_writes_when_it_can(small_fs, tmp_path):
    folder, remount = small_fs
    cfg = config.defaults().replace(storage={"data_dir": str(folder)})
    Store.open(folder / "log.sqlite", backup=False).close()
    remount("ro")
    try:
        store = open_log(cfg)
        assert isinstance(store, DeferredStore) and not store.opened
        assert str(folder / "log.sqlite") in store.notices[0]  # says where
        app, clock = make_app(tmp_path, store)
        app.key("space")
        frames(app, clock, 2.0)
        assert app.mode == "session"  # coaching, not a problem screen
        stomps(app, clock, ["left"] * 4)
        assert app.log_failed and len(app.recorder.pending) >= 5
    finally:
        remount("rw")
    stomps(app, clock, ["right"] * 4)
    frames(app, clock, 40)
    assert store.opened and not app.recorder.pending
    (session,) = store.sessions()
    assert (session["stomps_left"], session["stomps_right"]) == (4, 4)
    store.close()


def test_every_writer_and_read_the_kiosk_uses_works_on_a_log_not_opened_yet(tmp_path):
    """A log that cannot be opened answers every read as a new log would, and every writer
    method of the real store is one the stand-in opens the log for (no AttributeError later)."""
    from kiosk.store import _deferred

    def failing():
        raise StoreError("read-only")

    store = DeferredStore(failing, tmp_path / "log.sqlite", "read-only")
    assert store.chair_test_dates() == (None, None)
    assert store.session_so_far(date(2026, 11, 24), "evening") is None
    writers = {n for n in dir(Store) if n.startswith(("add_", "begin_", "finish_"))}
    assert writers <= set(_deferred._WRITES), writers - set(_deferred._WRITES)


def test_a_household_kiosk_starts_on_a_log_not_opened_yet(tmp_path):
    """Each person's view of the stand-in is made without recursing (``copy.copy`` probed
    ``__getattr__`` on a view not yet built), reads as an empty log, and shares the log once
    it opens: records then land as that person's."""
    from kiosk.store.records import SessionFinished, StepStarted

    state = {"ok": False}
    path = tmp_path / "log.sqlite"

    def opener():
        if not state["ok"]:
            raise StoreError("read-only")
        return Store.open(path, backup=False)

    store = DeferredStore(opener, path, "read-only")
    everyone, anna = store.for_person(None), store.for_person("anna")
    assert (everyone.person, anna.person, store.person) == (None, "anna", "me")
    assert anna.sessions() == [] and not anna.opened
    with pytest.raises(StoreError):
        anna.begin_session(slot="morning", started_utc=datetime(2026, 11, 24, 8, 0),
                           plan_date=date(2026, 11, 24))
    state["ok"] = True
    rec = Recorder(anna, slot="morning", plan_date=date(2026, 11, 24))
    rec.apply(Log(0, StepStarted(exercise_id="heel_stomp", kind="stomp", block="stomps")))
    rec.apply(Log(0, SessionFinished(status="done")))
    assert everyone.opened and [s["person"] for s in everyone.sessions()] == ["anna"]
    store._real().close()
