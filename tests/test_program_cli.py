"""`osteo-kiosk plan` and `osteo-kiosk onerm` through the real entry point."""

import json
import sys
import types

import pytest

from kiosk.cli import main


@pytest.fixture
def config_file(tmp_path):
    def write(text):
        path = tmp_path / "config.toml"
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_prints_today_and_the_week_within_80_columns(capsys):
    code, out, err = run(capsys, "plan", "--date", "2024-06-03")
    assert code == 0 and err == ""
    assert out.startswith("Plan for Monday 3 June 2024\n")
    assert "Morning, 09:00" in out and "Evening, 17:30" in out
    assert "Why: " in out
    week = out.split("The week\n")[1].splitlines()
    assert week[0].split() == ["day", "morning", "evening"]
    assert [line.split()[0] for line in week[2:9]] == ["Mon", "Tue", "Wed", "Thu", "Fri",
                                                      "Sat", "Sun"]
    assert max(len(line) for line in out.splitlines()) <= 80


def test_plan_shows_why_impact_work_is_missing_and_when_to_stop(capsys):
    _, out, _ = run(capsys, "plan", "--date", "2024-06-03")
    assert "No stomps yet" in out and "Every day:" in out
    assert "fracture history unknown (counted as yes)" in out
    assert "When to stop: Stop at once if you feel sharp or new pain in your back." in out
    assert "Yoga and Pilates" in out and "can help keep bones strong" in out


def plan_json(capsys, *argv):
    code, out, err = run(capsys, "plan", "--date", "2024-06-03", "--json", *argv)
    assert code == 0 and err == ""
    return json.loads(out)


def week_blocks(data):
    """Per day: the blocks and the exercise ids."""
    return [([b["block"] for s in d["sessions"] for b in s["blocks"]],
             {e["id"] for s in d["sessions"] for b in s["blocks"] for e in b["exercises"]})
            for d in data["week"]]


def test_plan_json_with_no_config_is_the_articles_dose_without_impact(capsys, monkeypatch,
                                                                     tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no config file anywhere
    monkeypatch.delenv("OSTEO_KIOSK_CONFIG", raising=False)
    data = plan_json(capsys)
    assert data["profile"]["fracture_history"] == "unknown"
    assert data["profile"]["treated_as_fracture"] is True
    days = week_blocks(data)
    brisk = [d for d, _ in days if "cardio_high" in d]
    assert 2 <= len(brisk) <= 3
    assert all("balance" in blocks for blocks, _ in days)
    assert all("extensor" in blocks for blocks, _ in days)
    ids = set().union(*(i for _, i in days))
    assert {"seated_back_lift", "seated_brace", "band_row", "brisk_march"} <= ids
    assert not any("stomps" in blocks for blocks, _ in days)
    assert "jog_in_place" not in ids and "heel_stomp" not in ids
    assert data["stop_rules"][0].startswith("Stop at once if you feel sharp or new pain")


def test_plan_json_cleared_without_fracture_stomps_twice_a_day(capsys, config_file):
    path = config_file('[profile]\nfracture_history = "no"\nimpact_cleared = true\n'
                       'impact_cleared_by = "Dr Ames, physiotherapist"\n'
                       'impact_cleared_on = "2024-05-02"\n')
    data = plan_json(capsys, "--config", path)
    assert data["profile"] | {"impact_cleared_by": "Dr Ames, physiotherapist",
                              "impact_cleared_on": "2024-05-02"} == data["profile"]
    assert all(blocks.count("stomps") == 2 for blocks, _ in week_blocks(data))
    assert data["today"] == data["week"][0]
    assert [d["date"] for d in data["week"]][::6] == ["2024-06-03", "2024-06-09"]


def test_plan_json_fracture_and_clearance_without_override_has_no_stomps(capsys, config_file):
    path = config_file('[profile]\nfracture_history = "yes"\nimpact_cleared = true\n')
    data = plan_json(capsys, "--config", path)
    assert not any("stomps" in blocks for blocks, _ in week_blocks(data))
    assert any("dated override" in n for n in data["today"]["notes"])


def test_plan_catalogue_lists_tags_and_refusals(capsys, config_file):
    path = config_file('[profile]\nfracture_history = "yes"\n')
    code, out, _ = run(capsys, "plan", "--catalogue", "--config", path)
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    row = next(line for line in out.splitlines() if line.startswith("seated_twist"))
    assert row.split()[-1] == "refused" and "rotation" in row
    assert "seated_twist: it twists the trunk" in out
    code, out, _ = run(capsys, "plan", "--catalogue", "--json", "--config", path)
    rows = {r["id"]: r for r in json.loads(out)}
    assert rows["toe_touch"]["allowed"] is False and "forward" in rows["toe_touch"]["reason"]
    assert rows["seated_back_lift"] | {"allowed": True, "use": "in plan", "reason": None} \
        == rows["seated_back_lift"]
    assert rows["wall_press"]["use"] == "later" and rows["wall_press"]["ladder"] == "back_extensor"
    assert rows["prone_back_lift"]["use"] == "refused"
    assert "floor" in rows["prone_back_lift"]["reason"]
    assert rows["jog_in_place"]["use"] == "refused"


def test_plan_refuses_an_unsafe_include_in_one_line(capsys, config_file):
    path = config_file('[program]\ninclude = ["toe_touch"]\n')
    code, out, err = run(capsys, "plan", "--config", path)
    assert code == 1 and out == ""
    assert err.count("\n") == 1
    assert "toe_touch (Toe touch) is refused: it bends the spine forward" in err


def test_plan_bad_date_is_a_usage_error(capsys):
    code, out, err = run(capsys, "plan", "--date", "2024-13-01")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'2024-13-01' is not a date (use YYYY-MM-DD)" in err


def test_onerm_table(capsys):
    code, out, _ = run(capsys, "onerm", "10", "10")
    assert code == 0
    assert "One-rep max (the mean): 13.3 kg" in out
    assert "70-80% of it: 9.3 to 10.7 kg" in out
    assert "Target: 10 kg" in out and "Add --exercise" in out


def test_onerm_json(capsys):
    code, out, _ = run(capsys, "onerm", "20", "5", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["epley_kg"], data["brzycki_kg"], data["estimate_kg"]) == (23.33, 22.5, 22.92)
    assert data["target_kg"] == 10.0 and data["fit"] == "below_range"
    assert data["exercise"] is None and data["saved"] is False


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["onerm", "10", "12"], 1, "12 repetitions is too many"),
    (["onerm", "10", "1"], 1, "1 repetition is a maximal lift"),
    (["onerm", "0", "5"], 1, "weight 0 kg is not possible"),
    (["onerm", "ten", "5"], 2, "argument WEIGHT: invalid float value"),
    (["onerm", "10", "5", "--exercise", "wall_pres"], 1, "did you mean 'wall_press'?"),
    (["onerm", "10", "5", "--exercise", "wall_press"], 1, "wall_press is not a strength"),
    (["onerm", "10", "5", "--exercise", "sit_up"], 1, "sit_up (Sit-ups and crunches) is refused"),
])
def test_onerm_bad_input_is_one_line(capsys, argv, code, message):
    got, out, err = run(capsys, *argv)
    assert got == code and out == ""
    assert err.startswith("osteo-kiosk: ") and err.count("\n") == 1
    assert message in err


def test_onerm_saves_through_the_store(capsys, monkeypatch):
    calls = []
    fake = types.ModuleType("kiosk.store.db")
    fake.save_onerm = lambda *a, person: calls.append((*a, person))
    monkeypatch.setitem(sys.modules, "kiosk.store.db", fake)
    code, out, _ = run(capsys, "onerm", "5", "8", "--exercise", "wrist_curl", "--json")
    assert code == 0 and json.loads(out)["saved"] is True
    (call,) = calls
    assert call[6] == "me"  # the one person of a config without people
    assert call[1:4] == ("wrist_curl", 5.0, 8)
    assert call[4] == pytest.approx(6.2701, abs=1e-4) and call[5] == 5.0  # 79.7 %
    assert hasattr(call[0], "program")  # the Config


def test_onerm_without_a_store_still_prints_and_says_so(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "kiosk.store.db", None)  # import fails
    code, out, _ = run(capsys, "onerm", "5", "8", "--exercise", "wrist_curl")
    assert code == 0
    assert "Target: 5 kg" in out and "Not saved" in out


@pytest.mark.parametrize("command", ["plan", "onerm"])
def test_help_text(capsys, command):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "--json" in out and "--config" in out


def test_onerm_target_reaches_the_strength_step_through_the_real_store(capsys, tmp_path):
    """onerm -> the store room's log -> session_steps: the strength step shows the target."""
    db = pytest.importorskip("kiosk.store.db")
    if not hasattr(db, "save_onerm"):
        pytest.skip("the store's save_onerm is not built yet")
    from datetime import date

    from kiosk.config import load
    from kiosk.program.catalogue import load_catalogue
    from kiosk.program.plan import day_plan, session_steps

    path = tmp_path / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    assert main(["onerm", "4", "8", "--exercise", "wrist_curl", "--config", str(path)]) == 0
    assert "Kept for wrist_curl" in capsys.readouterr().out
    cfg = load(path)
    reader = db.open_reader(db.store_path(cfg))
    try:
        targets = reader.latest_onerm_targets()
    finally:
        reader.close()
    assert targets == {"wrist_curl": 4.0}
    cat = load_catalogue()
    steps = session_steps(day_plan(cfg, cat, date(2024, 6, 3)), "evening", cfg, cat, targets)
    assert {s.exercise_id: s.load_kg for s in steps if s.kind == "strength"}["wrist_curl"] == 4.0
