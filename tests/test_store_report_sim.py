"""The report against two simulated weeks of real sessions (``report_sim``): what the person did,
day by day, is what the report says, in text, JSON and CSV alike."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from report_sim import FIRST, TODAY, build, config_file

from kiosk.cli import main
from kiosk.store import sections
from kiosk.store.db import open_reader
from kiosk.store.reports import GLYPHS

WEEK1, WEEK2, WEEK3 = FIRST, FIRST + timedelta(days=7), FIRST + timedelta(days=14)


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sim")
    build(folder / "log.sqlite")
    return folder, config_file(folder, folder)


def _run(capsys, cfg, *argv: str) -> str:
    assert main(["report", "--config", str(cfg), "--today", TODAY.isoformat(), *argv]) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def report(sim):
    from kiosk import config as config_mod
    from kiosk.store.commands import _names, collect_report
    from kiosk.store.reports import Prescription

    folder, cfg = sim
    config = config_mod.load(str(cfg))
    reader = open_reader(folder / "log.sqlite")
    try:
        rx = Prescription.from_config(config, stomps_allowed=True)
        return collect_report(reader, rx, TODAY, names=_names(), person=config.profile.name)
    finally:
        reader.close()


def _marks(report, block: str, monday: date) -> str:
    week = next(w for w in report["weeks"] if w["start"] == monday.isoformat())
    return "".join(GLYPHS[d["blocks"][block]["mark"]] for d in week["days"])


def _day(report, day: date) -> dict:
    return next(d for w in report["weeks"] for d in w["days"] if d["date"] == day.isoformat())


def test_a_block_is_done_only_when_its_dose_was_met(report):
    # Thu 12: the evening's right foot reached the target 3 times of 4: part, not done.
    # Fri 13: the evening was stopped after its stomps: they count, the strength is part.
    # Mon 16: the morning crashed and was run again (one morning), no evening: part.
    # Thu 19: nothing at all. Tue 24 (today): the morning only, so still open.
    assert _marks(report, "stomps", WEEK1) == "✓✓✓◐✓✓✓"
    assert _marks(report, "stomps", WEEK2) == "◐✓✓✗✓✓✓"
    assert _marks(report, "stomps", WEEK3) == "✓○     "
    assert _marks(report, "strength", WEEK1) == "✓·✓·◐··"
    assert _marks(report, "strength", WEEK2) == "✗·✓·✓··"
    assert _marks(report, "extensor", WEEK1) == "✓✓✓✓✓✗✓"  # skipped on Saturday 14
    assert _marks(report, "extensor", WEEK2) == "✓✓✓✗✓✓✓"  # the crash day's redo counts
    assert _marks(report, "stretch", WEEK1) == "✓✓✓✓◐✓✓"  # the stopped evening never got there
    assert _marks(report, "cardio_high", WEEK2) == "·✓·✗·✓·"
    assert _day(report, date(2026, 11, 12))["blocks"]["stomps"]["count"] == 1


def test_each_slot_counts_once_and_a_stopped_session_counts_what_it_did(report):
    crash_day = _day(report, date(2026, 11, 16))["blocks"]
    assert crash_day["stomps"] == {"count": 1, "due": 2, "mark": "part"}
    assert crash_day["extensor"] == {"count": 1, "due": 1, "mark": "done"}
    stopped = _day(report, date(2026, 11, 13))["blocks"]
    assert stopped["stomps"] == {"count": 2, "due": 2, "mark": "done"}
    assert stopped["strength"]["mark"] == "part"


def test_days_not_yet_come_are_not_counted(report):
    this_week = report["weeks"][-1]["summary"]
    assert this_week["stomps"] == {"status": "open", "met": 1, "of": 2}
    assert this_week["extensor"] == {"status": "open", "met": 2, "of": 2}
    assert report["weeks"][-2]["summary"]["stomps"] == {"status": "missed", "met": 5, "of": 7}


def test_what_the_helper_asks_first(report):
    assert report["person"] == "Margaret"
    assert report["last_session"] == {"date": TODAY.isoformat(), "slot": "morning",
                                      "start": report["last_session"]["start"],
                                      "status": "done", "minutes": report["last_session"]
                                      ["minutes"], "steps_done": 4, "steps_total": 4}
    assert report["missed_days"] == ["2026-11-19"]
    flags = report["pain"]["flags"]
    assert [(f["name"], f["kind"]) for f in flags] == [("Front of hip stretch", "repeated")]
    assert [p["date"] for p in report["pain"]["hurt"]] == ["2026-11-18", "2026-11-20"]
    assert [p["date"] for p in report["pain"]["unanswered"]] == ["2026-11-15"]


def test_skipped_and_short_exercises_say_why_by_name(report):
    skipped = [(s["date"], s["name"], s["status"]) for s in report["skipped"]]
    assert skipped == [("2026-11-13", "Sit to stand", "stopped"),
                       ("2026-11-14", "Tall at the wall", "skipped"),
                       ("2026-11-16", "Tall at the wall", "interrupted")]
    (short,) = report["short_of_dose"]
    assert short["date"] == "2026-11-12" and short["name"] == "Heel stomps"
    assert "right 1/4" in short["what"]  # four tries a foot, one of them at the target


def test_stomp_share_cadence_and_body_weight_strength(report):
    right = report["stomp_force"]["right"]["weeks"]
    week1 = next(w for w in right if w["start"] == WEEK1.isoformat())
    # 13 full sets of 4 stomps at target, and the partial evening's 1 of its 4 tries
    assert (week1["stomps"], week1["landings"]) == (13 * 4 + 1, 13 * 4 + 4)
    assert week1["at_target_share"] == round(53 / 56, 2)
    by_name = {r["name"]: r for r in report["strength"]}
    heel = next(w for w in by_name["Heel raises"]["weeks"] if w["start"] == WEEK1.isoformat())
    assert by_name["Heel raises"]["body_weight"] and (heel["sets"], heel["reps"]) == (4, 12)
    squat = by_name["Sit to stand"]["weeks"]
    assert [w["max_kg"] for w in squat[-3:]] == [4.0, 5.0, 6.0]
    brisk = next(r for r in report["cadence"] if r["block"] == "cardio_high")["weeks"]
    assert brisk[-3]["mean_spm"] == pytest.approx(115, abs=3)
    assert brisk[-3]["minutes"] == pytest.approx(3 * 1.5, abs=0.1)


def test_the_sql_history_judges_days_as_the_report_does(sim):
    folder, _ = sim
    reader = open_reader(folder / "log.sqlite")
    try:
        in_sql = reader.dose_days(TODAY + timedelta(days=1))
        in_python = sections.block_days(reader.step_facts())
    finally:
        reader.close()
    assert [tuple(r) for r in in_sql] == in_python
    assert ("2026-11-12", "stomps", 1, 1) in in_python


def test_text_json_and_csv_agree(capsys, sim, report):
    _, cfg = sim
    text = _run(capsys, cfg)
    lines = text.splitlines()
    assert max(map(len, lines)) <= 80
    assert lines[0].startswith("Report for Margaret: the week of 23 Nov 2026")
    assert lines[2].startswith("PAIN FLAGS: Front")
    assert "Heel raises" in text and "heel_raise" not in text
    heel = next(line for line in lines if line.startswith("Heel raises"))
    assert heel.split()[-4:] == ["4×3", "2×3", "-", "same"]
    assert "◐✓✓✗✓✓✓" in text and "1/2 ○" in text
    assert "Days with nothing done: 1: 19 Nov" in text
    assert text.index("IMBALANCE: standing: more weight on the left") < text.index("Last session")
    balance = text[text.index("Balance (weekly medians"):]
    assert "one leg, best L/R s:  -/-  -/-  9/16  12.5/23  13/24" in balance
    assert "chair stand test 2026-11-12: 9 stands in 30 s; normal for females aged" in balance
    assert "Rikli & Jones" in balance
    data = json.loads(_run(capsys, cfg, "--json"))
    assert data["weeks"] == report["weeks"] and data["strength"] == report["strength"]
    assert [t["verdict"] for t in data["chair_stands"]["tests"]] == ["below", "within"]
    steady = [w["share_left_pct"] for w in data["balance"]["steadiness"]][-2:]
    wobble = [w["wobble_pp"] for w in data["balance"]["steadiness"]][-2:]
    assert steady[0] > steady[1] > 60 and wobble[0] > wobble[1]  # steadier, still leaning left
    assert data["balance"]["imbalances"][0]["heavier"] == "left"
    rows = list(csv.DictReader(io.StringIO(_run(capsys, cfg, "--csv"))))
    assert {"person": "me", "date": "2026-11-12", "block": "stomps", "label": "stomps",
            "count": "1", "due": "2", "mark": "part"} in rows
    assert max(r["date"] for r in rows) == TODAY.isoformat()  # no future days


def test_log_steps_reads_as_words(capsys, sim):
    _, cfg = sim
    assert main(["log", "--config", str(cfg), "--steps", "--since", "2026-11-12",
                 "--limit", "0"]) == 0
    out = capsys.readouterr().out
    assert "{" not in out and "[" not in out and "peaks_bw" not in out
    assert "stomps at target L 4/4 R 1/4, 8 landings" in out
    assert "held right 20 s, left 20 s; no answer" in out
    assert "reps by set 3, 1 (2×3 due) at 4 kg" in out
    assert "Heel raises" in out
