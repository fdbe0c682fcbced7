"""The calibrator: empty, then standing still; progress and reasons it fails."""

import pytest

from kiosk.mat.calibrate import DONE, EMPTY, FAILED, NOTHING, STANDING, Calibrator
from kiosk.mat.force import Layout
from kiosk.mat.sim import SensorModel, TraceBuilder, empty, stand, step_on, stomp
from tests.mat_support import CREATED


def feed(samples, **kw):
    cal = Calibrator(Layout(), 10_000, CREATED, **kw)
    return cal, cal.feed_batch(samples)


def test_calibrates_from_empty_then_standing_still():
    samples = TraceBuilder(250).opening().samples()
    cal, result = feed(samples)
    assert cal.phase == DONE and result is not None
    assert result.bw_conductance == pytest.approx(1.0, rel=0.05)  # 0.5 + 0.5 per foot
    assert all(10 <= b <= 15 for b in result.baseline_counts)  # the bleed floor
    assert result.channels == (0, 1) and result.created == CREATED
    assert 3.9 <= samples[cal.consumed - 1][0] <= 4.2  # 1.5 empty + 0.6 step-on + 2 s still
    assert cal.progress().fraction == 1.0


def test_progress_moves_through_the_phases():
    samples = TraceBuilder(250).opening().samples()
    cal = Calibrator(Layout(), 10_000, CREATED)
    seen = []
    for t, c in samples:
        cal.feed(t, c)
        p = cal.progress()
        if not seen or seen[-1][0] != p.phase:
            seen.append((p.phase, p.fraction))
    assert [s[0] for s in seen] == [EMPTY, STANDING, DONE]
    assert seen[1][1] == pytest.approx(0.3)


def test_a_stomp_during_standing_restarts_the_still_window():
    tb = TraceBuilder(250).add(empty(1.5), step_on(), stand(1.0), stomp("left", 2.0), stand(2.5))
    cal, result = feed(tb.samples())
    assert result is not None
    t_done = tb.samples()[cal.consumed - 1][0]
    assert t_done >= 1.5 + 0.6 + 1.0 + 0.55 + 2.0  # 2 s still after the stomp came down


def test_a_dead_mat_says_it_reads_nothing():
    cal, result = feed([(i / 250, (0, 0)) for i in range(250 * 40)])
    assert result is None and cal.phase == FAILED and cal.failure == NOTHING


def test_standing_on_one_foot_is_refused_until_both_are_loaded():
    one_foot = [(1.5 + i / 250, (600, 12)) for i in range(250 * 5)]
    cal, result = feed([(i / 250, (12, 12)) for i in range(375)] + one_foot)
    assert result is None and "one foot on each side" in cal.progress().message


def test_a_mat_that_never_settles_fails_with_a_reason():
    noisy = [(i / 250, ((i * 37) % 90, 5)) for i in range(250 * 35)]
    cal, result = feed(noisy)
    assert result is None and "settle" in cal.failure


def test_single_sample_spikes_do_not_spoil_the_empty_second():
    tb = TraceBuilder(250, SensorModel(spike_rate_hz=3.0, seed=2)).opening()
    _, result = feed(tb.samples())
    assert result is not None
