"""Write tests/data/log-0.1.0.sql: a log made by osteo-kiosk 0.1.0's own Store (git 8e24e1e).

Run from a checkout of 0.1.0 unpacked with `git archive 8e24e1e kiosk | tar -x -C /tmp/k010`:
`python tests/data/make_log_010.py > tests/data/log-0.1.0.sql`. Not a test module."""
import sqlite3
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, "/tmp/k010")
from kiosk.store.db import Store

path = Path("/tmp/log010.sqlite")
path.unlink(missing_ok=True)
t = [datetime(2026, 11, 2, 8, 0, tzinfo=UTC)]


def now():
    t[0] += timedelta(seconds=7)
    return t[0]


s = Store.open(path, now=now)
for day in (2, 3):
    t[0] = datetime(2026, 11, day, 8, 0, tzinfo=UTC)
    sid = s.begin_session(slot="morning", started_utc=now(), plan_date=date(2026, 11, day))
    st = s.begin_step(sid, exercise_id="heel_stomp", kind="stomp", block="stomps",
                      target={"per_foot": 4, "target_bw": 1.5})
    for k, foot in enumerate(["left", "left", "right", "right"]):
        s.add_landing(st, foot=foot, t_s=1000.0 + k, peak_bw=1.4 + 0.1 * k, stomp=k > 0)
    s.finish_step(st, status="done", achieved={"left": 1, "right": 2})
    st = s.begin_step(sid, exercise_id="goblet_squat", kind="strength", block="strength",
                      target={"sets": 2, "reps": 8, "load_kg": 4.0})
    s.add_set(st, set_no=1, reps=8, load_kg=4.0)
    s.add_set(st, set_no=2, reps=7, load_kg=4.0)
    s.finish_step(st, status="done", achieved={"sets": 2})
    st = s.begin_step(sid, exercise_id="calf_stretch", kind="stretch", block="stretch",
                      target={"hold_s": 25})
    s.add_hold(st, side="left", held_s=25.0, target_s=25.0)
    s.add_pain(st, hurt=day == 3)
    s.finish_step(st, status="done", achieved={})
    st = s.begin_step(sid, exercise_id="march", kind="cardio", block="cardio_low",
                      target={"target_spm": 90})
    s.add_interval(st, seconds=60.0, steps=92, cadence_spm=92.0, target_spm=90.0)
    s.finish_step(st, status="done", achieved={})
    s.finish_session(sid, status="done", ended_utc=now())
s.add_calibration(created_utc=now(), data={"bw_conductance": 0.61, "baseline_counts": [3, 4]})
s.add_onerm(exercise_id="goblet_squat", weight_kg=5.0, reps=8, estimate_kg=6.3, target_kg=4.5,
            created_utc=now())
s.close()
conn = sqlite3.connect(path)
print("-- A log written by osteo-kiosk 0.1.0's own Store (git 8e24e1e, schema 3): two morning")
print("-- sessions, a calibration and a one-rep max; tests/make_log_010.py made it. Do not edit.")
for line in conn.iterdump():
    print(line)
