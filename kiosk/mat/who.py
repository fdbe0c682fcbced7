"""Who stepped on: a standing load against each person's own, and how a reference follows a
person's weight over months. Pure: values in, a decision out (docs/who.md has the figures).

A *standing load* is the mat's estimate of one person standing still on both feet: the summed
conductance of every channel, the empty mat's reading removed, averaged over a quiet second (the
weigh-in's own measure, ``force.Calibration.bw_conductance``). Loads are compared as ratios, so
the rule does not depend on the mat's divider or on how heavy anyone is.

The rule. ``noise`` is the relative standard deviation of one standing-load estimate of the
same person (``NOISE_FLOOR`` or more, see ``noise_of``). A load *fits* a person when it is within
``ACCEPT_Z`` of those deviations of their reference. It is a ``Match`` only when exactly one
person fits and no other reference lies within ``SEPARATION_Z`` deviations of that one: then a
standing of someone else is read as this person only on an error of ``SEPARATION_Z - ACCEPT_Z``
deviations or more, one-sided, which a normal error makes 0.13 % of the time, and the person
still confirms with a foot tap. Several fitting, or people too close together to tell apart, is
``TooClose``; nobody fitting, or someone not weighed in yet who might be the one standing, asks
too: the person chooses with their feet.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: One standing-load estimate's relative SD, at least: the FSR 400 series' single-part force
#: repeatability, +/- 2 % (one SD over the mean, Interlink's data sheet). The mat's own noise on
#: quiet standing is far below it (docs/who.md: 0.01 % on the simulated mat, 0.04 % median on the
#: development recordings' standing openings), so the sensor's repeatability is what counts until
#: the person's own standings show more.
NOISE_FLOOR = 0.02
ACCEPT_Z = 3.0  # a person's own standing fits them 99.7 % of the time (two-sided)
SEPARATION_Z = 2 * ACCEPT_Z  # references this far apart: no standing fits two people
#: The drift rule: a confirmed person's quiet standing moves their reference by this share of
#: the (log) difference, never by more than ``DRIFT_MAX_STEP`` at once: about a month of two
#: sessions a day follows a 5 % change in weight, and one odd standing moves it 1 % at most.
DRIFT_GAIN = 0.1
DRIFT_MAX_STEP = 0.01
#: A new weigh-in this far from the person's previous reference (either way) is not taken as
#: theirs without a confirmation: two people on the mat, a helper's foot or a bag weigh in too
#: heavy, and a reference too high over-loads their stomps.
FAR_WEIGH_IN = 0.15


@dataclass(frozen=True, slots=True)
class Match:
    """The load fits this person alone, and they are far enough from everyone else."""

    person: str


@dataclass(frozen=True, slots=True)
class TooClose:
    """The load fits more than one person, or people too close to tell apart: ask them."""

    candidates: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class NoMatch:
    """The load fits no one (or someone not weighed in yet may be standing): ask them."""

    nearest: tuple[str, ...] = ()


Decision = Match | TooClose | NoMatch


def distance(load: float, reference: float, noise: float) -> float:
    """How many standing-load deviations apart two loads are (as a ratio, so either way)."""
    if load <= 0 or reference <= 0:
        return math.inf
    return abs(math.log(load / reference)) / max(noise, NOISE_FLOOR)


def decide(load: float, references: Mapping[str, float | None], noise: float) -> Decision:
    """Who stood on the mat, from their standing load and each person's reference load
    (``None``: not weighed in yet). Candidates come nearest first."""
    weighed = {p: r for p, r in references.items() if r is not None and r > 0}
    unweighed = tuple(p for p in references if p not in weighed)
    by_distance = sorted(weighed, key=lambda p: distance(load, weighed[p], noise))
    fitting = tuple(p for p in by_distance if distance(load, weighed[p], noise) <= ACCEPT_Z)
    if not fitting:
        return NoMatch(tuple(by_distance) + unweighed)
    if len(fitting) > 1 or unweighed:
        return TooClose(fitting + unweighed)
    (only,) = fitting
    near = tuple(p for p in by_distance if p != only
                 and distance(weighed[p], weighed[only], noise) < SEPARATION_Z)
    return TooClose((only, *near)) if near else Match(only)


def separable(references: Mapping[str, float], noise: float) -> list[tuple[str, str]]:
    """Pairs of people whose references are too close for the mat to tell them apart (the
    kiosk then always asks them; ``doctor`` says so)."""
    keys = list(references)
    return [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]
            if distance(references[a], references[b], noise) < SEPARATION_Z]


def drifted(reference: float, load: float) -> float:
    """A confirmed person's reference after one of their quiet standings: a bounded step
    towards it (``DRIFT_GAIN``, at most ``DRIFT_MAX_STEP``), so months of weight change follow
    while a single odd standing (a bag in hand, a lean) barely moves it."""
    if reference <= 0 or load <= 0:
        return reference
    step = DRIFT_GAIN * math.log(load / reference)
    limit = math.log1p(DRIFT_MAX_STEP)
    return reference * math.exp(max(-limit, min(limit, step)))


def follow(reference: float, load: float, decision: Decision, confirmed: str) -> float:
    """The confirmed person's reference after this standing: it drifts only when the mat's
    own decision was this person (a ``Match``, or them among the ``TooClose`` candidates
    nearest first); never from a standing that fitted someone else or no one."""
    fits = (isinstance(decision, Match) and decision.person == confirmed) or (
        isinstance(decision, TooClose) and decision.candidates[:1] == (confirmed,))
    return drifted(reference, load) if fits else reference


def far_from(reference: float, load: float) -> bool:
    """Is a new weigh-in (``load``) more than ``FAR_WEIGH_IN`` from the previous reference?"""
    if reference <= 0 or load <= 0:
        return True
    return abs(math.log(load / reference)) > math.log1p(FAR_WEIGH_IN)


def noise_of(loads: Sequence[float]) -> float:
    """The relative SD of a run of standing-load estimates (one person's quiet seconds, or
    their standings over weeks), never below ``NOISE_FLOOR``."""
    good = [x for x in loads if x > 0]
    if len(good) < 2:
        return NOISE_FLOOR
    logs = [math.log(x) for x in good]
    return max(NOISE_FLOOR, statistics.stdev(logs))
