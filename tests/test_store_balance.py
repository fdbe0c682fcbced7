"""The mat's balance and chair records: through the recorder into a real log file, out again
in ``report --json`` (against the chair test's published norms) and in ``export``."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk import config as config_mod
from kiosk.cli import main
from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.paths import xdg_config_file
from kiosk.store import db
from kiosk.store.balance_report import build, render, sections
from kiosk.store.db import Store
from kiosk.store.norms import chair_norm
from kiosk.store.records import (
    BalanceHeld,
    ChairRep,
    ChairTested,
    Landed,
    SessionFinished,
    SteadinessMeasured,
    StepFinished,
    StepStarted,
)

TODAY = date.today()


def _session(store, day, share, stomp_left=2.4, stomp_right=1.6):
    at = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    r = Recorder(store, slot="morning", plan_date=day, utc_now=lambda: at)
    r.apply(Log(0, StepStarted("calibration", "calibrate", "")))
    r.apply(Log(0, SteadinessMeasured("weigh_in", share, 1.1, 2.0)))  # no step row: a weigh-in
    r.apply(Log(0, StepFinished("done")))
    r.apply(Log(1, StepStarted("heel_stomp", "stomp", "stomps")))
    for k in range(4):
        r.apply(Log(1, Landed("left", k, stomp_left, True)))
        r.apply(Log(1, Landed("right", k + 0.5, stomp_right, True)))
    r.apply(Log(1, StepFinished("done")))
    r.apply(Log(2, StepStarted("one_leg_stand", "balance", "balance")))
    r.apply(Log(2, SteadinessMeasured("balance", share + 1, 1.5, 4.0)))
    r.apply(Log(2, BalanceHeld("right", 12.5, 20.0, 3, 30.0)))
    r.apply(Log(2, BalanceHeld("left", 8.0, 15.0, 3, 30.0)))
    r.apply(Log(2, StepFinished("done")))
    r.apply(Log(3, StepStarted("sit_to_stand", "strength", "strength")))
    r.apply(Log(3, ChairRep(1, 1, 1.1, 1.4, 3.2)))
    r.apply(Log(3, ChairRep(1, 2, 0.9, 1.2, 2.9)))
    r.apply(Log(3, StepFinished("done", {"counted_by": "mat"})))
    r.apply(Log(4, StepStarted("chair_stand_test", "chair_test", "checkin")))
    r.apply(Log(4, ChairTested(11, 30.0)))
    r.apply(Log(4, StepFinished("done")))
    r.apply(Log(4, SessionFinished("done")))


@pytest.fixture
def logged():
    cfg = xdg_config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f"[profile]\nimpact_cleared = true\nbirth_year = {TODAY.year - 72}\n"
                   'sex = "female"\n')
    path = db.store_path(config_mod.load())
    store = Store.open(path)
    for back in (9, 5, 1):
        _session(store, TODAY - timedelta(days=back), 64.0)
    store.close()
    return path


def test_report_carries_balance_symmetry_and_the_chair_test_against_its_norm(logged, capsys,
                                                                             tmp_path):
    assert main(["report", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "mat" not in report  # one shape: the figures live in their sections only
    balance, chair = report["balance"], report["chair_stands"]
    assert balance["status"] == "recorded" and chair["status"] == "recorded"
    week = [w for w in balance["steadiness"] if w["readings"]][-1]
    assert 64.0 <= week["share_left_pct"] <= 65.0
    assert {(f["what"], f["heavier"]) for f in balance["imbalances"]} == {("standing", "left"),
                                                                         ("stomps", "left")}
    stomps = [w for w in balance["stomp_symmetry"] if w["left_share_pct"] is not None][-1]
    assert stomps["left_share_pct"] == 60.0
    assert max(w["best_right_s"] or 0 for w in balance["stances"]) == 12.5
    assert max(w["best_left_s"] or 0 for w in balance["stances"]) == 8.0
    assert sum(w["reps"] for w in chair["weeks"]) == 6
    test = chair["tests"][-1]
    assert (test["stands"], test["ages"], test["normal_low"], test["normal_high"],
            test["verdict"]) == (11, "70-74", 10, 15, "within")
    assert "Rikli" in chair["norms_source"] and chair["age"] == 72
    assert main(["report"]) == 0
    text = capsys.readouterr().out
    top = text[:text.index("Last session")]
    assert "IMBALANCE: standing: more weight on the left" in top  # with the pain flags
    words = " ".join(text.split())
    assert "chair stand test" in text and "normal for females aged 70-74: 10-15" in words
    assert "Balance: not recorded yet" not in text and "Chair stands: not" not in text
    page = tmp_path / "report.html"
    assert main(["report", "--html", str(page)]) == 0
    html = page.read_text()
    flags = html[html.index('class="flags"'):html.index("</section>")]
    assert "Lasting imbalance" in flags and "more weight on the left" in flags
    assert "Balance times and steadiness: not recorded yet" not in html
    assert "12.5 s" in html and "8.0 s" in html and "70-74: 10-15 (within)" in html
    assert "Rikli &amp; Jones" in html and html.count("<svg") >= 3


def test_export_writes_the_new_tables(logged, tmp_path, capsys):
    assert main(["export", "--csv", str(tmp_path / "out")]) == 0
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"balance_holds.csv", "steadiness.csv", "chair_reps.csv", "chair_tests.csv"} <= names
    assert (tmp_path / "out" / "steadiness.csv").read_text().count("\n") == 7  # header + 6
    capsys.readouterr()
    assert main(["export", "--json", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["stands"] for r in doc["tables"]["chair_tests"]] == [11, 11, 11]
    assert {r["moment"] for r in doc["tables"]["steadiness"]} == {"weigh_in", "balance"}


def test_chair_norms_by_age_and_sex():
    assert chair_norm(62, "male").low == 14 and chair_norm(62, "male").high == 19
    assert chair_norm(91, "female").verdict(3) == "below"
    assert chair_norm(80, "female").verdict(15) == "above"
    assert chair_norm(55, "female") is None and chair_norm(70, "") is None
    assert chair_norm(95, "male") is None


def test_no_flag_for_a_few_or_mixed_readings():
    weeks = [TODAY - timedelta(days=TODAY.weekday())]
    day = TODAY.isoformat()
    rows = {"steadiness": [(day, "weigh_in", 62.0, 1.0), (day, "weigh_in", 61.0, 1.0)],
            "landings": [(day, "left", 2.0, 1), (day, "right", 2.0, 1)]}
    assert build(rows, weeks, TODAY).imbalances == ()
    rows["steadiness"].append((day, "balance", 55.0, 1.0))
    assert build(rows, weeks, TODAY).imbalances == ()
    rows["steadiness"].append((day, "balance", 35.0, 1.0))
    assert build(rows, weeks, TODAY).imbalances == ()
    empty = sections(build({}, weeks, TODAY))  # nothing measured: said so, in one shape
    assert (empty["balance"]["status"], empty["chair_stands"]["status"]) == ("not_recorded",) * 2
    assert render(empty["balance"], empty["chair_stands"]) == [
        "Balance: not recorded yet", "Chair stands: not recorded yet"]


def test_a_wrong_profile_sex_is_one_clear_line(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[profile]\nsex = "f"\nbirth_year = "1950"\n')
    assert main(["config", "check", "--config", str(cfg)]) != 0
    got = capsys.readouterr()
    err = got.out + got.err
    assert "profile.sex" in err and "profile.birth_year" in err and "Traceback" not in err


def test_the_chair_test_is_offered_monthly_at_the_end_of_an_evening_session():
    from kiosk.clock import FixedWallClock
    from kiosk.program.checkins import chair_test_due
    from kiosk.wiring import steps_provider

    assert chair_test_due(TODAY, None, None)
    assert not chair_test_due(TODAY, TODAY - timedelta(days=27), TODAY - timedelta(days=27))
    assert chair_test_due(TODAY, TODAY - timedelta(days=28), TODAY - timedelta(days=28))
    assert not chair_test_due(TODAY, None, TODAY - timedelta(days=3))  # skipped: a week later
    store = Store.memory()
    cfg = config_mod.defaults()
    wall = FixedWallClock(datetime(TODAY.year, TODAY.month, TODAY.day, 18, 0))
    steps_for = steps_provider(cfg, store, wall)
    assert steps_for("evening")[-1].kind == "chair_test"
    assert all(s.kind != "chair_test" for s in steps_for("morning"))
    _session(store, TODAY - timedelta(days=2), 50.0)  # a test counted two days ago
    assert store.chair_test_dates() == (TODAY - timedelta(days=2),) * 2
    assert all(s.kind != "chair_test" for s in steps_for("evening"))
    store.close()
