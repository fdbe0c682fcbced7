"""The detector on generated traces and literal sample tables: every point of issue 3."""

import random

import pytest

from kiosk.mat.detector import MatDetector
from kiosk.mat.events import Fault, Landing, Presence
from kiosk.mat.force import Calibration, Layout, conductance, count_for
from kiosk.mat.sim import (
    SensorModel,
    TraceBuilder,
    double_bump,
    empty,
    march,
    shift_weight,
    squat,
    stand,
    step_off,
    step_on,
    stomp,
)
from tests.mat_support import calibrate, faults, footfalls, landings, run

RATE = 250


def tb(**sensor) -> TraceBuilder:
    return TraceBuilder(RATE, SensorModel(**sensor)).opening()


# ---------------------------------------------------------------- landings and stomps
def test_stomps_are_counted_per_foot_with_peak_in_body_weights():
    ev = run(tb().add(stomp("left", 2.6), stomp("right", 2.4), stomp("left", 2.2)))
    got = landings(ev)
    assert [e.foot for e in got] == ["left", "right", "left"]
    assert all(e.stomp for e in got)
    assert got[0].peak_bw > got[2].peak_bw > 1.5  # ordered like the true peaks
    assert all(1.5 < e.peak_bw < 2.7 for e in got)


def test_soft_landings_are_landings_not_stomps():
    ev = run(tb().add(stomp("left", 1.0, rise_s=0.03), stomp("right", 0.8, rise_s=0.03)))
    got = landings(ev)
    assert [e.foot for e in got] == ["left", "right"]
    assert not any(e.stomp for e in got)
    assert all(0.5 < e.peak_bw < 1.2 for e in got)


def test_target_is_settable_and_decides_stomp():
    samples = tb().add(stomp("left", 1.8)).samples()
    cal, used = calibrate(samples)
    for target, expect in ((1.3, True), (2.5, False)):
        det = MatDetector(cal, Layout(), 2.0)
        det.target_bw = target
        assert [e.stomp for e in landings(det.feed_batch(samples[used:]))] == [expect]


@pytest.mark.parametrize("motion", [stand(12), shift_weight(10), squat(10, squats=3),
                                    shift_weight(8, depth_bw=0.5, period_s=1.5)],
                         ids=["standing", "weight-shift", "slow-squats", "full-weight-shift"])
def test_no_landings_without_a_foot_coming_down(motion):
    ev = run(tb().add(motion))
    assert landings(ev) == []


@pytest.mark.parametrize("dip_bw,gap_s", [(0.05, 0.05), (0.3, 0.06), (0.0, 0.08)])
def test_heel_then_forefoot_double_bump_is_one_landing(dip_bw, gap_s):
    ev = run(tb().add(double_bump("left", 2.0, 1.8, dip_bw, gap_s),
                      double_bump("right", 1.2, 1.0, dip_bw, gap_s)))
    assert [e.foot for e in landings(ev)] == ["left", "right"]


def test_single_sample_spikes_are_not_landings():
    t = tb().add(stomp("left", 2.0, air_s=1.5))
    lift = 5.1 + 0.15  # the left foot is in the air from here for 1.5 s
    for k in range(5):
        t.spike(lift + 0.2 + 0.25 * k, 0, 700 + 50 * k)
    ev = run(t)
    assert len(landings(ev, "left")) == 1


def test_spikes_and_creep_while_marching_do_not_change_the_count():
    clean = tb().add(march(100, 20))
    noisy = tb(spike_rate_hz=2.0, creep_per_s=0.004, seed=3).add(march(100, 20))
    n_clean = len(landings(run(clean)))
    assert n_clean == len([x for x in clean.landings() if x[0] > 5.1])
    assert len(landings(run(noisy))) == n_clean


def test_marching_gives_steps_with_live_cadence():
    ev = run(tb().add(march(96, 15)))
    st = footfalls(ev)
    assert len(st) >= 20
    assert all(abs(s.cadence_spm - 96) < 4 for s in st[3:])
    assert {s.foot for s in st} == {"left", "right"}


def test_a_landing_is_reported_within_30_ms_of_its_peak():
    t = tb().add(stomp("left", 2.0), stomp("right", 2.5, rise_s=0.01))
    samples = t.samples()
    cal, used = calibrate(samples)
    det = MatDetector(cal, Layout())
    delays = []
    for s_t, counts in samples[used:]:
        for e in landings(det.feed(s_t, counts)):
            peak = min((p for p in t.landings() if p[1] == e.foot and p[0] > 5.1),
                       key=lambda p, e=e: abs(p[0] - e.t))
            delays.append(s_t - peak[0])
    assert len(delays) == 2
    assert all(0 <= d <= 0.030 for d in delays)


def test_results_do_not_depend_on_batching():
    samples = tb(spike_rate_hz=1.0).add(march(110, 6), stomp("left", 2.2),
                                        step_off(), empty(3)).samples()
    cal, used = calibrate(samples)
    body = samples[used:]
    whole = MatDetector(cal, Layout()).feed_batch(body)
    det = MatDetector(cal, Layout())
    one_by_one = [e for s in body for e in det.feed(*s)]
    det = MatDetector(cal, Layout())
    rng = random.Random(5)
    chunks, i = [], 0
    while i < len(body):
        n = rng.randint(1, 40)
        chunks += det.feed_batch(body[i:i + n])
        i += n
    assert len(landings(whole)) > 8
    assert sorted(map(repr, whole)) == sorted(map(repr, one_by_one)) == sorted(map(repr, chunks))


def test_presence_and_live_levels():
    samples = tb().add(stand(2), step_off(), empty(2), step_on(), stand(2)).samples()
    cal, used = calibrate(samples)
    det = MatDetector(cal, Layout())
    ev = det.feed_batch(samples[used:used + 250])
    left, right = det.level_bw()
    assert left == pytest.approx(0.5, abs=0.1) and right == pytest.approx(0.5, abs=0.1)
    ev += det.feed_batch(samples[used + 250:])
    pres = [e.on for e in ev if isinstance(e, Presence)]
    assert pres == [True, False, True]


def test_constructor_validates_thresholds():
    cal = Calibration((10.0, 10.0), 1.0, "2026-01-01T00:00:00", 10_000)
    for bad in ({"on_bw": 0.1, "off_bw": 0.2}, {"min_air_s": 0}, {"target_bw": 0.2},
                {"cell_s": 0.5}, {"saturation_counts": 2000}):
        with pytest.raises(ValueError):
            MatDetector(cal, Layout(), **bad)
    det = MatDetector(cal, Layout())
    with pytest.raises(ValueError):
        det.target_bw = 0.1


# ---------------------------------------------------------------- creep and re-zero
def test_baseline_creep_is_rezeroed_when_empty_and_idle():
    # strong creep: the empty mat reads 0.3 BW more after a minute
    t = tb(creep_per_s=0.0025).add(step_off(), empty(50), step_on(), stand(1),
                                   stomp("left", 2.0), stomp("right", 1.0, rise_s=0.03))
    ev = run(t)
    got = landings(ev)
    late = [e for e in got if e.t > 55]
    # the step-on after the idle minute lands both feet, then the stomp and the soft landing
    assert [e.foot for e in late] == ["left", "right", "left", "right"]
    assert late[2].stomp and not late[3].stomp
    assert 1.4 < late[2].peak_bw < 2.0  # measured from the re-zeroed floor, not inflated


def test_drift_far_from_the_calibration_asks_to_recalibrate_but_keeps_counting():
    t = tb(creep_per_s=0.006).add(march(100, 50))
    ev = run(t)
    drift = [f for f in faults(ev, True) if f.kind == "drift"]
    assert drift and "recalibrate" in drift[0].message
    assert len(landings(ev)) >= len([x for x in t.landings() if x[0] > 5.1]) - 2


# ---------------------------------------------------------------- faults
CAL = Calibration((10.0, 10.0), 2 * conductance(count_for(0.5)) - 2 * conductance(10), "x",
                  10_000, (0, 1))
STAND = round(count_for(0.5 + conductance(10)))


def seg(t0: float, seconds: float, left, right, rate: int = RATE):
    """Samples from t0: left/right are counts or callables of the sample index."""
    out = []
    for i in range(int(seconds * rate)):
        lv = left(i) if callable(left) else left
        rv = right(i) if callable(right) else right
        out.append((round(t0 + i / rate, 6), (lv, rv)))
    return out


def wobble(base: int, amp: int = 3):
    return lambda i: base + (i * 3) % (2 * amp + 1) - amp


def stomp_seg(t0: float, foot: str, peak_count: int = 800):
    """From standing: lift the foot 0.5 s, slam it down, stand 0.5 s."""
    up = seg(t0, 0.5, 0, wobble(600)) if foot == "left" else seg(t0, 0.5, wobble(600), 0)
    prof = [peak_count // 3, peak_count, peak_count, peak_count * 3 // 4, 600, 500]
    t1 = t0 + 0.5
    hit = []
    for i, c in enumerate(prof + [STAND] * 100):
        hit.append((round(t1 + i / RATE, 6), (c, STAND) if foot == "left" else (STAND, c)))
    return up + hit


def fault_run(parts):
    samples = [s for p in parts for s in p]
    return MatDetector(CAL, Layout()).feed_batch(samples)


def assert_fault_cycle(ev, kind, foot, t_start, t_end):
    on = [f for f in faults(ev, True) if f.kind == kind]
    off = [f for f in faults(ev, False) if f.kind == kind]
    assert on, f"no {kind} fault"
    assert on[0].foot == foot
    assert t_start < on[0].t <= t_start + 1.0  # found within 1 s
    assert off and t_end <= off[0].t <= t_end + 1.0  # and cleared on recovery
    assert not [e for e in landings(ev) if on[0].t - 1.0 <= e.t <= off[0].t + 0.05]


@pytest.mark.parametrize("kind,bad", [
    ("railed_low", 0),
    ("railed_high", 1023),
    ("saturated", wobble(1008, 4)),
    ("stuck", 450),
    ("floating", lambda i: random.Random(i).randint(0, 1023)),
])
def test_each_channel_fault_is_found_nothing_counted_and_counting_resumes(kind, bad):
    parts = [seg(0, 1.0, wobble(STAND), wobble(STAND)),
             seg(1.0, 2.0, bad, wobble(STAND)),          # the left channel goes bad
             seg(3.0, 1.0, wobble(STAND), wobble(STAND)),  # and recovers under a standing foot
             stomp_seg(4.0, "left")]
    ev = fault_run(parts)
    assert_fault_cycle(ev, kind, "left", 1.0, 3.0)
    after = [e for e in landings(ev) if e.t > 4.0]
    assert [e.foot for e in after] == ["left"]  # counting resumed
    assert after[0].stomp


def test_stomping_with_a_faulty_foot_counts_nothing_from_it():
    parts = [seg(0, 1.0, wobble(STAND), wobble(STAND)),
             seg(1.0, 1.5, 1023, wobble(STAND))]
    t = 2.5
    for _ in range(3):  # the right foot still counts
        parts.append([(round(s[0] + 0, 6), (1023, s[1][1])) for s in stomp_seg(t, "right")])
        t += 1.6
    ev = fault_run(parts)
    assert landings(ev, "left") == []
    assert len(landings(ev, "right")) == 3


def test_unplugged_mat_is_no_mat_and_replug_is_not_a_landing():
    parts = [seg(0, 1.0, wobble(STAND), wobble(STAND)),
             seg(1.0, 2.0, 0, 0),
             seg(3.0, 2.0, wobble(STAND), wobble(STAND))]
    ev = fault_run(parts)
    nm = [f for f in faults(ev) if f.kind == "no_mat"]
    assert [f.active for f in nm] == [True, False]
    assert nm[0].foot is None and 1.0 < nm[0].t <= 2.0
    assert not [f for f in faults(ev) if f.foot is not None]  # one fault, not three
    assert landings(ev) == []


def test_an_empty_mat_without_bleed_resistor_is_not_a_fault():
    cal = Calibration((0.5, 0.5), 1.0, "x", 10_000, (0, 1))
    ev = MatDetector(cal, Layout()).feed_batch(seg(0, 5.0, 0, lambda i: i % 2))
    assert faults(ev) == []


def test_two_sensors_per_foot_are_summed():
    layout = Layout((0, 2), (1, 3))
    t = TraceBuilder(RATE, SensorModel(channels_per_foot=(2, 2)), layout).opening()
    t.add(stomp("left", 2.5), stomp("right", 1.0, rise_s=0.03))
    ev = run(t)
    assert [(e.foot, e.stomp) for e in landings(ev)] == [("left", True), ("right", False)]


def test_faults_report_foot_and_message():
    ev = fault_run([seg(0, 1.0, wobble(STAND), wobble(STAND)), seg(1.0, 1.5, wobble(STAND), 1023)])
    f = next(x for x in faults(ev, True) if isinstance(x, Fault))
    assert (f.foot, f.kind) == ("right", "railed_high")
    assert "channel 1" in f.message and "shorted" in f.message


def test_a_landing_that_hits_the_adc_ceiling_is_a_saturated_stomp_not_a_wild_number():
    from kiosk.mat.calibrate import Calibrator
    from kiosk.mat.detector import MatDetector
    from kiosk.mat.force import Layout
    from kiosk.mat.sim import TraceBuilder

    layout = Layout()
    opening = TraceBuilder(rate_hz=250).opening().samples()
    cal = Calibrator(layout, 10_000, "2026-11-24T09:00:00").feed_batch(opening)
    assert cal is not None
    det = MatDetector(cal, layout, target_bw=1.5)
    det.feed_batch(opening)  # with a given calibration the step-on is landings too: not these
    events = []
    t, (left, right) = opening[-1]
    empty = round(cal.baseline_counts[0])
    dt = 1 / 250
    trace = []
    for k in range(250):  # lift the left foot, stamp it down onto the rail, stand again
        t += dt
        if k < 75:
            counts = (empty, right + left)
        elif k < 90:
            counts = (1023, right)
        else:
            counts = (left, right)
        trace.append((t, counts))
    events += det.feed_batch(trace)
    landings = [e for e in events if isinstance(e, Landing)]
    assert len(landings) == 1
    hit = landings[0]
    assert hit.foot == "left" and hit.saturated and hit.stomp
    # the sensor's ceiling, a lower bound (kept out of force trends): not the 2045 BW that
    # v/(1-v) gives at the rail
    assert 1.5 <= hit.peak_bw < 100
