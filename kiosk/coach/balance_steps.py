"""The steps the mat's balance and chair watchers make possible: the program's balance ladder,
timed by the mat, and the monthly 30-second chair stand test. Explicit state machines in
active time, like ``steps.py``; they read ``kiosk.mat.movements`` events and ignore the rest.

Balance is one step for the whole ladder (``assets/exercises.toml``, ladder ``balance``): the
one-leg rungs (``ONE_LEG``) are stances timed by the mat from the lift to the touch-down; the
rungs with both feet down (feet together, heel to toe) are holds timed by the clock while the
mat measures how steadily the weight sits. Doses come from the program (its progression
lengthens ``hold_s`` by 5 s a full week up to 30 s; Too Fit To Fracture, Giangregorio et al.,
Osteoporos Int 2014): a stance stops at ``hold_s``, the target hold, so a full hold is the
program's "steady for every hold"; 30 s is also the ceiling many one-leg stance tests for older
adults use (Springer BA et al., J Geriatr Phys Ther 2007; 30(1):8-15 give unipedal stance norms,
best of 3 trials). ``holds`` attempts per side (3 in the catalogue, as in Springer's best of 3)
with ``rest_s`` between. The chair test counts full stands in 30 s with arms crossed (Jones CJ,
Rikli RE, Beam WC. Res Q Exerc Sport 1999;70(2):113-119).
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from kiosk.coach import cues
from kiosk.coach.events import Effect, Log, Say, Tick, Tone
from kiosk.coach.steps import ONE_LEG, READY_S, StepMachine, StepView
from kiosk.mat.events import Landing
from kiosk.mat.movements import ChairStood, StanceBegan, StanceEnded, Steadiness
from kiosk.program.model import StepSpec
from kiosk.store.records import BalanceHeld, ChairTested, Held, SteadinessMeasured

STEADY_MAX_S = 10.0  # no quiet standing window by then: go on without the reading
LIFT_WAIT_S = 15.0  # no one-leg stance by then: leave this side for today
COUNT_EVERY_S = (1.0, 5.0)  # count each second up to ten, then every five
CHAIR_TEST_S = 30.0
OFFER_S = 6.0
SIT_S = 6.0


def _count_due(elapsed_s: float, said: int) -> int | None:
    """The next whole second to say aloud, if it is due: 1..10, then 15, 20 ..."""
    n = said + 1 if said < 10 else said + int(COUNT_EVERY_S[1])
    return n if elapsed_s >= n else None


class Bal(Enum):
    STEADY = 1
    READY = 2
    STANCE = 3
    REST = 4
    TIMED = 5
    HOLD = 6


class BalanceStep(StepMachine):
    """A balance exercise of the program's ladder at a counter, per side.

    One leg (``ONE_LEG``): measure quiet standing first, then time each attempt from the lifted
    foot leaving its zone to its touch-down (or ``hold_s``), with a spoken count and a large
    timer; logs each attempt as a hold and the best and total per side. Both feet down: a
    count to ``hold_s`` on the clock, the first quiet-standing reading of the mat logged as
    the steadiness. Away from the mat (no feet on it as the step begins) it says so and times
    every hold on the clock."""

    kind = "balance"
    tells_off_mat = True

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.one_leg = spec.exercise_id in ONE_LEG
        self.sides = list(spec.sides) or (["right", "left"] if self.one_leg else [""])
        self.attempts_per_side = max(1, spec.holds)
        self.ceiling_s = spec.hold_s or 30.0
        self.side = self.sides[0]
        self.phase_start = 0.0
        self.tries: dict[str, list[float]] = {s: [] for s in self.sides}
        self.steady: Steadiness | None = None
        self.timed_by = "mat"
        self._lead_s = 0.0  # the stance had begun this long before its event came
        self._said = 0

    @property
    def working(self) -> bool:
        return self.phase in (Bal.STEADY, Bal.STANCE, Bal.TIMED, Bal.HOLD)

    def begin(self, t: float) -> list[Effect]:
        if not any(self.feet):
            self.timed_by = "timer"
            return [Say(cues.OFF_MAT_TIMED), *self._ready(t)]
        if not self.one_leg:
            return self._ready(t)
        self.phase, self.phase_start = Bal.STEADY, t
        return [self._say(cues.BAL_STEADY)]

    def _ready(self, t: float) -> list[Effect]:
        if len(self.tries[self.side]) >= self.attempts_per_side:
            self.side = next(s for s in self.sides if not self.tries[s])
        self.phase, self.phase_start, self._said = Bal.READY, t, 0
        return [self._say(self._ready_cue())]

    def _ready_cue(self) -> str:
        if self.one_leg:
            return cues.stand_on(self.side)
        if self.side and not self.tries[self.side]:  # heel to toe: which heel goes in front
            return cues.heel_in_front(self.side)
        return cues.GET_READY

    def handle(self, ev: object, t: float) -> list[Effect]:
        if self.phase is Bal.READY and isinstance(ev, Tick) and not self.quiet:
            self.phase_start = t  # the time to get ready counts once the words are said
        elapsed = t - self.phase_start
        if self.phase is Bal.STEADY:
            if isinstance(ev, Steadiness):
                self.steady = ev
                return [Log(self.index, SteadinessMeasured(
                    "balance", ev.share_left_pct, ev.wobble_pp, ev.seconds)), *self._ready(t)]
            return self._ready(t) if isinstance(ev, Tick) and elapsed >= STEADY_MAX_S else []
        if self.phase is Bal.READY:
            clocked = self.timed_by == "timer" or not self.one_leg
            if clocked and isinstance(ev, Tick) and self.quiet and elapsed >= READY_S:
                timed = Bal.HOLD if self.timed_by == "mat" else Bal.TIMED
                self.phase, self.phase_start, self._lead_s = timed, t, 0.0
                return [Tone("tick")]
            if isinstance(ev, StanceBegan) and ev.foot == self.side:
                self.acted = True
                self.phase, self.phase_start = Bal.STANCE, t
                self._lead_s = max(0.0, ev.t - ev.start_t)
                return [Tone("tick")]
            if isinstance(ev, Tick) and elapsed >= LIFT_WAIT_S and self.timed_by == "mat":
                self.tries[self.side] += [0.0] * (self.attempts_per_side
                                                  - len(self.tries[self.side]))
                return [self._say(cues.BAL_NO_LIFT), *self._side_done(t)]
            return []
        if self.phase in (Bal.STANCE, Bal.TIMED, Bal.HOLD):
            held = elapsed + self._lead_s
            if isinstance(ev, StanceEnded) and self.phase is Bal.STANCE:
                return self._attempt(t, min(ev.held_s, self.ceiling_s), cues.BAL_TOUCH)
            if isinstance(ev, Steadiness) and self.phase is Bal.HOLD and self.steady is None:
                self.steady = ev  # both feet down and still: how evenly, how steadily
                return [Log(self.index, SteadinessMeasured(
                    "balance", ev.share_left_pct, ev.wobble_pp, ev.seconds))]
            if isinstance(ev, Tick):
                if held >= self.ceiling_s:
                    end = cues.stance_ceiling(self.ceiling_s) if self.one_leg else cues.RELEASE
                    return self._attempt(t, self.ceiling_s, end)
                n = _count_due(held, self._said)
                if n is not None:
                    self._said = n
                    return [Say(cues.count(n))]
            return []
        if self.phase is Bal.REST and isinstance(ev, Tick) and elapsed >= self.spec.rest_s:
            return self._ready(t)
        return []

    def _attempt(self, t: float, held_s: float, cue: str) -> list[Effect]:
        """One hold over: logged as the program's hold (its progression counts full ones)."""
        self.tries[self.side].append(round(held_s, 2))
        out: list[Effect] = [Log(self.index, Held(side=self.side or "both",
                                                  held_s=round(held_s, 2),
                                                  target_s=self.ceiling_s)),
                             Tone("done"), self._say(cue)]
        if len(self.tries[self.side]) < self.attempts_per_side:
            self.phase, self.phase_start = Bal.REST, t
            return out
        return out + self._side_done(t)

    def _side_done(self, t: float) -> list[Effect]:
        tries = self.tries[self.side]
        out: list[Effect] = []
        if self.one_leg:  # the stance per side: best and total, as the mat's report shows it
            out.append(Log(self.index, BalanceHeld(
                side=self.side, best_s=max(tries), total_s=round(sum(tries), 2),
                attempts=len([x for x in tries if x > 0]), ceiling_s=self.ceiling_s,
                timed_by=self.timed_by)))
        if all(self.tries[s] for s in self.sides):
            return [*out, Say(cues.BAL_DONE), *self.finish()]
        self.phase, self.phase_start = Bal.REST, t
        return out

    def decorate(self, v: StepView, t: float) -> StepView:
        elapsed = t - self.phase_start
        best = tuple(max(self.tries.get(s) or [0.0]) for s in ("left", "right"))
        v = replace(v, side=self.side, best_s=(best[0], best[1]), counted_by=self.timed_by,
                    goal=int(self.ceiling_s), rep=len(self.tries.get(self.side, [])),
                    reps=self.attempts_per_side)
        if self.phase in (Bal.STANCE, Bal.TIMED, Bal.HOLD):
            held = min(self.ceiling_s, elapsed + self._lead_s)
            return replace(v, timer_s=held, big=str(int(held)),
                           progress=held / self.ceiling_s)
        if self.phase is Bal.STEADY:
            return replace(v, progress=min(1.0, elapsed / STEADY_MAX_S))
        if self.phase is Bal.REST:
            return replace(v, remaining_s=max(0.0, self.spec.rest_s - elapsed))
        return v

    def achieved(self) -> dict:
        out: dict = {"timed_by": self.timed_by, "ceiling_s": self.ceiling_s,
                     "sides": {s or "both": {"best_s": max(h or [0.0]),
                                             "total_s": round(sum(h), 2), "attempts": len(h)}
                               for s, h in self.tries.items()}}
        if self.steady is not None:
            out |= {"share_left_pct": self.steady.share_left_pct,
                    "wobble_pp": self.steady.wobble_pp}
        return out


class Chair(Enum):
    OFFER = 1
    SIT = 2
    COUNTDOWN = 3
    COUNT = 4


class ChairTestStep(StepMachine):
    """The 30-second chair stand test, offered once a month: a right-foot tap skips it; then
    sit, "go", and the mat counts each full stand aloud for 30 s. Without the mat seeing a
    single stand it says so and logs nothing: an uncounted test is no result."""

    kind = "chair_test"
    tells_off_mat = True  # an unseen test is no result: it says so at the end

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.seconds = spec.hold_s or CHAIR_TEST_S
        self.phase_start = 0.0
        self.stands = 0
        self.counted_by = ""
        self._counted = 0

    @property
    def working(self) -> bool:
        return self.phase is Chair.COUNT

    def begin(self, t: float) -> list[Effect]:
        self.phase, self.phase_start = Chair.OFFER, t
        return [self._say(cues.CHAIR_OFFER)]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if self.phase in (Chair.OFFER, Chair.SIT) and isinstance(ev, Tick) and not self.quiet:
            self.phase_start = t  # the time to skip or sit counts once the words are said
        elapsed = t - self.phase_start
        if self.phase is Chair.OFFER:
            if isinstance(ev, Landing) and ev.foot == "right" and self.feet[0]:
                return [Say(cues.SKIPPED), *self.finish("skipped")]
            if isinstance(ev, Tick) and self.quiet and elapsed >= OFFER_S:
                self.phase, self.phase_start = Chair.SIT, t
                return [self._say(cues.CHAIR_SIT)]
            return []
        if self.phase is Chair.SIT:
            if isinstance(ev, Tick) and self.quiet and elapsed >= SIT_S:
                self.phase, self.phase_start, self._counted = Chair.COUNTDOWN, t, 0
            return []
        if self.phase is Chair.COUNTDOWN:
            if not isinstance(ev, Tick):
                return []
            if elapsed >= 3.0:
                self.phase, self.phase_start = Chair.COUNT, t
                return [Tone("tick"), self._say(cues.CHAIR_GO)]
            words = cues.countdown()
            if elapsed >= self._counted and self._counted < len(words):
                self._counted += 1
                return [Say(words[self._counted - 1])]
            return []
        if isinstance(ev, ChairStood):
            self.acted = True
            self.stands += 1
            return [Tone("tick"), Say(cues.count(self.stands))]
        if isinstance(ev, Tick) and elapsed >= self.seconds:
            return self._end()
        return []

    def _end(self) -> list[Effect]:
        if self.stands == 0 and not any(self.feet):
            self.counted_by = "none"
            return [Tone("done"), self._say(cues.CHAIR_UNSEEN), *self.finish()]
        self.counted_by = "mat"
        return [Tone("done"), Say(cues.CHAIR_STOP),
                Log(self.index, ChairTested(self.stands, self.seconds, "mat")),
                self._say(cues.chair_result(self.stands)), *self.finish()]

    def decorate(self, v: StepView, t: float) -> StepView:
        elapsed = t - self.phase_start
        if self.phase is Chair.COUNT:
            left = max(0.0, self.seconds - elapsed)
            return replace(v, big=str(self.stands), rep=self.stands, timer_s=left,
                           remaining_s=left, progress=min(1.0, elapsed / self.seconds),
                           counted_by="mat")
        if self.phase is Chair.COUNTDOWN:
            return replace(v, big=str(max(1, 3 - int(elapsed))))
        return v

    def achieved(self) -> dict:
        return {"stands": self.stands, "seconds": self.seconds,
                "counted_by": self.counted_by or "none"}


MAT_CHECKS: dict[str, type[StepMachine]] = {"balance": BalanceStep, "chair_test": ChairTestStep}
