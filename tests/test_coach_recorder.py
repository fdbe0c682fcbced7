"""The recorder: engine Log effects land in the real store as they happen."""

from datetime import date

import pytest

from kiosk.coach.events import Log
from kiosk.coach.recorder import Recorder
from kiosk.store.db import Store


@pytest.fixture
def store():
    s = Store.memory()
    yield s
    s.close()


def test_each_effect_is_in_the_log_when_apply_returns(store):
    r = Recorder(store, slot="morning", plan_date=date(2026, 11, 24))
    r.apply(Log("step_started", 0, {"exercise_id": "calibration", "kind": "calibrate",
                                    "block": "", "title": "", "target": {}}))
    r.apply(Log("calibration", 0, {"bw_conductance": 1.2}))
    r.apply(Log("step_finished", 0, {"status": "done", "achieved": {}}))
    assert store.sessions(limit=5) == []  # a weigh-in alone is not a session of exercise
    r.apply(Log("step_started", 1, {"exercise_id": "heel_stomp", "kind": "stomp",
                                    "block": "stomps", "title": "Stomps",
                                    "target": {"per_foot": 4}}))
    r.apply(Log("landing", 1, {"foot": "left", "t_s": 3.2, "peak_bw": 2.1, "stomp": True}))
    assert store.sessions()[0]["stomps_left"] == 1  # visible before the step even ends
    r.apply(Log("step_started", 2, {"exercise_id": "reverse_wrist_curl", "kind": "strength",
                                    "block": "strength", "title": "Wrist", "target": {}}))
    r.apply(Log("set", 2, {"set_no": 1, "reps": 6, "load_kg": 3.0}))
    r.apply(Log("onerm", 2, {"exercise_id": "reverse_wrist_curl", "weight_kg": 3.0, "reps": 6,
                             "estimate_kg": 3.54, "target_kg": 2.0}))
    assert store.latest_onerm_targets() == {"reverse_wrist_curl": 2.0}
    r.apply(Log("step_finished", 2, {"status": "done", "achieved": {"reps": 6}}))
    r.apply(Log("session_finished", 2, {"status": "done"}))
    session = store.sessions()[0]
    assert session["status"] == "done" and session["sets"] == 1
    assert store.latest_calibration() is not None
    with pytest.raises(ValueError, match="unknown log kind"):
        r.apply(Log("dance", 2, {}))
