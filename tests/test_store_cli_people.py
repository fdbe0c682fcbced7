"""``log``, ``report`` and ``export`` in a household: everyone by default, each apart (a
heading in text, a person key in JSON and CSV, a page each in HTML), or one ``--person``."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk import config as config_mod
from kiosk.cli import main
from kiosk.paths import xdg_config_file
from kiosk.store import db
from kiosk.store.db import Store
from kiosk.store.records import Landed, SessionFinished, SetDone, StepFinished, StepStarted

TODAY = date.today()
HOUSEHOLD = """
[people.anna.profile]
name = "Anna"
fracture_history = "no"
impact_cleared = true
[people.bert.profile]
name = "Bert"
"""


@pytest.fixture
def household():
    """Anna stomped yesterday and today; Bert lifted today; and a session from before the
    household, the single person's ('me')."""
    cfg = xdg_config_file()
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(HOUSEHOLD, encoding="utf-8")
    path = db.store_path(config_mod.load())
    store = Store.open(path)
    for who, back, kind in (("me", 3, "stomp"), ("anna", 1, "stomp"), ("anna", 0, "stomp"),
                            ("bert", 0, "strength")):
        mine = store.for_person(who)
        day = TODAY - timedelta(days=back)
        start = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        sid = mine.begin_session(slot="morning", started_utc=start, plan_date=day)
        if kind == "stomp":
            step = mine.begin_step(sid, StepStarted("heel_stomp", "stomp", "stomps",
                                                    {"per_foot": 4}))
            mine.add_landing(step, Landed("left", 1.0, 1.7, True))
        else:
            step = mine.begin_step(sid, StepStarted("goblet_squat", "strength", "strength",
                                                    {"reps": 8}))
            mine.add_set(step, SetDone(1, 8, 4.0))
        mine.finish_step(step, StepFinished("done", {}))
        mine.finish_session(sid, SessionFinished("done"), ended_utc=start + timedelta(minutes=9))
    store.close()
    return path


def test_log_shows_everyone_under_their_own_heading(capsys, household):
    assert main(["log"]) == 0
    out = capsys.readouterr().out
    anna, bert, me = (out.index(f"== {n} (--person {k}) ==") for n, k in
                      (("Anna", "anna"), ("Bert", "bert"), ("me", "me")))
    assert anna < bert < me  # the config's order, then who only the log knows
    assert out[anna:bert].count("morning") == 2 and out[bert:me].count("morning") == 1


def test_log_person_picks_one_by_key_or_name(capsys, household):
    assert main(["log", "--person", "Bert", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["person"] for r in rows] == ["bert"]
    assert main(["log", "--person", "anna"]) == 0
    out = capsys.readouterr().out
    assert "==" not in out and out.count("morning") == 2
    assert main(["log", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["person"] for r in rows) == ["anna", "anna", "bert", "me"]


@pytest.mark.parametrize("command", [["log"], ["report"], ["export", "--json-file", "-"]])
def test_an_unknown_person_is_one_line_naming_who_there_is(capsys, household, command):
    assert main([*command, "--person", "carl"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("--person: 'carl' is not one of the people (allowed: anna, bert, me)")
    assert "\n" not in err


def test_report_is_per_person_in_text_json_csv_and_html(capsys, household, tmp_path):
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.index("== Anna (--person anna) ==") < out.index("Report for Anna")
    assert out.index("== Bert (--person bert) ==") < out.index("Report for Bert")
    assert main(["report", "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    assert [(r["person_key"], r["person"]) for r in made] == [
        ("anna", "Anna"), ("bert", "Bert"), ("me", "me")]
    # each by their own profile: Anna is cleared for stomps, Bert is not
    assert [r["prescription"]["impact"] for r in made[:2]] == [True, False]
    assert main(["report", "--json", "--person", "anna"]) == 0
    assert json.loads(capsys.readouterr().out)["person_key"] == "anna"
    assert main(["report", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["person"] for r in rows} == {"anna", "bert", "me"}
    page = tmp_path / "r.html"
    assert main(["report", "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<article class="person">') == 3
    assert "article.person + article.person { break-before: page;" in html
    assert html.index("Exercise report: Anna") < html.index("Exercise report: Bert")
    assert main(["report", "--html", "-", "--person", "bert"]) == 0
    assert capsys.readouterr().out.count('<article class="person">') == 1


def test_export_names_each_rows_person_and_person_filters(capsys, household):
    assert main(["export", "--json-file", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert sorted(s["person"] for s in data["tables"]["sessions"]) == ["anna", "anna", "bert",
                                                                      "me"]
    assert main(["export", "--json-file", "-", "--person", "anna"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {s["person"] for s in data["tables"]["sessions"]} == {"anna"}
    assert {r["person"] for r in data["tables"]["landings"]} == {"anna"}


def test_plan_and_onerm_are_a_named_persons_in_a_household(capsys, household):
    assert main(["plan", "--json"]) == 1  # whose plan?
    assert "--person: this kiosk has 2 people; say whose (allowed: anna, bert)" in \
        capsys.readouterr().err
    assert main(["plan", "--json", "--person", "anna"]) == 0
    anna = json.loads(capsys.readouterr().out)
    assert main(["plan", "--json", "--person", "Bert"]) == 0
    bert = json.loads(capsys.readouterr().out)
    # each by their own profile: Anna is cleared for stomps, Bert (fracture unknown) is not
    blocks = [{b["block"] for d in p["week"] for s in d["sessions"] for b in s["blocks"]}
              for p in (anna, bert)]
    assert "stomps" in blocks[0] and "stomps" not in blocks[1]
    assert main(["onerm", "6", "10", "--exercise", "sit_to_stand", "--person", "bert"]) == 0
    reader = db.open_reader(db.store_path(config_mod.load()))
    assert reader.for_person("bert").latest_onerm_targets().keys() == {"sit_to_stand"}
    assert reader.for_person("anna").latest_onerm_targets() == {}
    reader.close()


def test_the_log_limit_is_each_persons_so_nobody_is_crowded_out(capsys, household):
    """Anna's newer sessions must not hide Bert's or the old single person's."""
    assert main(["log", "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert "no sessions logged" not in out
    anna, bert, me = (out.index(f"== {n} (--person {k}) ==") for n, k in
                      (("Anna", "anna"), ("Bert", "bert"), ("me", "me")))
    assert out[anna:bert].count("morning") == out[bert:me].count("morning") == 1
    assert out[me:].count("morning") == 1
    assert main(["log", "--limit", "1", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["person"] for r in rows] == ["bert", "anna", "me"]  # newest first, everyone's
    assert rows[0]["started_utc"] >= rows[1]["started_utc"] >= rows[2]["started_utc"]


def test_the_reports_json_shape_follows_the_config_not_the_logs_data(capsys, household):
    """A household kiosk: a list. The same log read by a single-person config: that person's
    one report, although the log names others (they are one --person away)."""
    assert isinstance(json.loads(_out(capsys, "report", "--json")), list)
    xdg_config_file().write_text('[profile]\nname = "Margaret"\n', encoding="utf-8")
    solo = json.loads(_out(capsys, "report", "--json"))
    assert isinstance(solo, dict) and solo["person_key"] == "me"
    assert json.loads(_out(capsys, "report", "--json", "--person", "anna"))["person_key"] == "anna"


def _out(capsys, *argv):
    assert main(list(argv)) == 0
    return capsys.readouterr().out
