"""One-rep max: the formulas against literal values, the rep range, the rounded target."""

import math

import pytest

from kiosk.errors import KioskError
from kiosk.program.onerm import (
    TARGET_HIGH,
    brzycki_kg,
    epley_kg,
    estimate_kg,
    one_rep_max,
    target_load_kg,
)

DEFAULT_WEIGHTS = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]


# weight_kg, reps, Epley w(1 + r/30), Brzycki 36w/(37 - r), their mean
@pytest.mark.parametrize(("weight", "reps", "epley", "brzycki", "mean"), [
    (10.0, 2, 10.6667, 10.2857, 10.4762),
    (20.0, 5, 23.3333, 22.5000, 22.9167),
    (5.0, 8, 6.3333, 6.2069, 6.2701),
    (3.0, 6, 3.6000, 3.4839, 3.5419),
    (10.0, 10, 13.3333, 13.3333, 13.3333),  # the two formulas meet at 10 reps
])
def test_formulas(weight, reps, epley, brzycki, mean):
    assert epley_kg(weight, reps) == pytest.approx(epley, abs=5e-5)
    assert brzycki_kg(weight, reps) == pytest.approx(brzycki, abs=5e-5)
    assert estimate_kg(weight, reps) == pytest.approx(mean, abs=5e-5)


@pytest.mark.parametrize(("reps", "message"), [
    (1, "1 repetition is a maximal lift, which is not safe to test"),
    (0, "0 repetitions is not a set"),
    (-3, "-3 repetitions is not a set"),
    (11, "11 repetitions is too many: beyond 10 the formulas are not reliable"),
    (30, "30 repetitions is too many"),
])
def test_reps_outside_2_to_10_are_refused_with_the_reason(reps, message):
    with pytest.raises(KioskError) as err:
        estimate_kg(10.0, reps)
    assert str(err.value).startswith(message)
    assert "2 to 10" in str(err.value)


@pytest.mark.parametrize("weight", [0.0, -2.0, 301.0, math.nan, math.inf])
def test_impossible_weights_are_refused(weight):
    with pytest.raises(KioskError, match=r"is not possible"):
        estimate_kg(weight, 5)


# one-rep max, weights owned -> target, where it falls
@pytest.mark.parametrize(("one_rm", "weights", "target", "fit"), [
    (10.0, [5, 7, 7.5, 8, 9], 8.0, "in_range"),  # exactly 80 % is allowed
    (10.0, [5, 7.5, 9], 7.5, "in_range"),
    (10.0, [7, 9], 7.0, "in_range"),  # exactly 70 %
    (10.0, [5, 9], 5.0, "below_range"),  # nothing in 70-80 %: the lighter side
    (10.0, [9, 10, 12], 9.0, "above_range"),  # nothing at or below 80 %: the lightest
    (13.3333333, DEFAULT_WEIGHTS, 10.0, "in_range"),
    (4.0, DEFAULT_WEIGHTS, 3.0, "in_range"),
    (2.0, DEFAULT_WEIGHTS, 1.5, "in_range"),
    (0.5, DEFAULT_WEIGHTS, 0.5, "above_range"),
])
def test_target_is_rounded_to_the_weights_at_hand(one_rm, weights, target, fit):
    assert target_load_kg(one_rm, weights) == (target, fit)


def test_target_never_exceeds_80_percent_unless_nothing_lighter_exists():
    for tenths in range(5, 400):
        one_rm = tenths / 10
        target, fit = target_load_kg(one_rm, DEFAULT_WEIGHTS)
        if target > TARGET_HIGH * one_rm + 1e-9:
            assert target == min(DEFAULT_WEIGHTS) and fit == "above_range", one_rm


def test_empty_weights_are_refused():
    with pytest.raises(KioskError, match=r"program.weights_kg"):
        target_load_kg(10.0, [])


def test_one_rep_max_result_and_notes():
    r = one_rep_max(10.0, 10, DEFAULT_WEIGHTS)
    assert (r.estimate_kg, r.low_kg, r.high_kg) == pytest.approx((13.3333, 9.3333, 10.6667),
                                                                 abs=1e-4)
    assert (r.target_kg, r.fit, round(r.target_pct)) == (10.0, "in_range", 75)
    assert "10 kg" in r.note and "70-80%" in r.note
    d = r.as_dict()
    assert d["estimate_kg"] == 13.33 and d["range_kg"] == [9.33, 10.67]
    assert "None of your weights" in one_rep_max(20, 5, [5, 10]).note
    assert "above the 70-80% range" in one_rep_max(1, 5, [2, 3]).note
