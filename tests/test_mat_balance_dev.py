"""Recorded traces (PhysioNet walks, ``shared/data``): their standing openings give an even,
steady share and their walking has no one-leg stance or chair stand in it. What was measured
over every file is in docs/mat-sees.md; these check a few of each set quickly."""

from pathlib import Path

import pytest

from kiosk.mat.events import Landing
from kiosk.mat.replay import read_trace, replay
from kiosk.mat.watch import watch_trace

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FILES = [DATA / "gaitndd-dev" / f"{n}.csv" for n in ("als1", "als7", "control1", "control9")] + [
    DATA / "gaitpdb-dev" / f"{n}.csv" for n in ("GaCo01_01", "GaPt19_01")]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_standing_openings_are_even_and_steady_and_walking_is_neither(path):
    if not path.exists():
        pytest.skip(f"no {path}")
    trace = read_trace(path)
    cal, events = replay(trace, 1.5, None, "2026-01-01T00:00:00", 10_000, label=path.name)
    m = watch_trace(cal, trace.layout, trace.samples,
                    [(e.foot, e.peak_bw) for e in events if isinstance(e, Landing)])
    (opening,) = [s for s in m["steadiness"] if s["t"] < 5.2]
    assert 47.0 <= opening["share_left_pct"] <= 53.0
    assert opening["wobble_pp"] < 1.0  # the openings were made standing still
    assert m["stances"] == [] and m["chair_stands"] == 0
    # walking contacts: even in most people; GaPt19_01 (Parkinson's) lands 62 % on the left
    assert 40.0 <= m["landing_symmetry"]["left_share_pct"] <= 65.0


def test_replay_movements_prints_what_the_watchers_found_beside_the_old_summary(capsys):
    from tests.mat_support import parse

    path = DATA / "gaitndd-dev" / "control1.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    args = parse(["replay", "--json", "--movements", str(path)])
    assert args.func(args) == 0
    import json

    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["summary"]
    assert {"landings", "stomps", "cadence_spm", "faults"} <= set(summary)
    assert summary["movements"]["steadiness"][0]["share_left_pct"] == pytest.approx(50, abs=3)
    args = parse(["replay", "--table", "--movements", str(path)])
    assert args.func(args) == 0
    assert "quiet standing 2 s: left share" in capsys.readouterr().out
