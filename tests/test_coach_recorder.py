"""The recorder: engine Log effects land in the real store as they happen."""

from datetime import UTC, date, datetime

import pytest

from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.store.db import Store
from kiosk.store.records import (
    CalibrationMade,
    Landed,
    OneRepMaxTested,
    SessionFinished,
    SetDone,
    StepFinished,
    StepStarted,
)


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


def test_each_effect_is_in_the_log_when_apply_returns(store):
    r = Recorder(store, slot="morning", plan_date=date(2026, 11, 24))
    r.apply(Log(0, StepStarted(exercise_id="calibration", kind="calibrate", block="")))
    r.apply(Log(0, CalibrationMade({"bw_conductance": 1.2})))
    r.apply(Log(0, StepFinished(status="done")))
    assert store.sessions(limit=5) == []  # a weigh-in alone is not a session of exercise
    r.apply(Log(1, StepStarted(exercise_id="heel_stomp", kind="stomp", block="stomps",
                               target={"per_foot": 4}, title="Stomps")))
    r.apply(Log(1, Landed(foot="left", t_s=3.2, peak_bw=2.1, stomp=True)))
    assert store.sessions()[0]["stomps_left"] == 1  # visible before the step even ends
    r.apply(Log(2, StepStarted(exercise_id="reverse_wrist_curl", kind="strength",
                               block="strength", title="Wrist")))
    r.apply(Log(2, SetDone(set_no=1, reps=6, load_kg=3.0)))
    r.apply(Log(2, OneRepMaxTested(exercise_id="reverse_wrist_curl", weight_kg=3.0, reps=6,
                                   estimate_kg=3.54, target_kg=2.0)))
    assert store.latest_onerm_targets() == {"reverse_wrist_curl": 2.0}
    r.apply(Log(2, StepFinished(status="done", achieved={"reps": 6})))
    r.apply(Log(2, SessionFinished(status="done")))
    session = store.sessions()[0]
    assert session["status"] == "done" and session["sets"] == 1
    assert store.latest_calibration() == {"bw_conductance": 1.2}
    with pytest.raises(TypeError, match="not a log record"):
        r.apply(Log(2, {"kind": "dance"}))  # type: ignore[arg-type]


def test_the_recorder_stamps_times_with_its_clock(store):
    at = datetime(2026, 11, 24, 7, 30, tzinfo=UTC)
    r = Recorder(store, slot="morning", plan_date=date(2026, 11, 24), utc_now=lambda: at)
    r.apply(Log(0, StepStarted(exercise_id="heel_stomp", kind="stomp", block="stomps")))
    r.apply(Log(0, SessionFinished(status="stopped")))
    (session,) = store.sessions()
    assert session["started_utc"] == session["ended_utc"] == "2026-11-24T07:30:00.000Z"


def test_a_misspelt_field_is_a_type_error_not_a_lost_column():
    with pytest.raises(TypeError, match="peak_wb"):
        Landed(foot="left", t_s=1.0, peak_wb=2.0, stomp=True)  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        Landed("left", 1.0, 2.0, True).peak_wb  # type: ignore[attr-defined]  # noqa: B018


class _Disk:
    """A log whose disk is full until ``down`` is cleared: every call raises StoreError."""

    def __init__(self, store, state):
        self._store, self._state = store, state

    def __getattr__(self, name):
        from kiosk.store.db import StoreError

        if self._state["down"]:
            def full(*args, **kwargs):
                raise StoreError("the disk is full")
            return full
        return getattr(self._store, name)


def test_records_still_waiting_when_the_next_person_steps_on_stay_the_first_persons(store):
    """A household on a full disk: Anna's stomps wait in memory; Bert steps on and his
    session takes over the queue; when the disk is back each record is written as its own
    person's, in order."""
    from kiosk.store.db import StoreError

    disk = {"down": True}
    anna = Recorder(_Disk(store.for_person("anna"), disk), slot="morning",
                    plan_date=date(2026, 11, 24))
    for rec in (StepStarted(exercise_id="heel_stomp", kind="stomp", block="stomps"),
                Landed(foot="left", t_s=1.0, peak_bw=2.2, stomp=True),
                StepFinished(status="done"), SessionFinished(status="done")):
        with pytest.raises(StoreError):
            anna.apply(Log(0, rec))
    bert = Recorder(_Disk(store.for_person("bert"), disk), slot="morning",
                    plan_date=date(2026, 11, 24), carry=anna)
    disk["down"] = False
    bert.apply(Log(0, StepStarted(exercise_id="heel_stomp", kind="stomp", block="stomps")))
    bert.apply(Log(0, Landed(foot="right", t_s=1.0, peak_bw=2.5, stomp=True)))
    assert not bert.pending
    (a,) = store.for_person("anna").sessions()
    (b,) = store.for_person("bert").sessions()
    assert (a["stomps_left"], a["stomps_right"], a["status"]) == (1, 0, "done")
    assert (b["stomps_left"], b["stomps_right"]) == (0, 1)
