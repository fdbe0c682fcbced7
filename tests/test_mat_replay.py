"""replay: CSV parsing and errors, the real gaitndd recordings, the command's output."""

import json
import os
import sys
from pathlib import Path

import pytest

from kiosk.errors import KioskError
from kiosk.mat.replay import Trace, read_trace, replay, replay_baseline, summarize
from kiosk.mat.sim import TraceBuilder, march, stomp
from tests.mat_support import parse

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "gaitndd-dev"
RECORDS = sorted(DATA.glob("*.csv"))
PDB = DATA.parent / "gaitpdb-dev"  # 100 Hz, Parkinson's disease and controls
PDB_RECORDS = sorted(PDB.glob("*.csv"))


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def require_recordings(records) -> None:
    """Skip without the shared recordings on a developer's machine; fail in CI, which has them."""
    if records:
        return
    why = (f"the shared gaitndd recordings are not at {DATA} (they sit beside the clone, in "
           "../shared/data/gaitndd-dev)")
    if in_ci():
        pytest.fail(f"{why}; CI is set, and CI must have them", pytrace=False)
    pytest.skip(why)


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
    ("t,left,right\n0,1,2\n0.2,1,2\n0.2,1,2\n", "line 4: time does not advance (0.2 s again)"),
    ("t,left,right\n0,1,2\n\n0,1,2\n", "line 4: time does not advance"),
    ("t,left,right\n0,1,2\n0.1,1\n", "line 3: 2 values"),
    ("t,left,right\n0,1,2000\n", "line 2: right 2000 is not an ADC count"),
    ("t,left,right\n", "line 2: no samples"),
])
def test_bad_csv_errors_name_the_line(tmp_path, text, needle):
    p = write(tmp_path, text)
    with pytest.raises(KioskError) as exc:
        read_trace(p)
    assert needle in str(exc.value) and "trace.csv" in str(exc.value)


def test_a_repeated_timestamp_is_not_called_going_backwards(tmp_path):
    p = write(tmp_path, "t,left,right\n0,1,2\n0.004,1,2\n0.004,1,2\n")
    with pytest.raises(KioskError) as exc:
        read_trace(p)
    assert "backwards" not in str(exc.value)


def test_a_utf8_bom_from_excel_is_read(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_bytes("\ufefft,left,right\r\n0,12,13\r\n0.004,14,15\r\n".encode())
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")
    tr = read_trace(p)
    assert tr.columns == ("t", "left", "right")
    assert tr.samples == [(0.0, (12, 13)), (0.004, (14, 15))]


def test_errors_after_a_bom_still_name_the_line(tmp_path):
    p = tmp_path / "excel.csv"
    p.write_bytes("\ufefft,left,right\r\n0,12,13\r\n0.004,x,15\r\n".encode())
    with pytest.raises(KioskError, match=r"excel\.csv: line 3: left 'x' is not a number"):
        read_trace(p)


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


@pytest.mark.parametrize("path", RECORDS + PDB_RECORDS or [None],
                         ids=[p.stem for p in RECORDS + PDB_RECORDS] or ["none"])
def test_real_recordings_count_contacts_per_foot(path):
    require_recordings(RECORDS)
    truth = json.loads(path.with_suffix(".json").read_text())
    _, events = replay(read_trace(path), 1.5)
    summary = summarize(events)
    tol = truth["contact_count_tolerance"]
    for foot in ("left", "right"):
        assert abs(summary["landings"][foot] - truth["contacts"][foot]) <= tol, foot
    if path.parent == DATA:  # gaitndd's walking never reaches a stomp (gaitpdb's heavy heel
        assert summary["stomps"] == {"left": 0, "right": 0}  # strikes may: no claim there)
    # drift may be flagged (please recalibrate), hardware faults may not
    assert {f["kind"] for f in summary["faults"]} <= {"drift"}


def test_gaitndd_has_all_29_recordings():
    require_recordings(RECORDS)
    assert len(RECORDS) == 29
    assert all(p.with_suffix(".json").is_file() for p in RECORDS)
    assert len(PDB_RECORDS) == 104  # 208 foot series
    assert all(p.with_suffix(".json").is_file() for p in PDB_RECORDS)


def dev_scores(records) -> dict[str, tuple[int, int, int]]:
    """(exact, within tolerance, series) for the detector and the simple counter."""
    out = {"detector": [0, 0, 0], "simple": [0, 0, 0]}
    for path in records:
        truth = json.loads(path.with_suffix(".json").read_text())
        trace = read_trace(path)
        ours = summarize(replay(trace, 1.5)[1])["landings"]
        simple = replay_baseline(trace).counts
        for name, got in (("detector", ours), ("simple", simple)):
            for foot in ("left", "right"):
                err = abs(got[foot] - truth["contacts"][foot])
                out[name][0] += err == 0
                out[name][1] += err <= truth["contact_count_tolerance"]
                out[name][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


@pytest.mark.slow
def test_dev_sets_all_within_one_ndd_all_exact_and_never_behind_the_simple_counter():
    require_recordings(RECORDS)
    for name, records in (("gaitndd-dev", RECORDS), ("gaitpdb-dev", PDB_RECORDS)):
        scores = dev_scores(records)
        exact, within, n = scores["detector"]
        assert within == n, (name, scores)
        if name == "gaitndd-dev":
            assert exact == n, (name, scores)
        s_exact, s_within, _ = scores["simple"]
        assert exact >= s_exact and within >= s_within, (name, scores)


@pytest.mark.parametrize("ci", ["true", "1"])
def test_missing_recordings_fail_in_ci(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="gaitndd recordings are not at"):
        require_recordings([])


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_missing_recordings_skip_for_a_developer(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="gaitndd recordings are not at"):
        require_recordings([])
    require_recordings(RECORDS or ["present"])  # nothing to say when they are there


def run(argv, capsys) -> str:
    args = parse(argv)
    assert args.func(args) == 0
    return capsys.readouterr().out


def run_cli(argv, capsys) -> list[dict]:
    return [json.loads(line) for line in run(argv, capsys).splitlines()]


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


def test_replay_default_off_a_terminal_is_json_lines(tmp_path, capsys):
    path = str(trace_file(tmp_path))
    default = run(["replay", path], capsys)  # capsys' stdout is not a TTY, like a pipe
    assert not sys.stdout.isatty()
    assert default == run(["replay", path, "--json"], capsys)
    lines = [json.loads(x) for x in default.splitlines()]
    assert all("event" in x for x in lines[:-1]) and set(lines[-1]) == {"summary"}


def test_replay_json_is_one_object_per_event_then_the_summary(tmp_path, capsys):
    path = trace_file(tmp_path)
    lines = run_cli(["replay", str(path), "--json"], capsys)
    events = replay(read_trace(path), 1.5)[1]
    assert len(lines) == len(events) + 1
    assert lines[-1] == {"summary": summarize(events)}
    assert [x["event"] for x in lines[:-1]] == [type(e).__name__.lower() for e in events]


def test_replay_table_is_readable_and_fits_80_columns(tmp_path, capsys):
    path = trace_file(tmp_path)
    out = run(["replay", str(path), "--table"], capsys)
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80
    assert lines[0] == "Events:" and lines[1].split() == ["t", "(s)", "event", "foot", "peak",
                                                           "BW", "stomp", "detail"]
    rows = [x.split() for x in lines if x.split()[1:2] == ["landing"]]
    summary = summarize(replay(read_trace(path), 1.5)[1])
    assert len(rows) == summary["landings"]["left"] + summary["landings"]["right"]
    assert rows[0][2:5] == ["left", rows[0][3], "yes"] and float(rows[0][3]) > 1.5
    assert rows[1][2] == "right" and rows[1][4] == "no"
    assert "Summary:" in lines and "faults: none" in lines
    assert any(x.split() == ["left", str(summary["landings"]["left"]), "1"] for x in lines)
    assert any(x.startswith("cadence: ") and x.endswith(" steps/min") for x in lines)
    assert not out.lstrip().startswith("{")


def test_replay_table_shows_faults_within_80_columns(tmp_path, capsys):
    tb = TraceBuilder(250).opening().add(march(100, 3))
    samples = tb.samples()
    n = len(samples)
    unplugged = [(t, (0, 0)) if n - 400 <= i < n - 100 else (t, c)
                 for i, (t, c) in enumerate(samples)]
    p = tmp_path / "unplugged.csv"
    p.write_text("t,left,right\n" + "".join(f"{t:.4f},{c[0]},{c[1]}\n" for t, c in unplugged))
    out = run(["replay", str(p), "--table"], capsys)
    assert max(map(len, out.splitlines())) <= 80
    assert "fault" in out and "no_mat" in out and "faults: none" not in out


def test_replay_on_a_terminal_defaults_to_the_table(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    path = str(trace_file(tmp_path))
    assert run(["replay", path], capsys).startswith("Events:\n")
    assert run(["replay", path, "--json"], capsys).startswith("{")


def test_replay_json_and_table_are_exclusive(tmp_path, capsys):
    with pytest.raises(SystemExit):
        parse(["replay", str(trace_file(tmp_path)), "--json", "--table"])
    assert "not allowed with" in capsys.readouterr().err


def test_replay_table_lists_each_foots_contact_times(tmp_path, capsys):
    path = trace_file(tmp_path)
    out = run(["replay", str(path), "--table"], capsys)
    lines = out.splitlines()
    events = replay(read_trace(path), 1.5)[1]
    start = lines.index("Contacts (landing times in s, to read against a truth file):")
    block = " ".join(lines[start + 1:start + 6])
    for foot in ("left", "right"):
        times = [f"{e.t:.3f}" for e in events if getattr(e, "foot", None) == foot
                 and type(e).__name__ == "Landing"]
        head = f"{foot} ({len(times)}):"
        assert head in block
        listed = block.split(head)[1].split(")")[0].split()
        assert listed[:len(times)] == times
    assert max(map(len, lines)) <= 80


def test_replay_baseline_adds_the_simple_counter_to_the_summary(tmp_path, capsys):
    path = str(trace_file(tmp_path))
    plain = run_cli(["replay", path, "--json"], capsys)[-1]["summary"]
    extended = run_cli(["replay", path, "--json", "--baseline"], capsys)[-1]["summary"]
    base = extended.pop("baseline")
    assert extended == plain  # extended, nothing renamed
    assert set(base["landings"]) == {"left", "right"}
    assert base["landings"] == replay_baseline(read_trace(path)).counts
    table = run(["replay", path, "--table", "--baseline"], capsys)
    assert (f"simple counter: left {base['landings']['left']}, right "
            f"{base['landings']['right']}") in table


@pytest.mark.slow
def test_gaitndd_at_100_hz_counts_exactly_too():
    """The counter must not depend on the rate: every third sample of the 300 Hz recordings."""
    require_recordings(RECORDS)
    wrong = []
    for path in RECORDS:
        truth = json.loads(path.with_suffix(".json").read_text())["contacts"]
        trace = read_trace(path)
        slow = Trace(trace.layout, trace.samples[::3], trace.columns)
        got = summarize(replay(slow, 1.5)[1])["landings"]
        wrong += [(path.stem, foot) for foot in ("left", "right") if got[foot] != truth[foot]]
    assert wrong == []
