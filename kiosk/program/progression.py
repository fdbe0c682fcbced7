"""Progression as pure rules: what the person did in, typed decisions with a reason out.

Bone and muscle answer a load that grows as they adapt (progressive overload), so each part of
the program has a rule that moves it on, and a cap it never passes:

- strength with a weight: every rep of every set at the target load in two sessions running
  steps up to the next weight the person owns, never above 80 % of the one-rep max (the
  article's 70-80 %), so training stays below LIFTMOR's supervised 5 x 5 at > 85 % (Watson et
  al., JBMR 2018); the one-rep max is retested every 4-6 weeks (``RETEST_AFTER_DAYS``), and
  at once when the cap holds the load back. The sit-to-stand lifts most of the body as well as
  the weight, so its estimate counts that share of body mass;
- strength without a weight (heel raises, push-ups, band pulls): the same two full sessions
  move to the next variant of its ladder (slower, then one-footed; wall, then counter);
- stomps: the target rises by ``STOMP_STEP_BW`` while the person reaches it reliably, up to the
  configured ceiling, and never below ``STOMP_FLOOR_BW``, well above walking;
- back extensors and core: a full week (5 days, Sinaki et al., Bone 2002) adds a hold, up to
  10; at 10 the next variant (seated, wall, band, lying when floor work is allowed);
- balance (daily, progressed: Too Fit To Fracture, Giangregorio et al., Osteoporos Int 2014):
  a full week lengthens the hold by 5 s up to 30 s, then the next variant;
- activity minutes: a week that reached the weekly goal adds 10 minutes, up to the published
  150 a week (Too Fit To Fracture). The 10-minute step is ours: small, from where the person
  starts;
- pain: two "it hurt" answers for the same exercise within a week pause it until the helper
  clears it.

Nothing here reads a clock or a file: ``today`` and the history are arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from kiosk.program.catalogue import Catalogue
from kiosk.program.model import Exercise, Profile
from kiosk.program.onerm import MAX_REPS, MIN_REPS, TARGET_HIGH, TARGET_LOW, estimate_kg
from kiosk.program.safety import allowed

#: Two sessions running with every rep done (issue 11; the usual "2-for-2" overload rule).
FULL_SESSIONS_TO_STEP = 2
#: One-rep-max retest every 4-6 weeks: due at 4, and said to be overdue after 6.
RETEST_AFTER_DAYS, RETEST_OVERDUE_DAYS = 28, 42
#: Highest training load as a share of the one-rep max (the article's 70-80 %).
MAX_LOAD_FRACTION = TARGET_HIGH
#: LIFTMOR's supervised regime (5 sets of 5 at > 85 %): the kiosk stays below all of it.
LIFTMOR_FRACTION, LIFTMOR_SETS = 0.85, 5
#: Sets of a strength exercise: 1-3 (Too Fit To Fracture).
MAX_STRENGTH_SETS = 3
#: The article's dose: four stomps on each foot, twice a day.
STOMPS_PER_FOOT_CAP = 4
#: The stomp target never falls to walking level (~1.2 BW on this mat, ordinary contacts up to
#: ~1.3 in the gaitndd walking data): 1.4 stays clearly above every walking contact.
STOMP_FLOOR_BW = 1.4
STOMP_STEP_BW = 0.1
#: "Reliably": this share of landings on target in each of the last ``STOMP_SETS`` sets.
STOMP_HIT_SHARE, STOMP_SETS = 0.875, 4
#: Sinaki et al. (Bone 2002): 10 back-extensor repetitions, 5 days a week.
EXTENSOR_MAX_HOLDS, FULL_DAYS_A_WEEK = 10, 5
EXTENSOR_START_HOLDS = 5
BALANCE_START_HOLD_S, BALANCE_STEP_S, BALANCE_MAX_HOLD_S = 10, 5, 30
#: Too Fit To Fracture: 150 minutes a week of moderate activity.
WEEKLY_MIN_GOAL, WEEKLY_MIN_STEP = 150, 10
#: A week's minutes count as reaching the goal at this share (a short session is not a fail).
WEEKLY_MIN_SHARE = 0.9
#: Share of body mass a sit-to-stand lifts: all but both shanks and feet (0.0465 + 0.0145 of
#: body mass each; Winter, Biomechanics and Motor Control of Human Movement, 4th ed., 2009).
BODY_SHARE = {"sit_to_stand": 1 - 2 * (0.0465 + 0.0145)}
#: Two "it hurt" answers for one exercise within this many days pause it.
PAIN_WINDOW_DAYS = 7


# --- what happened: plain records the store's rows become -------------------------------------

@dataclass(frozen=True, slots=True)
class SetResult:
    """One strength set: ``reps`` done of ``target_reps``, at ``load_kg`` (None: no weight)."""

    day: date
    exercise_id: str
    reps: int
    target_reps: int
    load_kg: float | None = None


@dataclass(frozen=True, slots=True)
class HoldResult:
    """One timed hold of a back, core or balance exercise."""

    day: date
    exercise_id: str
    held_s: float
    target_s: float


@dataclass(frozen=True, slots=True)
class StompSet:
    """One set of stomps: landings on target of those tried, against ``target_bw``."""

    day: date
    hits: int
    attempts: int
    target_bw: float


@dataclass(frozen=True, slots=True)
class ActiveMinutes:
    """Minutes of marching or stepping on one day."""

    day: date
    minutes: float


@dataclass(frozen=True, slots=True)
class OneRmSet:
    """A one-rep-max test set: ``reps`` lifts of ``weight_kg`` (the weight in the hands)."""

    day: date
    exercise_id: str
    weight_kg: float
    reps: int


@dataclass(frozen=True, slots=True)
class Hurt:
    """An "it hurt" answer after an exercise."""

    day: date
    exercise_id: str


@dataclass(frozen=True, slots=True)
class History:
    """Everything the rules read; any order, any span."""

    sets: tuple[SetResult, ...] = ()
    holds: tuple[HoldResult, ...] = ()
    stomps: tuple[StompSet, ...] = ()
    minutes: tuple[ActiveMinutes, ...] = ()
    tests: tuple[OneRmSet, ...] = ()
    hurts: tuple[Hurt, ...] = ()


# --- where the person is, and how far they may go --------------------------------------------

@dataclass(frozen=True, slots=True)
class Caps:
    """The limits no decision passes; from the config (``caps_from``)."""

    weights_kg: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0)
    stomp_floor_bw: float = STOMP_FLOOR_BW
    stomp_ceiling_bw: float = 2.5
    extensor_max_holds: int = EXTENSOR_MAX_HOLDS
    balance_max_hold_s: int = BALANCE_MAX_HOLD_S
    weekly_min_goal: int = WEEKLY_MIN_GOAL
    max_load_fraction: float = MAX_LOAD_FRACTION


@dataclass(frozen=True, slots=True)
class ProgressState:
    """The person's current doses, which the plan uses. Ladders map to the rung reached;
    ``holds`` (back and core ladders) and ``hold_s`` (balance) are per ladder."""

    loads_kg: Mapping[str, float] = field(default_factory=dict)
    tested_on: Mapping[str, date] = field(default_factory=dict)
    one_rm_kg: Mapping[str, float] = field(default_factory=dict)
    rungs: Mapping[str, int] = field(default_factory=dict)
    holds: Mapping[str, int] = field(default_factory=dict)
    hold_s: Mapping[str, int] = field(default_factory=dict)
    stomp_target_bw: float = 1.5
    weekly_min: int = 70
    minutes_week: date | None = None  # the last week whose minutes were judged (its Monday)
    retest_due: frozenset[str] = frozenset()
    paused: Mapping[str, date] = field(default_factory=dict)

    def rung(self, ladder: str) -> int:
        return self.rungs.get(ladder, 1)


@dataclass(frozen=True, slots=True)
class Decision:
    """One progression step, logged and shown by ``report`` with its reason."""

    day: date
    rule: str  # strength_load, retest, variant, stomp_target, holds, hold_time, minutes, pain
    subject: str  # an exercise id, a ladder, "stomps" or "activity"
    before: Any
    after: Any
    reason: str
    unit: str = ""  # "kg", "BW", "s", "holds", "min a week"; a rung is "rung"

    def line(self) -> str:
        """``sit_to_stand 4 → 5 kg on 12 Dec: all sets done twice``."""
        unit = f" {self.unit}" if self.unit else ""
        before = f"{self.unit} {_fmt(self.before)}" if self.unit == "rung" else \
            _fmt(self.before)
        after = f"{_fmt(self.after)}" if self.unit == "rung" else f"{_fmt(self.after)}{unit}"
        return f"{self.subject} {before} → {after} on {self.day.day} {self.day:%b}: " \
               f"{self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """Plain values for the log and ``--json``."""
        return {"day": self.day.isoformat(), "rule": self.rule, "subject": self.subject,
                "before": self.before, "after": self.after, "unit": self.unit,
                "reason": self.reason, "line": self.line()}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "none" if value is None else str(value)


def caps_from(config: Any) -> Caps:
    """The caps a config sets (ceiling and weights owned); the published ones are constants."""
    p = config.program
    return Caps(weights_kg=tuple(float(w) for w in p["weights_kg"]),
                stomp_ceiling_bw=max(STOMP_FLOOR_BW, float(p["stomp_ceiling_bw"])))


def initial_state(config: Any) -> ProgressState:
    """Where a new person starts: the config's doses, raised to the floors where they are
    lower, and the weekly minutes the schedule already gives (capped at the goal)."""
    p, s = config.program, config.schedule
    high = len(s["high_cardio_days"])
    weekly = p["cardio_high_min"] * high + p["cardio_low_min"] * (7 - high)
    ceiling = max(STOMP_FLOOR_BW, float(p["stomp_ceiling_bw"]))
    return ProgressState(stomp_target_bw=max(STOMP_FLOOR_BW,
                                             min(ceiling, float(p["stomp_target_bw"]))),
                         weekly_min=min(WEEKLY_MIN_GOAL, int(weekly)))


# --- strength ------------------------------------------------------------------------------

def body_share_kg(exercise_id: str, body_mass_kg: float) -> float:
    """The part of the body an exercise lifts along with the weight (0 when not known)."""
    return BODY_SHARE.get(exercise_id, 0.0) * max(0.0, body_mass_kg)


def one_rm_total_kg(test: OneRmSet, body_mass_kg: float) -> float:
    """The one-rep max of the whole load lifted: weight in the hands plus the body's share."""
    return estimate_kg(test.weight_kg + body_share_kg(test.exercise_id, body_mass_kg), test.reps)


def load_cap_kg(exercise_id: str, one_rm_kg: float, body_mass_kg: float,
                caps: Caps) -> float:
    """The heaviest weight in the hands that keeps the whole load within the cap."""
    return caps.max_load_fraction * one_rm_kg - body_share_kg(exercise_id, body_mass_kg)


def target_from_test(test: OneRmSet, body_mass_kg: float, caps: Caps) -> float | None:
    """The weight to start with after a test: the lightest owned one at 70 % or more of the
    one-rep max, so there is room to step up within 70-80 %; else the heaviest within the cap;
    None when even the lightest would pass the cap (train without a weight)."""
    if not MIN_REPS <= test.reps <= MAX_REPS:
        return None
    one_rm = one_rm_total_kg(test, body_mass_kg)
    cap = load_cap_kg(test.exercise_id, one_rm, body_mass_kg, caps)
    low = cap - (caps.max_load_fraction - TARGET_LOW) * one_rm
    fits = [w for w in sorted(caps.weights_kg) if w <= cap + 1e-9]
    in_range = [w for w in fits if w >= low - 1e-9]
    return in_range[0] if in_range else fits[-1] if fits else None


def full_sessions(sets: Iterable[SetResult], exercise_id: str, load_kg: float | None,
                  since: date | None = None) -> list[tuple[date, bool]]:
    """Each day after ``since`` the exercise was done at ``load_kg``: whether every rep of
    every set was done."""
    days: dict[date, bool] = {}
    for s in sets:
        if s.exercise_id == exercise_id and s.load_kg == load_kg \
                and (since is None or s.day > since):
            days[s.day] = days.get(s.day, True) and s.reps >= s.target_reps
    return sorted(days.items())


def ran_full_twice(sessions: list[tuple[date, bool]]) -> bool:
    """The last ``FULL_SESSIONS_TO_STEP`` sessions were all full."""
    last = sessions[-FULL_SESSIONS_TO_STEP:]
    return len(last) == FULL_SESSIONS_TO_STEP and all(full for _, full in last)


def strength_load(exercise_id: str, load_kg: float, one_rm_kg: float | None,
                  sets: Iterable[SetResult], body_mass_kg: float, caps: Caps,
                  today: date, since: date | None = None) -> Decision | None:
    """Step up to the next owned weight after two full sessions (since the last test), if
    the cap allows; when it does not, the one-rep max is tested again."""
    if not ran_full_twice(full_sessions(sets, exercise_id, load_kg, since)):
        return None
    heavier = [w for w in sorted(caps.weights_kg) if w > load_kg + 1e-9]
    if not heavier:
        return None
    cap = load_cap_kg(exercise_id, one_rm_kg, body_mass_kg, caps) if one_rm_kg else load_kg
    if heavier[0] > cap + 1e-9:
        return Decision(today, "retest", exercise_id, load_kg, load_kg,
                        f"all sets done twice, but {heavier[0]:g} kg would pass "
                        f"{caps.max_load_fraction:.0%} of the one-rep max: test again", "kg")
    return Decision(today, "strength_load", exercise_id, load_kg, heavier[0],
                    "all sets done twice", "kg")


def retest(exercise_id: str, tested_on: date, today: date) -> Decision | None:
    """The one-rep max is due for a retest 4 weeks after the last one."""
    days = (today - tested_on).days
    if days < RETEST_AFTER_DAYS:
        return None
    late = " (overdue)" if days >= RETEST_OVERDUE_DAYS else ""
    return Decision(today, "retest", exercise_id, tested_on.isoformat(), "test set",
                    f"one-rep max last tested {days // 7} weeks ago{late}")


def variant_step(ladder: str, rung: int, exercise: Exercise, sets: Iterable[SetResult],
                 next_ok: bool, today: date) -> Decision | None:
    """A body-weight move: two full sessions move it to the next, harder variant."""
    if next_ok and ran_full_twice(full_sessions(sets, exercise.id, None)):
        return Decision(today, "variant", ladder, rung, rung + 1,
                        f"all sets of {exercise.id} done twice", "rung")
    return None


# --- holds: back, core and balance ----------------------------------------------------------

def full_hold_days(holds: Iterable[HoldResult], exercise_id: str, needed: int, hold_s: float,
                   today: date) -> int:
    """Days in the week before ``today`` with at least ``needed`` holds of ``hold_s``."""
    start = today - timedelta(days=7)
    count: dict[date, int] = {}
    for h in holds:
        if h.exercise_id == exercise_id and start <= h.day < today \
                and h.held_s >= hold_s - 0.5:
            count[h.day] = count.get(h.day, 0) + 1
    return sum(1 for n in count.values() if n >= needed)


def holds_step(ladder: str, rung: int, holds_now: int, exercise: Exercise,
               history: Iterable[HoldResult], next_ok: bool, caps: Caps,
               today: date) -> Decision | None:
    """Back and core: a full week adds a hold; at the most holds, the next variant."""
    sides = 2 if exercise.dose.per_side else 1
    days = full_hold_days(history, exercise.id, holds_now * sides, exercise.dose.hold_s, today)
    if days < FULL_DAYS_A_WEEK:
        return None
    why = f"all holds done on {days} days this week"
    if holds_now < caps.extensor_max_holds:
        return Decision(today, "holds", ladder, holds_now, holds_now + 1, why, "holds")
    if next_ok:
        return Decision(today, "variant", ladder, rung, rung + 1, why, "rung")
    return None


def hold_time_step(ladder: str, rung: int, hold_s: int, exercise: Exercise,
                   history: Iterable[HoldResult], next_ok: bool, caps: Caps,
                   today: date) -> Decision | None:
    """Balance: a full week lengthens the hold; at the longest, the next variant."""
    sides = 2 if exercise.dose.per_side else 1
    days = full_hold_days(history, exercise.id, exercise.dose.reps * sides, hold_s, today)
    if days < FULL_DAYS_A_WEEK:
        return None
    why = f"steady for every hold on {days} days this week"
    if hold_s < caps.balance_max_hold_s:
        return Decision(today, "hold_time", ladder, hold_s,
                        min(caps.balance_max_hold_s, hold_s + BALANCE_STEP_S), why, "s")
    if next_ok:
        return Decision(today, "variant", ladder, rung, rung + 1, why, "rung")
    return None


# --- stomps and minutes ------------------------------------------------------------------------

def stomp_target(target_bw: float, stomps: Iterable[StompSet], caps: Caps,
                 today: date) -> Decision | None:
    """Raise the target a small step when the last sets at it were reliably reached."""
    at_target = sorted((s for s in stomps if abs(s.target_bw - target_bw) < 1e-6 and s.attempts),
                       key=lambda s: s.day)[-STOMP_SETS:]
    if len(at_target) < STOMP_SETS or len({s.day for s in at_target}) < 2:
        return None
    if any(s.hits < STOMP_HIT_SHARE * s.attempts for s in at_target):
        return None
    after = round(min(caps.stomp_ceiling_bw, target_bw + STOMP_STEP_BW), 2)
    if after <= target_bw:
        return None
    return Decision(today, "stomp_target", "stomps", target_bw, after,
                    f"target reached in the last {STOMP_SETS} sets", "BW")


def minutes_step(weekly_min: int, minutes: Iterable[ActiveMinutes], week: date, caps: Caps,
                 today: date) -> Decision | None:
    """The week from Monday ``week`` reached its minutes: ten more, up to the goal."""
    done = sum(m.minutes for m in minutes if week <= m.day < week + timedelta(days=7))
    if weekly_min >= caps.weekly_min_goal or done < WEEKLY_MIN_SHARE * weekly_min:
        return None
    return Decision(today, "minutes", "activity", weekly_min,
                    min(caps.weekly_min_goal, weekly_min + WEEKLY_MIN_STEP),
                    f"{done:.0f} active minutes last week", "min a week")


# --- pain -----------------------------------------------------------------------------------

def pain_pauses(hurts: Iterable[Hurt], cleared: Mapping[str, date],
                today: date) -> dict[str, date]:
    """Exercises paused by two "it hurt" answers within a week, and the day of the second;
    a helper's clearance on or after that day lifts the pause."""
    by_exercise: dict[str, list[date]] = {}
    for h in hurts:
        if h.day <= today:
            by_exercise.setdefault(h.exercise_id, []).append(h.day)
    paused = {}
    for ex_id, days in by_exercise.items():
        days.sort()
        since = cleared.get(ex_id)
        live = [d for d in days if since is None or d > since]
        for a, b in pairwise(live):
            if (b - a).days < PAIN_WINDOW_DAYS:
                paused[ex_id] = b
                break
    return paused


# --- the whole step ------------------------------------------------------------------------

def ladder_exercise(catalogue: Catalogue, ladder: str, rung: int,
                    profile: Profile) -> Exercise | None:
    """The variant the person does: their rung, or the highest below it the filter allows."""
    rungs = sorted((e for e in catalogue.values() if e.ladder == ladder and e.rung <= rung
                    and allowed(e, profile)), key=lambda e: e.rung)
    return rungs[-1] if rungs else None


def _next_ok(catalogue: Catalogue, ladder: str, rung: int, profile: Profile) -> bool:
    nxt = ladder_exercise(catalogue, ladder, rung + 1, profile)
    return nxt is not None and nxt.rung == rung + 1


def progress(state: ProgressState, history: History, catalogue: Catalogue, profile: Profile,
             caps: Caps, today: date,
             cleared_pain: Mapping[str, date] | None = None
             ) -> tuple[ProgressState, tuple[Decision, ...]]:
    """Apply every rule once for ``today``: the new state and the decisions taken, in order."""
    out: list[Decision] = []
    loads, tested, one_rm = dict(state.loads_kg), dict(state.tested_on), dict(state.one_rm_kg)
    retest_due = set(state.retest_due)
    for test in sorted(history.tests, key=lambda t: t.day):
        if test.day <= today and tested.get(test.exercise_id, date.min) < test.day:
            target = target_from_test(test, profile.body_mass_kg, caps)
            if MIN_REPS <= test.reps <= MAX_REPS:
                one_rm[test.exercise_id] = one_rm_total_kg(test, profile.body_mass_kg)
            tested[test.exercise_id] = test.day
            retest_due.discard(test.exercise_id)
            before = loads.get(test.exercise_id)
            if target is not None and target != before:
                loads[test.exercise_id] = target
                out.append(Decision(today, "strength_load", test.exercise_id, before, target,
                                    f"one-rep max tested on {test.day.isoformat()}", "kg"))
    for ex_id, load in sorted(loads.items()):
        d = strength_load(ex_id, load, one_rm.get(ex_id), history.sets,
                          profile.body_mass_kg, caps, today, tested.get(ex_id))
        if d is None and ex_id in tested:
            d = retest(ex_id, tested[ex_id], today)
        if d is None or (d.rule == "retest" and ex_id in retest_due):
            continue
        out.append(d)
        if d.rule == "retest":
            retest_due.add(ex_id)
        else:
            loads[ex_id] = d.after
    rungs, holds, hold_s = dict(state.rungs), dict(state.holds), dict(state.hold_s)
    for ladder in sorted({e.ladder for e in catalogue.values() if e.ladder}):
        rung = state.rung(ladder)
        ex = ladder_exercise(catalogue, ladder, rung, profile)
        if ex is None:
            continue
        rung = ex.rung  # a rung the filter now refuses steps back to one it allows
        nxt = _next_ok(catalogue, ladder, rung, profile)
        if ex.kind == "strength":
            d = variant_step(ladder, rung, ex, history.sets, nxt, today)
        elif ex.kind == "extensor":
            d = holds_step(ladder, rung, holds.get(ladder, EXTENSOR_START_HOLDS), ex,
                           history.holds, nxt, caps, today)
        elif ex.kind == "balance":
            d = hold_time_step(ladder, rung, hold_s.get(ladder, BALANCE_START_HOLD_S), ex,
                               history.holds, nxt, caps, today)
        else:
            d = None
        if d is None:
            continue
        out.append(d)
        if d.rule == "variant":
            rungs[ladder] = d.after
            holds.pop(ladder, None)
            hold_s.pop(ladder, None)
        elif d.rule == "holds":
            holds[ladder] = d.after
        else:
            hold_s[ladder] = d.after
    stomp = max(caps.stomp_floor_bw, min(caps.stomp_ceiling_bw, state.stomp_target_bw))
    d = stomp_target(stomp, history.stomps, caps, today)
    if d is not None:
        out.append(d)
        stomp = d.after
    weekly, judged = state.weekly_min, state.minutes_week
    last_week = today - timedelta(days=today.weekday() + 7)
    if judged is None or judged < last_week:
        d = minutes_step(weekly, history.minutes, last_week, caps, today)
        if d is not None:
            out.append(d)
            weekly = d.after
        judged = last_week
    paused = pain_pauses(history.hurts, cleared_pain or {}, today)
    for ex_id, since in sorted(paused.items()):
        if ex_id not in state.paused:
            out.append(Decision(today, "pain", ex_id, "on", "paused",
                               f"\"it hurt\" twice within a week (last on "
                               f"{since.isoformat()}): the helper clears it"))
    for ex_id in sorted(set(state.paused) - set(paused)):
        out.append(Decision(today, "pain", ex_id, "paused", "on", "cleared by the helper"))
    new = replace(state, loads_kg=loads, tested_on=tested, one_rm_kg=one_rm, rungs=rungs,
                  holds=holds, hold_s=hold_s, stomp_target_bw=stomp, weekly_min=weekly,
                  minutes_week=judged, retest_due=frozenset(retest_due), paused=paused)
    return new, tuple(out)
