"""``osteo-kiosk log``, ``report`` and ``export`` through ``kiosk.cli.main``."""

import csv
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk import config as config_mod
from kiosk.cli import build_parser, main
from kiosk.paths import xdg_config_file
from kiosk.store import db
from kiosk.store.db import Store
from kiosk.store.export import COLUMNS
from kiosk.store.records import (
    CalibrationMade,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    SessionFinished,
    SetDone,
    StepFinished,
    StepStarted,
)

TODAY = date.today()


@pytest.fixture
def path():
    return db.store_path(config_mod.defaults())


@pytest.fixture
def logged(path):
    """Two days of sessions ending today, with every kind of record."""
    _config(True)
    store = Store.open(path)
    for back in (1, 0):
        day = TODAY - timedelta(days=back)
        start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        sid = store.begin_session(slot="morning", started_utc=start, plan_date=day)
        step = store.begin_step(sid, StepStarted(exercise_id="stomp", kind="stomp",
                                                 block="stomps", target={"per_foot": 4}))
        for foot in ("left", "right"):
            store.add_landing(step, Landed(foot=foot, t_s=1.0, peak_bw=1.7, stomp=True))
        store.finish_step(step, StepFinished(status="done", achieved={"left": 1, "right": 1}))
        step = store.begin_step(sid, StepStarted(exercise_id="goblet_squat", kind="strength",
                                                 block="strength", target={"reps": 8}))
        store.add_set(step, SetDone(set_no=1, reps=8, load_kg=4.0 + back))
        store.add_pain(step, PainAnswered(hurt=back == 0))
        store.finish_step(step, StepFinished(status="done", achieved={"sets": 1}))
        store.finish_session(sid, SessionFinished(status="done"),
                             ended_utc=start + timedelta(minutes=12))
    store.add_calibration(CalibrationMade(data={"bw": [0.4, 0.41]}), created_utc=datetime.now(UTC))
    store.add_onerm(OneRepMaxTested(exercise_id="goblet_squat", weight_kg=6, reps=8,
                                    estimate_kg=7.6, target_kg=5.5), created_utc=datetime.now(UTC))
    store.close()
    return path


def _config(impact: bool) -> None:
    cfg = xdg_config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f"[profile]\nimpact_cleared = {'true' if impact else 'false'}\n"
                   'fracture_history = "no"\n')


def _utc(day: date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}:00.000Z"


STRENGTH = ("sit_to_stand", "reverse_wrist_curl", "wall_push_up")


def _five_weeks(path, impact: bool) -> None:
    """Five weeks of a realistic routine ending today: morning and evening sessions with stomps,
    stretches, the extensor, cardio, strength three days a week with rising
    loads, now and then "it hurt", a saturated landing, and one demo session."""
    sessions, steps, landings, holds, sets, intervals, pain = [], [], [], [], [], [], []
    first = TODAY - timedelta(days=34)
    for n in range(35):
        day = first + timedelta(days=n)
        for hour, slot in ((7, "morning"), (18, "evening")):
            if (n * 7 + hour) % 11 == 0:
                continue  # a missed session now and then
            sid = len(sessions) + 1
            sessions.append((sid, slot, day.isoformat(), _utc(day, hour), _utc(day, hour, 25),
                             "done"))
            # stomps are logged either way (a clearance can be withdrawn): every section shows
            plan = [("heel_stomp", "stomp", "stomps"), ("wall_back_lengthen", "stretch", "stretch"),
                    ("prone_back_lift", "extensor", "extensor")]
            if slot == "morning":
                brisk = day.weekday() in (1, 3, 5)  # brisk marching is for everyone
                plan.append(("brisk_march" if brisk else "march_in_place", "cardio",
                             "cardio_high" if brisk else "cardio_low"))
                if day.weekday() in (0, 2, 4):
                    plan += [(ex, "strength", "strength") for ex in STRENGTH]
            for ex, kind, block in plan:
                step = len(steps) + 1
                steps.append((step, sid, ex, kind, block, '{"sets": 2}', '{"done": true}',
                              "done", _utc(day, hour, 1), _utc(day, hour, 4)))
                at = _utc(day, hour, 3)
                if block == "stomps":
                    for i in range(20):
                        landings.append((step, ("left", "right")[i % 2], i * 1.5,
                                         1.2 + (n % 7) * 0.08 + (i % 3) * 0.05, int(i % 5 != 0),
                                         int(i == 7 and n == 3), at))
                elif block in ("stretch", "extensor"):
                    holds += [(step, side, 28.5, 30.0, at) for side in ("left", "right")]
                elif block.startswith("cardio"):
                    intervals.append((step, 60.0, 110 + n, 110.0 + n, 120.0, at))
                else:
                    for set_no in (1, 2):
                        sets.append((step, set_no, 8, 2.0 + n // 7 * 0.5, at))
                pain.append((step, int((n + hour + step) % 29 == 0), at))
    store = Store.open(path)
    store.bulk_insert("sessions", ("id", "slot", "plan_date", "started_utc", "ended_utc",
                                   "status"), sessions)
    store.bulk_insert("steps", ("id", "session_id", "exercise_id", "kind", "block", "target",
                                "achieved", "status", "started_utc", "ended_utc"), steps)
    store.bulk_insert("landings", ("step_id", "foot", "t_s", "peak_bw", "stomp", "saturated",
                                   "created_utc"), landings)
    store.bulk_insert("holds", ("step_id", "side", "held_s", "target_s", "created_utc"), holds)
    store.bulk_insert("strength_sets", ("step_id", "set_no", "reps", "load_kg", "created_utc"),
                      sets)
    store.bulk_insert("intervals", ("step_id", "seconds", "steps", "cadence_spm", "target_spm",
                                    "created_utc"), intervals)
    store.bulk_insert("pain", ("step_id", "hurt", "created_utc"), pain)
    _demo_session(store, TODAY)
    store.close()


def _demo_session(store: Store, day: date) -> None:
    start = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    sid = store.begin_session(slot="demo", started_utc=start, plan_date=day)
    step = store.begin_step(sid, StepStarted(exercise_id="heel_stomp", kind="stomp",
                                             block="stomps", target={"per_foot": 2}))
    for foot in ("left", "right", "left", "right"):
        store.add_landing(step, Landed(foot=foot, t_s=1.0, peak_bw=3.9, stomp=True))
    store.add_pain(step, PainAnswered(hurt=False))
    store.finish_step(step, StepFinished(status="done", achieved={"left": 2, "right": 2}))
    store.finish_session(sid, SessionFinished(status="done"),
                         ended_utc=start + timedelta(minutes=3))


def _one_line_error(capsys, code: int, argv: list[str], words: str) -> None:
    assert main(argv) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and words in err, err


@pytest.mark.parametrize("argv", [["log"], ["report"], ["export", "--csv-dir", "x"]])
def test_a_missing_log_is_one_clear_sentence(capsys, path, argv):
    _one_line_error(capsys, 1, argv, f"no sessions logged yet at {path}")


def test_a_damaged_log_is_one_sentence_for_readers(capsys, path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all " * 100)
    _one_line_error(capsys, 1, ["report"], "is damaged")
    assert path.read_bytes().startswith(b"not a database")  # readers never repair


@pytest.mark.parametrize("argv", [["log", "--since", "13/05/2024"],
                                  ["report", "--week-of", "last week"],
                                  ["export", "--json-file", "-", "--since", "2024-02-30"],
                                  ["log", "--limit", "many"]])
def test_bad_option_values_are_one_line_and_exit_1(capsys, logged, argv):
    _one_line_error(capsys, 1, argv, "--")


def test_log_prints_a_table_that_fits_80_columns(capsys, logged):
    assert main(["log"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["date", "slot", "start", "min", "status", "steps", "stomps",
                                "sets", "holds", "hurt"]
    assert lines[2].split()[:2] == [TODAY.isoformat(), "morning"]
    assert "12" in lines[2].split() and "done" in lines[2].split()
    assert max(map(len, lines)) <= 80 and "\x1b[" not in out


def test_log_json_since_and_limit(capsys, logged):
    assert main(["log", "--json"]) == 0
    sessions = json.loads(capsys.readouterr().out)
    assert [s["plan_date"] for s in sessions] == [TODAY.isoformat(),
                                                  (TODAY - timedelta(days=1)).isoformat()]
    assert sessions[0]["steps"][1]["exercise_id"] == "goblet_squat" and sessions[0]["pain"] == 1
    assert main(["log", "--json", "--since", TODAY.isoformat()]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["log", "--json", "--limit", "1"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_log_steps_lists_each_step_under_its_session(capsys, logged):
    assert main(["log", "--steps", "--limit", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3].split()[:2] == ["stomp", "done"]  # not in the catalogue: its id, readable
    assert lines[4].split()[:3] == ["goblet", "squat", "done"]
    assert "{" not in "\n".join(lines) and "[" not in "\n".join(lines)


def test_an_empty_log_says_so(capsys, path):
    Store.open(path).close()
    assert main(["log"]) == 0
    assert capsys.readouterr().out.strip() == f"no sessions logged yet at {path}"


def test_report_text_and_json(capsys, logged):
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80 and "\x1b[" not in out
    assert "Stomp force by week" in out and "goblet squat" in out and "it hurt" in out
    assert main(["report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    today = data["weeks"][-1]["days"][TODAY.weekday()]
    assert today["date"] == TODAY.isoformat()
    # one stomp a foot of the four prescribed: below the dose, so not done, only part done
    assert today["blocks"]["stomps"] == {"count": 0, "due": 2, "mark": "open"}
    yesterday = next(d for w in data["weeks"] for d in w["days"]
                 if d["date"] == (TODAY - timedelta(days=1)).isoformat())
    assert yesterday["blocks"]["stomps"]["mark"] == "part"
    assert data["strength"][0]["target_kg"] == 5.5
    assert data["stomp_force"]["left"]["weeks"][-1]["mean_bw"] == 1.7 or \
        data["stomp_force"]["left"]["weeks"][-2]["mean_bw"] == 1.7


@pytest.mark.parametrize("impact", [True, False], ids=["impact_cleared", "not_cleared"])
def test_report_fits_80_columns_with_every_section(capsys, path, impact):
    _config(impact)
    _five_weeks(path, impact)
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert max(map(len, lines)) <= 80, [line for line in lines if len(line) > 80]
    assert "\x1b[" not in out
    for section in ("Prescribed:", "MTWTFSS", "Week totals", "Streaks now (longest):",
                    "Stomp force by week", "daily left", "Strength: heaviest set",
                    "Reverse wrist curls", "Pain: \"it hurt\"", "Marching: steps/min",
                    "Skipped or cut short", "Chair stands: not recorded yet"):
        assert section in out, section
    assert ("profile.impact_cleared" in out) is not impact
    assert "3.90" not in out  # the demo's simulated stomps are not the person's


def test_report_for_an_earlier_week(capsys, logged):
    assert main(["report", "--json", "--week-of", (TODAY - timedelta(days=70)).isoformat()]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(w["summary"]["stomps"]["status"] == "not_started" for w in data["weeks"])


def test_export_csv_has_the_documented_columns(tmp_path, capsys, logged):
    folder = tmp_path / "clinic"
    assert main(["export", "--csv-dir", str(folder)]) == 0
    assert "strength_sets.csv" in capsys.readouterr().out
    for table, columns in COLUMNS.items():
        with open(folder / f"{table}.csv", newline="") as fh:
            rows = list(csv.reader(fh))
        assert tuple(rows[0]) == columns, table
    with open(folder / "landings.csv", newline="") as fh:
        landings = list(csv.DictReader(fh))
    assert len(landings) == 4 and landings[0]["exercise_id"] == "stomp"
    assert landings[0]["slot"] == "morning"
    assert landings[0]["peak_bw"] == "1.7" and landings[0]["created_utc"].endswith("Z")


def test_export_json_to_a_file_and_to_stdout(tmp_path, capsys, logged):
    dest = tmp_path / "export.json"
    assert main(["export", "--json-file", str(dest), "--since", TODAY.isoformat()]) == 0
    doc = json.loads(dest.read_text())
    assert doc["format"] == "osteo-kiosk-export"
    assert len(doc["tables"]["sessions"]) == 1
    assert doc["tables"]["steps"][0]["target"] == {"per_foot": 4}
    assert doc["tables"]["calibrations"][0]["data"] == {"bw": [0.4, 0.41]}
    capsys.readouterr()
    assert main(["export", "--json-file", "-"]) == 0
    assert len(json.loads(capsys.readouterr().out)["tables"]["sessions"]) == 2


def test_export_leaves_demo_sessions_out_unless_asked_and_every_row_has_its_slot(
        tmp_path, capsys, logged):
    store = Store.open(logged)
    _demo_session(store, TODAY)
    store.close()
    folder = tmp_path / "clinic"
    assert main(["export", "--csv-dir", str(folder)]) == 0
    assert "1 demo session left out (--include-demo to add them)" in capsys.readouterr().out
    for table in ("sessions", "steps", "landings", "holds", "strength_sets", "intervals", "pain"):
        with open(folder / f"{table}.csv", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert {r["slot"] for r in rows} <= {"morning"}, table
    with open(folder / "landings.csv", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 4

    assert main(["export", "--csv-dir", str(folder), "--include-demo"]) == 0
    assert "left out" not in capsys.readouterr().out
    with open(folder / "landings.csv", newline="") as fh:
        landings = list(csv.DictReader(fh))
    assert len(landings) == 8
    assert [r["peak_bw"] for r in landings if r["slot"] == "demo"] == ["3.9"] * 4
    with open(folder / "pain.csv", newline="") as fh:
        assert [r["slot"] for r in csv.DictReader(fh)].count("demo") == 1

    assert main(["export", "--json-file", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["include_demo"] is False and len(doc["tables"]["sessions"]) == 2
    assert all(r["slot"] == "morning" for r in doc["tables"]["landings"])
    assert main(["export", "--json-file", "-", "--include-demo"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [s["slot"] for s in doc["tables"]["sessions"]] == ["morning", "morning", "demo"]


def test_log_shows_demo_sessions_by_their_slot(capsys, logged):
    store = Store.open(logged)
    _demo_session(store, TODAY)
    store.close()
    assert main(["log"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()[2:]]
    assert [r[1] for r in rows] == ["demo", "morning", "morning"]
    assert rows[0][6] == "2/2"  # its stomps are listed, marked by the slot
    assert main(["log", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["slot"] == "demo"


def test_export_needs_a_destination(capsys, logged):
    assert main(["export"]) == 2
    assert "--csv" in capsys.readouterr().err


def test_every_store_command_has_help():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in ("log", "report", "export"):
        parser = sub.choices[name]
        assert parser.description
        assert all(a.help for a in parser._actions if a.dest != "help"), name


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_a_log_not_written_yet_is_empty_for_scripts(capsys, path, fmt):
    assert not path.exists()
    assert main(["log", fmt]) == 0
    out = capsys.readouterr().out
    assert out == ("[]\n" if fmt == "--json" else "id,person,slot,plan_date,started_utc,ended_utc,"
                   "status,minutes,steps_done,steps_total,stomps_left,stomps_right,sets,holds,"
                   "intervals,pain\n")
    assert main(["report", fmt]) == 0
    out = capsys.readouterr().out
    if fmt == "--json":
        data = json.loads(out)
        assert data["last_session"] is None and len(data["weeks"]) == 5
    else:
        assert out == "person,date,block,label,count,due,mark\n"  # nothing logged: no days
    Store.open(path).close()  # created, still empty
    assert main(["log", fmt]) == 0
    assert capsys.readouterr().out.startswith("[]" if fmt == "--json" else "id,person,slot")


def test_log_csv_has_a_row_a_session(capsys, logged):
    assert main(["log", "--csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [r["plan_date"] for r in rows] == [TODAY.isoformat(),
                                              (TODAY - timedelta(days=1)).isoformat()]
    assert rows[0]["stomps_left"] == "1" and rows[0]["status"] == "done"


def test_json_and_csv_together_are_refused(capsys, logged):
    assert main(["log", "--json", "--csv"]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_tables_use_the_terminal_width_on_a_terminal(monkeypatch):
    import io

    from kiosk.output import terminal_width

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("COLUMNS", "132")
    assert terminal_width(Terminal()) == 132
    assert terminal_width(io.StringIO()) == 80  # a pipe or a file: 80, whatever the terminal
    monkeypatch.setenv("COLUMNS", "40")
    assert terminal_width(Terminal()) == 80  # never narrower than the report is drawn for


def test_every_command_has_help_and_the_shared_format_flags(capsys):
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0, name
        text = capsys.readouterr().out
        assert text.startswith("usage:") and "--help" in text, name
        if name in ("log", "report"):  # commands that print rows: the same two flags
            assert "--json" in text and "--csv" in text, name
        if name == "report":
            assert "--html FILE" in text
        if name == "export":  # writes files: flags that say so
            assert "--csv-dir DIR" in text and "--json-file FILE" in text
