"""End to end: `osteo-kiosk demo` in a subprocess under SDL's dummy drivers, then read its log."""

import json
import os
import sqlite3
import subprocess
import sys

import pytest


@pytest.mark.slow
def test_demo_runs_a_real_session_and_leaves_it_in_the_log(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy",
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    env.pop("OSTEO_KIOSK_CONFIG", None)
    profile = tmp_path / "cfg" / "osteo-kiosk" / "config.toml"
    profile.parent.mkdir(parents=True)
    profile.write_text("[profile]\nimpact_cleared = false\n")  # the person is not cleared
    shots = tmp_path / "shots"
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--speed", "20", "--screenshots", str(shots),
         "--size", "800x480", "--json"],
        capture_output=True, text=True, timeout=240, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["status"] == "done" and result["slot"] == "demo"

    db = tmp_path / "data" / "osteo-kiosk" / "demo" / "demo.sqlite"
    assert result["log_path"] == str(db) and str(db) in proc.stdout
    assert not (tmp_path / "data" / "osteo-kiosk" / "log.sqlite").exists()  # not the person's
    assert profile.read_text() == "[profile]\nimpact_cleared = false\n"  # left as it was
    conn = sqlite3.connect(db)
    sessions = conn.execute("SELECT id, person, slot, status FROM sessions").fetchall()
    # the first simulated person's session, then the second person stepped on, was recognised
    # by their weight, confirmed with a tap and did a short session of their own
    second = result["second"]
    assert sessions == [(result["id"], "anna", "demo", "done"), (second["id"], "bert", "demo",
                                                                 "done")]
    assert result["people"] == ["anna", "bert"]
    assert [s["exercise_id"] for s in second["steps"]] == ["stomps"]  # no weigh-in: matched
    bert_stomps = conn.execute("SELECT COUNT(*) FROM landings m JOIN steps st ON st.id = "
                               "m.step_id WHERE st.session_id = ? AND m.stomp = 1",
                               (second["id"],)).fetchone()[0]
    assert bert_stomps == 4
    stomps = dict(conn.execute(
        "SELECT foot, COUNT(*) FROM landings m JOIN steps st ON st.id = m.step_id "
        "WHERE m.stomp = 1 AND st.session_id = ? GROUP BY foot", (result["id"],)).fetchall())
    # the simulated person's first stomp is soft on purpose: logged, not a stomp, and one of
    # the four tries the dose allows on that foot
    assert stomps == {"left": 3, "right": 4}
    soft = conn.execute("SELECT COUNT(*) FROM landings m JOIN steps st ON st.id = m.step_id "
                        "WHERE m.stomp = 0 AND st.session_id = ?", (result["id"],)).fetchone()[0]
    assert soft == 1
    peaks = [p for (p,) in conn.execute("SELECT peak_bw FROM landings WHERE stomp = 1")]
    assert all(1.5 <= p <= 4.0 for p in peaks)
    holds = conn.execute("SELECT held_s, target_s FROM holds JOIN steps ON steps.id = step_id "
                         "WHERE steps.kind = 'stretch'").fetchall()
    assert len(holds) >= 1
    for held_s, target_s in holds:
        assert 20 <= target_s <= 30
        assert target_s <= held_s <= target_s + 0.5  # measured on the clock, not assumed
    # Anna's weigh-in; Bert's reference followed his recognised standing a bounded step
    weigh_ins = conn.execute("SELECT person, data FROM calibrations ORDER BY id").fetchall()
    assert [p for p, _ in weigh_ins] == ["anna", "bert"]
    assert "followed_standing" in json.loads(weigh_ins[1][1])
    assert conn.execute("SELECT hurt FROM pain").fetchall() == [(0,)]

    # what the mat sees: a one-leg stance per side, mat-counted chair stands, the chair test
    assert {side for (side,) in conn.execute("SELECT side FROM balance_holds WHERE timed_by = "
                                             "'mat' AND best_s > 2")} == {"left", "right"}
    assert conn.execute("SELECT COUNT(*) FROM chair_reps").fetchone()[0] == 3
    assert 8 <= conn.execute("SELECT stands FROM chair_tests").fetchone()[0] <= 14
    stances = conn.execute("SELECT side, held_s, target_s FROM holds JOIN steps ON steps.id = "
                           "step_id WHERE steps.kind = 'balance'").fetchall()
    assert {side for side, _, _ in stances} == {"left", "right"}  # the program's holds too
    assert all(2 < held_s <= target_s for _, held_s, target_s in stances)
    moments = {m for (m,) in conn.execute("SELECT moment FROM steadiness")}
    assert moments == {"weigh_in", "balance"}

    names = sorted(p.name for p in shots.glob("*.png"))
    for screen in ("calibrate", "stomp", "balance-stance", "strength-reps", "chair_test-count",
                   "stretch", "summary", "who"):
        assert any(screen in n for n in names), names
    assert all((shots / n).stat().st_size > 2000 for n in names)
    assert "No display found" in proc.stderr

    # as a new user reads it: `log --demo --steps`, each person under their own heading
    read = subprocess.run([sys.executable, "-m", "kiosk", "log", "--demo", "--steps"],
                          capture_output=True, text=True, timeout=60, env=env)
    assert read.returncode == 0, read.stderr
    assert "== Anna (--person anna) ==" in read.stdout
    assert "== Bert (--person bert) ==" in read.stdout
    assert "stomps at target L 3/4 R 4/4" in read.stdout and " stands in 30 s" in read.stdout
    assert "one leg L " in read.stdout
    assert not set("{}[]'") & set(read.stdout)  # words, not Python values
