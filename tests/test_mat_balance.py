"""The mat's balance and chair watchers on synthetic traces with known truth: one-leg stance
times within 0.2 s, chair stands exact, the left share within 3 percentage points."""

import pytest

from kiosk.mat.balance import StanceTimer, SteadinessMeter, symmetry
from kiosk.mat.chair import ChairCounter
from kiosk.mat.force import Layout
from kiosk.mat.movements import ChairSat, ChairStood, StanceBegan, StanceEnded, Steadiness
from kiosk.mat.sim import (
    SensorModel,
    TraceBuilder,
    chair_stands,
    one_leg,
    seated,
    sit_down,
    stand,
    stand_uneven,
    step_off,
    stomp,
)
from kiosk.mat.watch import BodyWatch, movement_summary
from tests.mat_support import calibrate, landings, run


def watch(tb: TraceBuilder) -> list:
    """Calibrate from the trace's opening, then watch the whole trace (as replay does)."""
    samples = tb.samples()
    cal, _ = calibrate(samples, tb.layout)
    return BodyWatch(cal, tb.layout).feed_batch(samples)


def of(events, kind):
    return [e for e in events if isinstance(e, kind)]


@pytest.mark.parametrize("holds", [(2.0, 7.5), (12.3, 1.2), (29.0,)])
@pytest.mark.parametrize("foot", ["left", "right"])
def test_one_leg_stances_are_timed_within_a_fifth_of_a_second(foot, holds):
    tb = TraceBuilder().opening()
    truth = []
    for hold in holds:
        start = tb.duration_s
        m = one_leg(foot, hold, wobble_bw=0.06)
        tb.add(m, stand(1.5))
        truth.append((start + 0.5 + 0.25, hold))  # shift_s + lift_s: the foot carries nothing
    ev = watch(tb)
    ended = of(ev, StanceEnded)
    assert [e.foot for e in ended] == [foot] * len(holds)
    assert all(e.touched for e in ended)
    for e, (start, hold) in zip(ended, truth, strict=True):
        assert abs(e.held_s - hold) <= 0.2, (e, hold)
        assert abs((e.t - e.held_s) - start) <= 0.2
    began = of(ev, StanceBegan)
    assert [b.foot for b in began] == [foot] * len(holds)
    assert all(e.wobble_bw > 0.02 for e in ended)  # the standing foot's load wobbled


def test_a_quick_shuffle_is_not_a_stance_and_stepping_off_ends_one():
    timer = StanceTimer()
    events = []
    t = 0.0
    for k in range(250):  # right foot up for 0.6 s only: a shuffle
        t = k / 250
        events += timer.feed(t, 0.5 if 25 <= k < 175 else 1.0, 0.0 if 25 <= k < 175 else 0.5)
    assert events == []
    for k in range(400):  # a real stance, then off the mat
        t = 1.0 + k / 250
        events += timer.feed(t, 1.0 if k < 350 else 0.0, 0.0)
    ended = of(events, StanceEnded)
    assert len(ended) == 1 and not ended[0].touched and abs(ended[0].held_s - 1.4) < 0.01


@pytest.mark.parametrize("share", [0.5, 0.58, 0.35])
def test_quiet_standing_share_is_within_three_points(share):
    tb = TraceBuilder().opening().add(stand_uneven(9.0, share, sway_bw=0.03))
    steady = [s for s in of(watch(tb), Steadiness) if s.t - s.seconds >= 5.1]
    assert len(steady) >= 1
    for s in steady:
        assert abs(s.share_left_pct - 100 * share) <= 3.0
        # sway of 0.03 BW on each foot: the share moves by 3 points, its SD about 2.1
        assert 1.0 < s.wobble_pp < 3.5


def test_wobble_grows_with_sway():
    meter = SteadinessMeter(window_s=4.0)
    got = []
    for sway in (0.01, 0.05):
        tb = TraceBuilder().opening().add(stand(9.0, sway_bw=sway))
        got.append(next(s for s in of(watch(tb), Steadiness) if s.t - s.seconds >= 5.1)
                   .wobble_pp)
    assert got[1] > 3 * got[0]
    assert meter.feed(0.0, 0.05, 0.95) == []  # one foot nearly off: not quiet standing


@pytest.mark.parametrize("reps,up_s,down_s", [(5, 1.2, 1.5), (8, 0.6, 0.7), (3, 2.5, 3.0),
                                              (14, 0.5, 0.5)])
def test_chair_stands_are_counted_exactly_and_timed(reps, up_s, down_s):
    tb = TraceBuilder().opening().add(sit_down(), seated(2.0),
                                      chair_stands(reps, up_s, down_s), seated(1.0))
    ev = watch(tb)
    stood, sat = of(ev, ChairStood), of(ev, ChairSat)
    assert [s.rep for s in stood] == list(range(1, reps + 1))
    assert len(sat) == reps
    # the mat sees the load move from the seated level to the standing load: the first part
    # of the rise (the push past body weight reaches it early) and most of the sit
    assert all(0.25 * up_s < s.up_s < up_s for s in stood), [s.up_s for s in stood]
    assert all(0.5 * down_s < s.down_s < down_s for s in sat), [s.down_s for s in sat]
    cycle = 0.6 + up_s + 0.5 + down_s
    assert all(abs(s.rep_s - cycle) < cycle * 0.5 for s in sat)


def test_stepping_on_standing_and_off_are_not_chair_stands():
    tb = TraceBuilder().opening().add(stand(3.0), stomp("left", 2.5), stand(1.0), step_off(),
                                      stand(0.0))
    assert of(watch(tb), ChairStood) == []


def test_the_chair_counter_ignores_an_empty_mat_then_a_person_stepping_on():
    c = ChairCounter()
    ev = []
    for k in range(200):
        ev += c.feed(k / 100, 0.0, 0.0)
    for k in range(200):
        ev += c.feed(2 + k / 100, 0.5, 0.5)
    assert ev == []


def test_stomp_symmetry_is_within_three_points():
    tb = TraceBuilder().opening()
    for k in range(4):
        tb.add(stomp("left", 2.4 + 0.05 * k), stand(0.5), stomp("right", 1.8 + 0.05 * k),
               stand(0.5))
    ev = run(tb)
    sym = symmetry((e.foot, e.peak_bw) for e in landings(ev))
    truth = 100 * 2.475 / (2.475 + 1.875)
    assert sym is not None and abs(sym.left_share_pct - truth) <= 3.0
    summary = movement_summary([], [(e.foot, e.peak_bw) for e in landings(ev)])
    assert summary["landing_symmetry"]["left_share_pct"] == sym.left_share_pct
    assert symmetry([("left", 2.0)]) is None


def test_two_sensors_per_foot_and_a_noisy_mat_give_the_same_stance():

    layout = Layout((0, 2), (1, 3))
    tb = TraceBuilder(rate_hz=100, layout=layout, sensor=SensorModel(
        channels_per_foot=(2, 2), noise_counts=2.0, seed=5))
    tb.opening().add(one_leg("right", 6.0), stand(1.0))
    ended = of(watch(tb), StanceEnded)
    assert len(ended) == 1 and abs(ended[0].held_s - 6.0) <= 0.2


def test_thresholds_are_checked_once():
    with pytest.raises(ValueError, match="up_bw"):
        StanceTimer(up_bw=0.2, down_bw=0.1)
    with pytest.raises(ValueError, match="sit_bw"):
        ChairCounter(sit_bw=0.9)
    with pytest.raises(ValueError, match="window_s"):
        SteadinessMeter(window_s=0)


def test_the_live_link_passes_the_watchers_events_and_weighs_in_steadiness():
    """SimMat -> MatLink frame by frame, as the kiosk runs: the weigh-in's steadiness comes
    with the calibration, then a one-leg stance and chair stands come as events."""
    from kiosk.clock import FakeClock
    from kiosk.mat.events import Calibrated
    from kiosk.mat.link import MatLink
    from kiosk.mat.sim import SimMat

    clock = FakeClock()
    link = MatLink(Layout(), divider_ohms=10_000, target_bw=1.5)
    mat = SimMat(clock)
    events = []

    def frames(seconds):
        for _ in range(round(seconds * 30)):
            clock.advance(1 / 30)
            events.extend(link.feed(mat.drain()))

    link.set_calibrating(True)
    frames(1.5)
    mat.step_on()
    frames(5.0)
    (cal,) = of(events, Calibrated)
    assert abs(cal.summary["share_left_pct"] - 50) <= 3 and cal.summary["wobble_pp"] < 4
    mat.one_leg("left", 5.0)
    frames(8.0)
    (ended,) = of(events, StanceEnded)
    assert ended.foot == "left" and abs(ended.held_s - 5.0) <= 0.2
    mat.chair_stands(4, 1.0, 1.2)
    frames(16.0)
    assert [e.rep for e in of(events, ChairStood)] == [1, 2, 3, 4]
