"""SimMat and KeyboardMat drive the detector like a person on a real mat."""

from kiosk.clock import FakeClock
from kiosk.mat.detector import MatDetector
from kiosk.mat.events import Fault, Presence
from kiosk.mat.force import Layout
from kiosk.mat.sim import KeyboardMat, SimMat
from tests.mat_support import calibrate, footfalls, landings


def live(mat: SimMat, clock: FakeClock, seconds: float, det=None, frame_s: float = 1 / 30):
    """Run frames: advance the clock, drain, feed; return samples and events."""
    samples, events = [], []
    end = clock.now() + seconds
    while clock.now() < end:
        clock.advance(frame_s)
        got = mat.drain()
        samples += got
        if det is not None:
            events += det.feed_batch(got)
    return samples, events


def calibrated(mat: SimMat, clock: FakeClock) -> MatDetector:
    samples, _ = live(mat, clock, 1.5)
    mat.step_on()
    more, _ = live(mat, clock, 3.0)
    cal, _ = calibrate(samples + more)
    return MatDetector(cal, Layout())


def test_drain_gives_the_samples_up_to_now_at_the_rate():
    clock = FakeClock()
    mat = SimMat(clock, rate_hz=200)
    assert len(mat.drain()) == 1  # t = 0
    clock.advance(0.5)
    got = mat.drain()
    assert len(got) == 100 and got[-1][0] <= clock.now()
    assert mat.drain() == []


def test_sim_mat_stomps_marches_and_shifts():
    clock = FakeClock()
    mat = SimMat(clock)
    det = calibrated(mat, clock)
    mat.stomp("left", 2.6)
    mat.stomp("right", 2.6)
    _, ev = live(mat, clock, 3.0, det)
    assert [(e.foot, e.stomp) for e in landings(ev)] == [("left", True), ("right", True)]
    mat.shift_weight(4)
    _, ev = live(mat, clock, 5.0, det)
    assert landings(ev) == []
    mat.march(100, 8)
    _, ev = live(mat, clock, 9.0, det)
    assert len(landings(ev)) >= 12
    assert abs(footfalls(ev)[-1].cadence_spm - 100) < 5


def test_unplug_is_a_fault_and_replug_clears_it():
    clock = FakeClock()
    mat = SimMat(clock)
    det = calibrated(mat, clock)
    mat.unplug()
    _, ev = live(mat, clock, 1.5, det)
    mat.replug()
    _, ev2 = live(mat, clock, 1.5, det)
    assert [(e.kind, e.active) for e in ev if isinstance(e, Fault)] == [("no_mat", True)]
    assert [(e.kind, e.active) for e in ev2 if isinstance(e, Fault)] == [("no_mat", False)]
    assert landings(ev + ev2) == []


def test_keyboard_mat_keys():
    clock = FakeClock()
    mat = KeyboardMat(clock)
    det = calibrated(mat, clock)
    assert mat.press("left") and mat.press("right")
    assert not mat.press("escape")
    _, ev = live(mat, clock, 3.0, det)
    assert [(e.foot, e.stomp) for e in landings(ev)] == [("left", True), ("right", True)]
    mat.press("space")  # step off
    _, ev = live(mat, clock, 2.0, det)
    assert [e.on for e in ev if isinstance(e, Presence)] == [False]
    mat.press("space")  # and on again
    _, ev = live(mat, clock, 2.0, det)
    assert [e.on for e in ev if isinstance(e, Presence)] == [True]


def test_a_sped_up_clock_gives_more_samples_per_frame():
    slow, fast = FakeClock(), FakeClock()
    a, b = SimMat(slow), SimMat(fast)
    slow.advance(1 / 30)
    fast.advance(4 / 30)
    assert len(b.drain()) > 3 * len(a.drain())
