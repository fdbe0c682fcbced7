"""replay: CSV parsing and errors, the real gaitndd recordings, the command's output."""

import argparse
import json
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.mat import commands
from kiosk.mat.replay import read_trace, replay, summarize
from kiosk.mat.sim import TraceBuilder, march, stomp

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gaitndd-dev"
RECORDS = sorted(DATA.glob("*.csv"))


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "trace.csv"
    p.write_text(text)
    return p


@pytest.mark.parametrize("text,needle", [
    ("", "line 1"),
    ("t,left\n0,1\n", "line 1: missing column 'right'"),
    ("t,left,right,foo\n0,1,2,3\n", "line 1: unknown column 'foo'"),
    ("t,left,right\n0,1,2\n0.1,x,2\n", "line 3: left 'x' is not a number"),
    ("t,left,right\n0,1,2\nabc,1,2\n", "line 3: t 'abc' is not a number"),
    ("t,left,right\n0,1,2\n0.2,1,2\n0.1,1,2\n", "line 4: time goes backwards"),
    ("t,left,right\n0,1,2\n0.1,1\n", "line 3: 2 values"),
    ("t,left,right\n0,1,2000\n", "line 2: right 2000 is not an ADC count"),
    ("t,left,right\n", "line 2: no samples"),
])
def test_bad_csv_errors_name_the_line(tmp_path, text, needle):
    p = write(tmp_path, text)
    with pytest.raises(KioskError) as exc:
        read_trace(p)
    assert needle in str(exc.value) and "trace.csv" in str(exc.value)


def test_extra_zone_columns_make_two_sensors_per_foot(tmp_path):
    p = write(tmp_path, "t,left,right,left2,right2\n0,1,2,3,4\n0.004,5,6,7,8\n")
    tr = read_trace(p)
    assert tr.layout.channels == (0, 2, 1, 3)
    assert tr.samples[0] == (0.0, (1, 3, 2, 4))  # left channels, then right channels


def test_a_trace_without_an_opening_cannot_calibrate(tmp_path):
    p = write(tmp_path, "t,left,right\n" + "".join(f"{i / 250},{i % 500},3\n"
                                                    for i in range(500)))
    with pytest.raises(KioskError, match="cannot calibrate"):
        replay(read_trace(p), 1.5)


@pytest.mark.skipif(not RECORDS, reason="shared gaitndd recordings not present")
@pytest.mark.parametrize("path", RECORDS, ids=[p.stem for p in RECORDS])
def test_real_recordings_count_contacts_per_foot(path):
    truth = json.loads(path.with_suffix(".json").read_text())
    _, events = replay(read_trace(path), 1.5)
    summary = summarize(events)
    tol = truth["contact_count_tolerance"]
    for foot in ("left", "right"):
        assert abs(summary["landings"][foot] - truth["contacts"][foot]) <= tol, foot
    assert summary["stomps"] == {"left": 0, "right": 0}  # walking is not stomping
    # drift may be flagged (please recalibrate), hardware faults may not
    assert {f["kind"] for f in summary["faults"]} <= {"drift"}


def test_gaitndd_has_all_29_recordings():
    assert len(RECORDS) == 29 or not RECORDS


def run_cli(argv, capsys) -> list[dict]:
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers())
    args = parser.parse_args(argv)
    assert args.func(args) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def trace_file(tmp_path) -> Path:
    tb = TraceBuilder(250).opening().add(stomp("left", 2.5), stomp("right", 1.0, rise_s=0.03),
                                         march(100, 5))
    p = tmp_path / "session.csv"
    p.write_text("t,left,right\n" + "".join(f"{t:.4f},{c[0]},{c[1]}\n"
                                            for t, c in tb.samples()))
    return p


def test_replay_command_prints_json_lines_then_a_summary(tmp_path, capsys):
    lines = run_cli(["replay", str(trace_file(tmp_path))], capsys)
    summary = lines[-1]["summary"]
    lands = [x for x in lines if x.get("event") == "landing"]
    assert set(lands[0]) == {"t", "event", "foot", "peak_bw", "stomp"}
    assert lands[0]["foot"] == "left" and lands[0]["stomp"] is True
    assert lands[1]["foot"] == "right" and lands[1]["stomp"] is False
    assert summary["stomps"] == {"left": 1, "right": 0}
    assert summary["landings"]["left"] >= 3 and summary["cadence_spm"] is not None
    assert summary["faults"] == []


def test_replay_target_and_saved_calibration(tmp_path, capsys):
    path = trace_file(tmp_path)
    cal, _ = replay(read_trace(path), 1.5)
    cal.save(tmp_path / "cal.json")
    lines = run_cli(["replay", str(path), "--calibration", str(tmp_path / "cal.json"),
                     "--target-bw", "3.9"], capsys)
    summary = lines[-1]["summary"]
    assert summary["stomps"] == {"left": 0, "right": 0}
    # with a saved calibration the opening's own step-on is a landing on each foot
    auto = summarize(replay(read_trace(path), 3.9)[1])
    assert summary["landings"]["left"] == auto["landings"]["left"] + 1
