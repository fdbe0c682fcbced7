"""Who stepped on (kiosk/mat/who.py): properties of the decision and of the drift rule."""

import itertools
import math
import random
import statistics

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kiosk.mat import who
from kiosk.mat.who import (
    ACCEPT_Z,
    NOISE_FLOOR,
    SEPARATION_Z,
    Match,
    NoMatch,
    TooClose,
    decide,
    distance,
    drifted,
    follow,
    noise_of,
)

loads = st.floats(min_value=0.05, max_value=20.0, allow_nan=False)
noises = st.floats(min_value=0.0, max_value=0.08, allow_nan=False)
households = st.dictionaries(st.sampled_from(["anna", "bert", "cleo", "dora"]), loads,
                             min_size=1, max_size=4)


@given(load=loads, refs=households, noise=noises)
def test_a_match_fits_that_person_alone_and_is_far_from_everyone_else(load, refs, noise):
    d = decide(load, refs, noise)
    fitting = {p for p, r in refs.items() if distance(load, r, noise) <= ACCEPT_Z}
    if isinstance(d, Match):
        assert fitting == {d.person}
        assert all(distance(r, refs[d.person], noise) >= SEPARATION_Z
                   for p, r in refs.items() if p != d.person)
    elif isinstance(d, TooClose):
        assert fitting <= set(d.candidates) and d.candidates[0] in fitting
    else:
        assert isinstance(d, NoMatch) and not fitting
        assert set(d.nearest) == set(refs)


@given(load=loads, refs=households, noise=noises,
       scale=st.floats(min_value=0.2, max_value=5.0))
def test_the_decision_depends_on_ratios_only(load, refs, noise, scale):
    """A mat with a stiffer divider (every load scaled) decides the same."""
    scaled = decide(load * scale, {p: r * scale for p, r in refs.items()}, noise)
    plain = decide(load, refs, noise)
    assume(all(abs(abs(math.log(load / r)) / max(noise, NOISE_FLOOR) - z) > 1e-6
               for r in refs.values() for z in (ACCEPT_Z, SEPARATION_Z)))
    assert type(scaled) is type(plain)
    if isinstance(plain, Match):
        assert scaled == plain


@given(refs=households, noise=noises, data=st.data())
def test_well_separated_people_are_each_recognised_within_their_own_noise(refs, noise, data):
    sigma = max(noise, NOISE_FLOOR)
    ordered = sorted(refs.values())
    assume(all(math.log(b / a) / sigma >= SEPARATION_Z + 1e-9
               for a, b in itertools.pairwise(ordered)))
    person = data.draw(st.sampled_from(sorted(refs)))
    z = data.draw(st.floats(min_value=-ACCEPT_Z + 1e-6, max_value=ACCEPT_Z - 1e-6))
    load = refs[person] * math.exp(z * sigma)
    assert decide(load, refs, noise) == Match(person)


def test_people_closer_than_the_separation_are_always_asked():
    sigma = NOISE_FLOOR
    anna = 1.0
    bert = anna * math.exp((SEPARATION_Z - 0.5) * sigma)  # 11 % heavier: too close at 2 %
    for z in (-2.0, 0.0, 2.0):
        d = decide(anna * math.exp(z * sigma), {"anna": anna, "bert": bert}, sigma)
        assert isinstance(d, TooClose) and d.candidates[0] == "anna" and "bert" in d.candidates
    assert who.separable({"anna": anna, "bert": bert, "cleo": 2.0}, sigma) == [("anna", "bert")]


def test_someone_not_weighed_in_yet_is_always_offered():
    d = decide(1.0, {"anna": 1.0, "bert": None}, 0.02)
    assert d == TooClose(("anna", "bert"))
    assert decide(3.0, {"anna": 1.0, "bert": None}, 0.02) == NoMatch(("anna", "bert"))


def test_a_stranger_fits_no_one():
    assert decide(1.5, {"anna": 1.0, "bert": 2.3}, 0.02) == NoMatch(("anna", "bert"))


@given(ref=loads, load=loads)
def test_a_drift_step_is_bounded_and_moves_towards_the_standing(ref, load):
    new = drifted(ref, load)
    assert abs(math.log(new / ref)) <= math.log1p(who.DRIFT_MAX_STEP) + 1e-12
    assert min(ref, load) - 1e-12 <= new <= max(ref, load) + 1e-12


def test_a_reference_never_learns_from_a_standing_that_fitted_someone_else():
    refs = {"anna": 1.0, "bert": 1.5}
    bert_on_the_mat = 1.5
    d = decide(bert_on_the_mat, refs, 0.02)
    assert d == Match("bert")
    # Anna tapped "this is me" by mistake: her reference stays where it was
    assert follow(refs["anna"], bert_on_the_mat, d, "anna") == 1.0
    assert follow(refs["anna"], 3.0, decide(3.0, refs, 0.02), "anna") == 1.0  # fitted no one
    assert follow(refs["bert"], 1.52, decide(1.52, refs, 0.02), "bert") > 1.5


def test_months_of_weight_change_follow_without_mixing_people_up():
    """Anna gains 8 % over four months, Bert loses 6 %; two standings a day each, each read
    with the sensor's 2 % noise. Every standing that is a Match is the right person, and each
    reference ends within a standing's noise of their weight."""
    rng = random.Random(17)
    true = {"anna": 1.0, "bert": 1.3}
    refs = dict(true)
    wrong = asked = 0
    days = 120
    for day in range(days):
        weight = {"anna": 1.0 * (1 + 0.08 * day / days), "bert": 1.3 * (1 - 0.06 * day / days)}
        for person in ("anna", "bert", "anna", "bert"):
            load = weight[person] * math.exp(rng.gauss(0.0, NOISE_FLOOR))
            d = decide(load, refs, NOISE_FLOOR)
            if isinstance(d, Match):
                wrong += d.person != person
            else:
                asked += 1
            refs[person] = follow(refs[person], load, d, person)  # they confirm who they are
    assert wrong == 0
    assert asked < 0.02 * days * 4  # a handful of 3-sigma standings are asked, no more
    for person in true:
        end = true[person] * (1.08 if person == "anna" else 0.94)
        assert abs(math.log(refs[person] / end)) < NOISE_FLOOR


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=0.5, max_value=0.5001), min_size=2, max_size=30))
def test_quiet_standing_noise_is_never_below_the_sensors_repeatability(values):
    assert noise_of(values) == NOISE_FLOOR
    assert noise_of([1.0, 1.1, 0.9, 1.05]) > NOISE_FLOOR


def test_the_simulated_mats_quiet_standing_noise_is_below_the_sensors_repeatability():
    """The figure docs/who.md gives: a standing load measured each second of 20 s of quiet
    standing varies by far less than the FSR's 2 % repeatability, so that floor sets the rule."""
    from kiosk.clock import FakeClock
    from kiosk.config import defaults
    from kiosk.mat.link import MatLink
    from kiosk.mat.sim import SimMat

    clock = FakeClock()
    mat = SimMat(clock, rate_hz=250)
    link = MatLink.from_config(defaults(), calibration=None, save_to=None)
    link.measure_load = True  # as a household's kiosk sets it
    link.set_calibrating(True)  # the kiosk's own weigh-in: empty mat, then standing still
    loads = []
    for k in range(30 * 30):
        if k == 60:
            mat.step_on()
        clock.advance(1 / 30)
        link.feed(mat.drain())
        if link.calibration is not None and k % 30 == 0:
            loads.append(link.standing_load())
    loads = loads[1:]  # the first second after the weigh-in is still filling
    assert None not in loads and len(loads) >= 20
    spread = statistics.stdev(math.log(x) for x in loads)
    assert spread < 0.002  # 0.2 %: ten times below the floor
    assert noise_of(loads) == NOISE_FLOOR
