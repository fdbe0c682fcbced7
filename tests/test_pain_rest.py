"""After "it hurt", the person may leave that exercise out for the rest of the day: asked by
the stretch step, logged through the recorder, and dropped from the day's later sessions."""

from dataclasses import replace
from datetime import date, datetime

from test_coach_engine import STRETCH, Driver, land

from kiosk.clock import FixedWallClock
from kiosk.coach import cues
from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.coach.steps import PAIN_IGNORE_S, PAIN_WAIT_S
from kiosk.config import defaults
from kiosk.store.db import Store
from kiosk.store.records import PainAnswered, RestedToday
from kiosk.wiring import steps_provider

DAY = date(2026, 11, 24)


def _answer(*feet: str, exercise_id: str = "calf_stretch") -> Driver:
    """The stretch, then each question answered with ``feet`` once it has been heard."""
    d = Driver(replace(STRETCH, exercise_id=exercise_id))
    for foot, question in zip(feet, (cues.PAIN_QUESTION, cues.PAIN_REST_QUESTION), strict=False):
        d.until(lambda d, q=question: q in d.says())
        d.heard()
        land(d, foot, 0.8)
    d.heard()
    return d


def test_yes_it_hurt_asks_whether_to_leave_it_out_today():
    d = _answer("left", "left")
    assert d.logs(PainAnswered) == [PainAnswered(hurt=True)]
    assert d.logs(RestedToday) == [RestedToday()]
    says = d.says()
    assert says.index(cues.PAIN_YES) < says.index(cues.PAIN_REST_QUESTION) \
        < says.index(cues.PAIN_REST_YES)
    assert d.s.finished


def test_a_tap_before_the_rest_question_is_heard_is_no_answer_to_it():
    d = Driver(replace(STRETCH, exercise_id="calf_stretch"))
    d.until(lambda d: cues.PAIN_QUESTION in d.says())
    d.heard()
    land(d, "left", 0.8)
    d.run(PAIN_IGNORE_S + 0.1)  # still thanking them: the next question is not said yet
    assert cues.PAIN_REST_QUESTION not in d.says()
    land(d, "left", 0.8)
    d.heard()
    assert cues.PAIN_REST_QUESTION in d.says() and d.logs(RestedToday) == []
    assert not d.s.finished  # still open for the answer


def test_keeping_it_or_no_answer_logs_only_the_hurt():
    kept = _answer("left", "right")
    assert kept.logs(RestedToday) == [] and cues.PAIN_REST_NO in kept.says()
    silent = _answer("left")
    silent.run(PAIN_WAIT_S - 1.0)  # open this long after it was heard
    assert not silent.s.finished
    silent.run(1.2)
    assert silent.logs(RestedToday) == [] and silent.s.finished
    no = _answer("right")
    assert cues.PAIN_REST_QUESTION not in no.says()


def test_an_exercise_left_out_today_is_not_in_the_evening_session():
    cfg = defaults().replace(profile={"fracture_history": "no"})
    store = Store.memory()
    wall = FixedWallClock(datetime(2026, 11, 24, 17, 0))
    steps_for = steps_provider(cfg, store, wall)
    evening = [s.exercise_id for s in steps_for("evening")]
    stretch = next(s for s in steps_for("evening") if s.kind == "stretch")
    d = _answer("left", "left", exercise_id=stretch.exercise_id)
    rec = Recorder(store, slot="morning", plan_date=DAY)
    for _, e in d.effects:
        if isinstance(e, Log):
            rec.apply(e)
    assert store.rest_today(DAY) == {stretch.exercise_id}
    later = [s.exercise_id for s in steps_for("evening")]
    assert stretch.exercise_id in evening and stretch.exercise_id not in later
    assert store.rest_today(date(2026, 11, 25)) == set()  # tomorrow it is back
    store.close()


def test_the_stop_rules_open_the_first_session_and_come_back_weekly():
    from kiosk.coach.engine import Session
    from kiosk.coach.events import Say, Tick

    cfg = defaults().replace(profile={"fracture_history": "no"})
    store = Store.memory()
    wall = FixedWallClock(datetime(2026, 11, 24, 8, 0))
    steps_for = steps_provider(cfg, store, wall)
    first = steps_for("morning")
    assert first[0].kind == "stop_rules" and first[1].kind != "stop_rules"
    session = Session(first[:1])
    rec = Recorder(store, slot="morning", plan_date=DAY)
    said = []
    t = 0.0
    while not session.finished and t < 120:
        t += 0.1
        for e in session.handle(Tick(t)):
            said += [e.text] if isinstance(e, Say) else []
            if isinstance(e, Log):
                rec.apply(e)
    assert all(rule in said for rule in cues.stop_rules()[1:])
    (logged,) = store.steps_of(store.sessions()[0]["id"])
    assert (logged["kind"], logged["status"]) == ("stop_rules", "done")  # nothing asked
    assert store.stop_rules_said() == DAY
    assert steps_for("evening")[0].kind != "stop_rules"  # said today: not again
    wall.at = datetime(2026, 12, 1, 8, 0)  # a week later
    assert steps_for("morning")[0].kind == "stop_rules"
    store.close()


def test_the_helper_can_ask_for_the_stop_rules_at_the_next_session(tmp_path, capsys):
    """On request: `plan --say-stop-rules` (over SSH) puts them first in the person's next
    session although the week's saying was this morning; once heard, not again."""
    from kiosk.cli import main
    from kiosk.config import load

    toml = tmp_path / "config.toml"
    toml.write_text(f'[profile]\nfracture_history = "no"\n[storage]\ndata_dir = "{tmp_path}"\n',
                    encoding="utf-8")
    cfg = load(toml)
    store = Store.memory()
    wall = FixedWallClock(datetime(2026, 11, 24, 8, 0))
    steps_for = steps_provider(cfg, store, wall)
    rec = Recorder(store, slot="morning", plan_date=DAY)
    from kiosk.store.records import StepFinished, StepStarted

    rec.apply(Log(0, StepStarted(exercise_id="stop_rules", kind="stop_rules", block="checkin")))
    rec.apply(Log(0, StepFinished(status="done")))
    assert store.stop_rules_said() == DAY and steps_for("evening")[0].kind != "stop_rules"

    wall.at = datetime(2026, 11, 24, 12, 0)
    assert main(["plan", "--say-stop-rules", "--config", str(toml)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The kiosk will say and show when to stop at the next session.")
    assert "Stop at once if you feel sharp or new pain" in out
    assert cfg.stop_rules_request_file().read_text().strip() == date.today().isoformat()
    cfg.stop_rules_request_file().write_text("2026-11-24\n")  # asked on the kiosk's day
    assert steps_for("evening")[0].kind == "stop_rules"  # heard this morning, asked since
    wall.at = datetime(2026, 11, 25, 8, 0)
    rec = Recorder(store, slot="morning", plan_date=date(2026, 11, 25))
    rec.apply(Log(0, StepStarted(exercise_id="stop_rules", kind="stop_rules", block="checkin")))
    rec.apply(Log(0, StepFinished(status="done")))
    assert steps_for("evening")[0].kind != "stop_rules"  # heard after the request: done
    cfg.stop_rules_request_file().write_text("not a date\n")
    assert steps_for("evening")[0].kind != "stop_rules"  # a damaged request is left out
    store.close()


def test_the_stop_rules_are_due_first_weekly_and_until_heard_after_a_request():
    from datetime import timedelta

    from kiosk.program.advice import STOP_RULES_EVERY_DAYS, stop_rules_due

    day = date(2026, 11, 24)
    ago = [day - timedelta(days=n) for n in range(10)]
    assert stop_rules_due(None, day)  # before the very first session
    assert not stop_rules_due(ago[STOP_RULES_EVERY_DAYS - 1], day)
    assert stop_rules_due(ago[STOP_RULES_EVERY_DAYS], day)  # weekly
    assert stop_rules_due(ago[2], day, ago[1])  # asked yesterday, not heard since
    assert stop_rules_due(ago[1], day, ago[1])  # asked after yesterday's saying
    assert stop_rules_due(ago[0], day, ago[0])  # asked after this morning's saying
    assert not stop_rules_due(ago[0], day, ago[1])  # heard today, after the request
    assert not stop_rules_due(ago[2], day, ago[3])  # heard after an old request
    assert not stop_rules_due(ago[2], day, day + timedelta(days=1))  # a date to come: not yet
