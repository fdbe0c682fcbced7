"""The detector's failure modes on real signals (issue 14), each as a literal sample table.

Tables are runs of force in BW at 100 Hz (the slowest rate the kiosk must handle): ``(bw, n)``
holds ``bw`` for ``n`` samples, ``(a, b, n)`` ramps from ``a`` to ``b`` over ``n`` samples.
The calibration has no empty-mat floor and 1.0 BW = conductance 1, so a count is
``count_for(bw)``.
"""

import random

import pytest

from kiosk.mat.baseline import ThresholdCounter
from kiosk.mat.calibrate import Calibrator
from kiosk.mat.detector import DetectorSettings, MatDetector
from kiosk.mat.force import Calibration, Layout, count_for
from kiosk.mat.sim import SensorModel, TraceBuilder, stomp
from tests.mat_support import landings, run

RATE = 100
CAL = Calibration((0.0, 0.0), 1.0, "2026-01-01T00:00:00", 10_000, (0, 1))


def runs(*parts) -> list[float]:
    out: list[float] = []
    for p in parts:
        if len(p) == 2:
            out += [p[0]] * p[1]
        else:
            a, b, n = p
            out += [a + (b - a) * (k + 1) / n for k in range(n)]
    return out


def samples(left: list[float], right: list[float], t0: float = 0.0):
    n = min(len(left), len(right))
    return [(round(t0 + i / RATE, 6), (round(count_for(left[i])), round(count_for(right[i]))))
            for i in range(n)]


def detect(left, right, **changes):
    det = MatDetector(CAL, Layout(), 1.5, **changes)
    return det.feed_batch(samples(left, right)) + det.finish()


def count(events, foot):
    return len(landings(events, foot))


# one walking stride of one foot: swing at `swing`, a heel strike to ~1 BW, stance, push-off
def stride(swing: float = 0.0, load=((0.0, 1.0, 4),), dip=None):
    stance = [(1.0, 10), (1.0, 0.75, 8)]
    if dip is not None:  # heel peak, a deep mid-stance valley, forefoot peak
        stance = [(1.0, 10), (1.0, dip, 6), (dip, 6), (dip, 1.05, 6), (1.05, 6)]
    lift = (0.75 if dip is None else 1.05, swing, 6)
    return runs((swing, 40), *[(swing + a, swing + b, n) for a, b, n in load], *stance, lift)


def walk(strides: int, **kw) -> tuple[list[float], list[float]]:
    one = stride(**kw)
    left = runs((0.0, 50)) + one * strides + runs((kw.get("swing", 0.0), 60))
    half = len(one) // 2
    right = runs((1.0, 50)) + runs((1.0, half)) + one * strides  # out of phase, loaded first
    right = right[:len(left)] + runs((1.0, max(0, len(left) - len(right))))
    return left, right


def test_a_swing_level_above_the_release_threshold_still_releases():
    """Mode 1: the swinging foot reads 0.22 BW above the empty floor; every stride counts."""
    left, right = walk(6, swing=0.22)
    ev = detect(left, right)
    assert count(ev, "left") == 6
    old = DetectorSettings().with_changes(release_max_bw=0.10)  # a fixed release at off_bw
    assert count(detect(left, right, settings=old), "left") < 6  # the old failure, shown


def test_a_pre_load_creep_or_bump_before_the_strike_does_not_block_the_landing():
    """Mode 2: force creeps through the onset threshold 0.3 s before the real strike."""
    creep = runs((0.0, 60), (0.0, 0.32, 30), (0.32, 10), (0.32, 1.1, 3), (1.1, 30), (1.1, 0.0, 8),
                 (0.0, 60))
    other = runs((0.6, len(creep)))  # not single support: only the strike can make it land
    assert count(detect(creep, other), "left") == 1
    bump = runs((0.0, 60), (0.0, 0.45, 3), (0.45, 0.05, 4), (0.05, 10), (0.05, 1.1, 3),
                (1.1, 30), (1.1, 0.0, 8), (0.0, 60))
    assert count(detect(bump, runs((0.6, len(bump)))), "left") == 1


def test_a_slowly_loaded_contact_from_single_support_is_a_landing():
    """Mode 3: loading at 1.5 BW/s (fastest 50 ms rise 0.075 BW) while the other foot stands."""
    slow = runs((0.0, 60), (0.0, 1.0, 66), (1.0, 30), (1.0, 0.0, 10), (0.0, 40))
    assert count(detect(slow, runs((1.0, len(slow)))), "left") == 1
    # the same loading while the other foot unloads as fast is a weight shift: no landing
    shift = [1.0 - x for x in slow]
    assert count(detect(slow, shift), "left") == 0


def test_the_last_contact_is_decided_when_the_stream_ends():
    """Mode 4: the trace stops 10 ms into a landing; ``finish`` decides it."""
    left = runs((0.0, 60), (0.0, 0.9, 3), (0.9, 1))
    right = runs((1.0, len(left)))
    det = MatDetector(CAL, Layout())
    assert landings(det.feed_batch(samples(left, right))) == []
    assert [e.foot for e in landings(det.finish())] == ["left"]
    assert landings(det.finish()) == []  # decided once: a second finish adds nothing


def test_calibration_from_a_short_opening_tolerates_adc_noise():
    """Mode 5: the still window starts on the step-on ramp's tail; ±3 counts must not reset it.

    1.5 s empty, a 0.6 s step-on whose last 0.05 s creeps up the final 15 %, then 3 s still.
    """
    rng = random.Random(4)
    stand = 340
    ramp = [round(stand * 0.85 * (k + 1) / 55) for k in range(55)]
    ramp += [round(stand * (0.85 + 0.15 * (k + 1) / 5)) for k in range(5)]
    counts = ([rng.randint(0, 2) for _ in range(150)] + ramp
              + [stand + rng.randint(-3, 3) for _ in range(300)])
    trace = [(round(i / RATE, 6), (c, max(0, c + rng.randint(-2, 2))))
             for i, c in enumerate(counts)]
    cal = Calibrator(Layout(), 10_000, "2026-01-01T00:00:00")
    assert cal.feed_batch(trace) is not None, cal.progress()
    assert trace[cal.consumed - 1][0] <= 5.1


def test_a_deep_mid_stance_dip_is_not_a_new_contact():
    """Mode 6: heel peak, a valley at 0.25 BW (under the release level) for 60 ms, forefoot
    peak: one contact, because a valley is shorter than any swing (``min_air_s``)."""
    left, right = walk(5, dip=0.25)
    assert count(detect(left, right), "left") == 5


def test_settings_are_validated_and_name_what_is_allowed():
    with pytest.raises(ValueError, match=r"unknown detector setting 'on_bq'.*allowed: "):
        DetectorSettings().with_changes(on_bq=0.3)
    for bad in ({"release_fraction": 1.2}, {"leave_bw": 0.3}, {"release_max_bw": 0.05},
                {"onset_s": 0}):
        with pytest.raises(ValueError, match="detector setting"):
            DetectorSettings().with_changes(**bad)
    assert MatDetector(CAL, Layout()).settings == DetectorSettings()


@pytest.mark.parametrize("seed", range(6))
def test_any_batching_gives_the_same_events_on_real_like_walking(seed):
    """Property: cutting the stream anywhere never changes an event (random cuts, 6 seeds)."""
    left, right = walk(5, swing=0.15, dip=0.5)
    body = samples(left, right)
    whole = MatDetector(CAL, Layout()).feed_batch(body)
    det = MatDetector(CAL, Layout())
    rng = random.Random(seed)
    got, i = [], 0
    while i < len(body):
        n = rng.randint(1, 50)
        got += det.feed_batch(body[i:i + n])
        i += n
    assert len(landings(whole)) >= 5
    assert sorted(map(repr, got)) == sorted(map(repr, whole))


def test_stomp_peaks_and_the_saturated_flag_are_those_of_the_previous_detector():
    """The fixes change what counts, not what a stomp weighs: these are 0.1.0's own outputs."""
    tb = TraceBuilder(250, SensorModel(g_stand=8.0, spike_rate_hz=0.5, seed=2)).opening()
    for k in range(8):
        tb.add(stomp("left" if k % 2 else "right", 1.0 + 0.4 * k, rise_s=0.01 + 0.005 * k))
    got = [(e.foot, e.peak_bw, e.saturated) for e in landings(run(tb))]
    assert got == [("right", 0.933, False), ("left", 1.238, False), ("right", 1.491, False),
                   ("left", 1.868, False), ("right", 2.061, False), ("left", 2.297, False),
                   ("right", 2.592, False), ("left", 2.708, True)]


def test_the_simple_counter_counts_clean_walking_and_fails_where_the_detector_does_not():
    counter = ThresholdCounter(CAL, Layout())
    counter.feed_batch(samples(*walk(6)))
    assert counter.counts["left"] == 6
    swinging_high = ThresholdCounter(CAL, Layout())
    swinging_high.feed_batch(samples(*walk(6, swing=0.22)))
    assert swinging_high.counts["left"] == 1  # the first; then never under its fixed release
    with pytest.raises(ValueError, match="off_bw"):
        ThresholdCounter(CAL, Layout(), on_bw=0.1, off_bw=0.2)
