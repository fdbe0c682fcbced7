"""The coached steps as explicit state machines, fed events in *active* time (pauses removed).

Each step walks its phases (an Enum), ignores events that do not concern it on purpose, and
returns effects. Nothing here reads a clock, sleeps, or touches the world.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import Enum

from kiosk.coach import cues
from kiosk.coach.events import (
    CalFailed,
    Calibrate,
    Calibrated,
    CalProgress,
    Effect,
    Log,
    Say,
    Tick,
    Tone,
)
from kiosk.coach.resume import Carried
from kiosk.mat.events import Footfall, Landing
from kiosk.mat.movements import ChairSat, ChairStood
from kiosk.program.model import StepSpec
from kiosk.store.records import (
    CalibrationMade,
    ChairRep,
    Held,
    IntervalDone,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    RestedToday,
    SetDone,
    SteadinessMeasured,
    StepFinished,
)

#: Seconds a spoken word takes: the voice speaks ~125 words a minute (kiosk/coach/speech.py).
SECONDS_PER_WORD = 0.5
#: Quiet the voice leaves before an instruction line (config voice.gap_s, default 1 s).
LINE_GAP_S = 1.0
READY_S = 4.0
#: "Get ready" and a change of side for an exercise done away from the mat (at a wall, on a
#: chair), counted from when the line has been said: walking 2-3 m at the 0.8-1.0 m/s usual
#: for older adults (Studenski et al. 2011, JAMA 305(1):50-58) and turning or sitting down
#: (about 2-3 s a transfer, Rikli & Jones 1999, J Aging Phys Act 7(2):129-161) fit with room.
AWAY_READY_S = 10.0
#: The pain question: asked, asked once more if unanswered, and open this long after it was
#: first heard (the issue asks for at least 20 s).
PAIN_WAIT_S = 24.0
PAIN_REPEAT_S = 10.0
PAIN_IGNORE_S = 2.5  # feet settling after a stretch are not an answer
REP_UP_S = 2.0
REP_DOWN_S = 2.0
CARDIO_FEEDBACK_S = 20.0
SURPRISE_EVERY_S = 45.0
INTERVAL_S = 60.0
CADENCE_STALE_S = 3.0
CADENCE_BAND_SPM = 10.0
#: Strength exercises whose reps the mat can count (a chair behind it, feet on it).
CHAIR_STANDS = frozenset({"sit_to_stand"})
CHAIR_QUIET_S = 8.0  # counting by the mat, and no stand for this long: the pace takes over
CHAIR_LAST_SIT_S = 4.0  # the last stand counted: the set ends at the sit, or after this
#: Balance rungs that stand on one leg: the mat times each stance (coach/balance_steps.py).
#: The other rungs keep both feet down and are timed by the clock (no lift for the mat to see).
ONE_LEG = frozenset({"one_leg_stand", "one_leg_fingertips"})


def dwell_s(line: str) -> float:
    """How long an instruction line stays before the next: the quiet before it, and the time
    to hear it (and read it meanwhile)."""
    return LINE_GAP_S + speaking_s(line)


def speaking_s(line: str) -> float:
    """About how long the voice takes to say a line (its caption stays up as long)."""
    return max(0.6, 0.3 + SECONDS_PER_WORD * len(line.split()))


@dataclass(frozen=True, slots=True)
class StepView:
    """What the screen needs to draw a step; built fresh each frame."""

    kind: str
    title: str
    phase: str
    instruction: str
    exercise_id: str = ""
    big: str = ""
    progress: float = 0.0
    remaining_s: float = 0.0
    counts: tuple[int, int] = (0, 0)
    goal: int = 0
    active_foot: str = ""
    landings: tuple[tuple[str, float, bool], ...] = ()
    target_bw: float = 0.0
    side: str = ""
    set_no: int = 0
    sets: int = 0
    rep: int = 0
    reps: int = 0
    load_kg: float | None = None
    cadence_spm: float = 0.0
    target_spm: float = 0.0
    steps: int = 0
    prompt: str = ""
    test: bool = False  # a strength test set (finding the training load)
    pace: str = ""  # marching: "quicker", "slower", "on", or "still" (not marching)
    zone_spm: tuple[float, float] = (0.0, 0.0)  # marching: the cadence counted as on pace
    timer_s: float = 0.0  # balance: the stance's seconds; chair test: the seconds left
    best_s: tuple[float, float] = (0.0, 0.0)  # balance: the best stance (left, right)
    counted_by: str = ""  # who counts: "mat", "pace" (the coach's count) or "timer"


class StepMachine:
    """Common ground: the instruction walk-through that opens every step, and finishing."""

    kind = ""
    uses_mat = False  # always done on the mat (stomps, marching)
    listens_at_once = False  # counts the mat from the first word (people start as they listen)
    started_t = 0.0  # active time the step started at (set by ``start``)
    tells_off_mat = False  # says itself that the mat cannot see (else the engine says it)

    def __init__(self, spec: StepSpec, index: int):
        self.spec = spec
        self.index = index
        self.done = False
        self.status = ""
        self.phase: Enum | None = None
        self.feet: tuple[bool, bool] = (True, True)  # which feet are on the mat (the engine's)
        self.instruction = ""
        self.quiet = True  # the engine's timeline has nothing left to say (set each event)
        self._lines: list[str] = []
        self._line_until = 0.0
        self._intro_start = self._intro_until = 0.0  # listens_at_once: the lines being said
        self.acted = False  # the person has already stomped or stepped in this step

    # -- the engine calls these ---------------------------------------------------------
    def start(self, t: float) -> list[Effect]:
        self.started_t = t  # what the log's ``t_s`` counts from: seconds into the step
        if self.listens_at_once:  # the lines are said in turn, but no stomp or step is missed
            self._intro_until = t + sum(speaking_s(line) for line in self.spec.instructions)
            self._intro_start = t
            return [Say(line) for line in self.spec.instructions] + self.begin(t)
        self._lines = list(self.spec.instructions)
        self._line_until = t
        return self._next_line(t) if self._lines else self.begin(t)

    def on(self, ev: object, t: float) -> list[Effect]:
        """Handle one event at active time ``t``."""
        if self.done:
            return []
        if self.phase is None:  # still walking through the instructions
            if isinstance(ev, Tick) and t >= self._line_until and self.quiet:
                return self._next_line(t) if self._lines else self.begin(t)
            return []
        return self.handle(ev, t)

    @property
    def working(self) -> bool:
        """In the part of the step that is the exercise itself (a hold, a lift)."""
        return False

    def carry(self, carried: Carried) -> None:
        """Carried on after a crash: count what the step had logged (``coach.resume`` has
        already taken what it can off the dose; stomps count their tries here)."""

    def finish(self, status: str = "done") -> list[Effect]:
        self.done = True
        self.status = status
        return [Log(self.index, StepFinished(status, self.achieved()))]

    def view(self, t: float) -> StepView:
        if self.phase is not None and not self.acted and t < self._intro_until:
            return StepView(kind=self.kind, title=self.spec.title, phase="instruct",
                            instruction=self._intro_line(t), exercise_id=self.spec.exercise_id)
        base = StepView(kind=self.kind, title=self.spec.title,
                        phase=self.phase.name.lower() if self.phase else "instruct",
                        instruction=self.instruction, exercise_id=self.spec.exercise_id)
        return base if self.phase is None else self.decorate(base, t)

    def _intro_line(self, t: float) -> str:
        """While the opening lines are said (and nothing done yet), the one being said now."""
        end = self._intro_start
        for line in self.spec.instructions:
            end += speaking_s(line)
            if t < end:
                return line
        return self.instruction

    # -- each step fills these in ----------------------------------------------------------
    def begin(self, t: float) -> list[Effect]:
        raise NotImplementedError

    def handle(self, ev: object, t: float) -> list[Effect]:
        raise NotImplementedError

    def decorate(self, v: StepView, t: float) -> StepView:
        return v

    def achieved(self) -> dict:
        return {}

    def _next_line(self, t: float) -> list[Effect]:
        line = self._lines.pop(0)
        self.instruction = line
        self._line_until = t + dwell_s(line)
        return [Say(line)]

    def _say(self, text: str) -> Say:
        self.instruction = text
        return Say(text)


# --- calibration --------------------------------------------------------------------------
class Cal(Enum):
    STEP_OFF = 1
    STAND = 2


class CalibrateStep(StepMachine):
    """Empty mat, then standing still: the calibrator (in the shell) measures, this one talks."""

    kind = "calibrate"
    uses_mat = True
    MAX_TRIES = 3

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.tries = 0
        self.fraction = 0.0
        self.summary: dict = {}

    def begin(self, t: float) -> list[Effect]:
        self.phase = Cal.STEP_OFF
        self.tries += 1
        return [Calibrate(True), self._say(cues.CAL_STEP_OFF)]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if isinstance(ev, CalProgress):
            self.fraction = ev.fraction
            if ev.phase == "standing" and self.phase is Cal.STEP_OFF:
                self.phase = Cal.STAND
                return [self._say(cues.CAL_STAND)]
        elif isinstance(ev, Calibrated):
            self.summary = dict(ev.summary)
            steady: list[Effect] = [Log(self.index, SteadinessMeasured(
                "weigh_in", ev.summary["share_left_pct"], ev.summary["wobble_pp"],
                ev.summary["steady_s"]))] if "wobble_pp" in ev.summary else []
            return [Calibrate(False), Log(self.index, CalibrationMade(self.summary)), *steady,
                    Tone("done"), self._say(cues.CAL_DONE), *self.finish()]
        elif isinstance(ev, CalFailed):
            if self.tries >= self.MAX_TRIES:
                return [Calibrate(False), self._say(ev.reason), *self.finish("failed")]
            return [Calibrate(False), Say(ev.reason), Say(cues.CAL_RETRY), *self.begin(t)]
        return []

    def decorate(self, v: StepView, t: float) -> StepView:
        return replace(v, progress=self.fraction)

    def achieved(self) -> dict:
        return {"calibrated": bool(self.summary), "tries": self.tries}


# --- stomps -------------------------------------------------------------------------------
class Stomp(Enum):
    LEFT = 1
    RIGHT = 2


class StompStep(StepMachine):
    """A set of stomps, one foot then the other; each landing judged against the target."""

    kind = "stomp"
    uses_mat = True
    listens_at_once = True
    ATTEMPTS_PER_STOMP = 1  # the article's dose caps the tries too: no pushing on for a hit

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.counts = {"left": 0, "right": 0}
        self.attempts = {"left": 0, "right": 0}
        self.landings: list[tuple[str, float, bool]] = []

    @property
    def foot(self) -> str:
        return "left" if self.phase is Stomp.LEFT else "right"

    def carry(self, carried: Carried) -> None:
        for foot, (tries, hits) in carried.stomps.items():
            if foot in self.attempts:
                self.attempts[foot], self.counts[foot] = tries, hits

    def begin(self, t: float) -> list[Effect]:
        left_done = self.attempts["left"] >= self.spec.per_foot * self.ATTEMPTS_PER_STOMP
        self.phase = Stomp.RIGHT if left_done else Stomp.LEFT
        tries = self.spec.per_foot * self.ATTEMPTS_PER_STOMP - self.attempts[self.foot]
        return [self._say(cues.stomp_foot(self.foot, tries))]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if not isinstance(ev, Landing) or ev.foot != self.foot:
            return []  # the planted foot shifting, or a step back: not a stomp of this set
        foot, goal = self.foot, self.spec.per_foot
        self.acted = True
        hit = ev.saturated or ev.peak_bw >= self.spec.target_bw
        self.attempts[foot] += 1
        self.landings.append((foot, round(ev.peak_bw, 3), hit))
        out: list[Effect] = [Log(self.index, Landed(foot=foot, t_s=round(t - self.started_t, 3),
                                                    peak_bw=ev.peak_bw,
                                                    stomp=hit, saturated=ev.saturated))]
        if hit:
            self.counts[foot] += 1
        finished_foot = (self.counts[foot] >= goal
                         or self.attempts[foot] >= goal * self.ATTEMPTS_PER_STOMP)
        if finished_foot and self.phase is Stomp.LEFT:
            self.phase = Stomp.RIGHT
            out += [Tone("good") if hit else Tone("tick"), self._say(cues.stomp_switch("right"))]
        elif finished_foot:
            out += [Tone("done"), self._say(cues.STOMP_DONE), *self.finish()]
        else:
            out += [Tone("good"), self._say(cues.GOOD)] if hit else [self._say(cues.HARDER)]
        return out

    def decorate(self, v: StepView, t: float) -> StepView:
        return replace(v, counts=(self.counts["left"], self.counts["right"]),
                       goal=self.spec.per_foot, active_foot=self.foot,
                       landings=tuple(self.landings), target_bw=self.spec.target_bw,
                       big=str(self.counts[self.foot]))

    def achieved(self) -> dict:
        return {"stomps": dict(self.counts), "landings": len(self.landings),
                "peaks_bw": [p for _, p, _ in self.landings]}


# --- timed holds: stretches and the back-extensor exercise -----------------------------
class Hold(Enum):
    READY = 1
    HOLD = 2
    REST = 3
    ASK = 4
    ASK_REST = 5  # after "it hurt": leave this exercise for the rest of today?


class HoldStep(StepMachine):
    """Get ready, hold (cues at the start, ten seconds left, the last three, release), per side.

    Stretches end with "did that hurt?", answered by tapping a foot; the back-extensor
    exercise repeats short holds with rests instead.
    """

    kind = "stretch"

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        sides = list(spec.sides) or [""]
        self.queue = [s for s in sides for _ in range(max(1, spec.holds))]
        self.side = ""
        self.phase_start = 0.0
        self.fired: set[str] = set()
        self.held: list[tuple[str, float]] = []
        self.pain: bool | None = None
        self.rest_today = False
        self._asked_at: float | None = None  # when the current question had been heard
        self._asked_twice = False

    def begin(self, t: float) -> list[Effect]:
        return self._ready(t)

    @property
    def ready_s(self) -> float:
        """Time to get into position: more when it is done away from the mat."""
        return READY_S if self.uses_mat else AWAY_READY_S

    def _ready(self, t: float) -> list[Effect]:
        self.side = self.queue.pop(0)
        self.phase, self.phase_start, self.fired = Hold.READY, t, set()
        text = cues.side_cue(self.side) if self.side else cues.GET_READY
        return [self._say(text)]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if self.phase is Hold.ASK:
            return self._ask(ev, t)
        if self.phase is Hold.ASK_REST:
            return self._ask_rest(ev, t)
        if not isinstance(ev, Tick):
            return []
        if self.phase is Hold.READY and not self.quiet:
            self.phase_start = t  # the time to get ready counts once the words are said
        elapsed = t - self.phase_start
        if self.phase is Hold.READY and elapsed >= self.ready_s:
            self.phase, self.phase_start, self.fired = Hold.HOLD, t, set()
            return [Tone("tick"), self._say(cues.HOLD_START)]
        if self.phase is Hold.HOLD:
            return self._holding(t, elapsed)
        if self.phase is Hold.REST and elapsed >= self.spec.rest_s:
            return self._ready(t)
        return []

    def _ask(self, ev: object, t: float) -> list[Effect]:
        """"Did that hurt?": answered with a foot; asked again once, open PAIN_WAIT_S."""
        if isinstance(ev, Landing) and t - self.phase_start >= PAIN_IGNORE_S and self._tap(ev):
            self.pain = ev.foot == "left"
            out: list[Effect] = [Log(self.index, PainAnswered(hurt=self.pain)),
                                 self._say(cues.PAIN_YES if self.pain else cues.PAIN_NO)]
            if not self.pain:
                return [*out, *self.finish()]
            self.phase, self.phase_start = Hold.ASK_REST, t
            self._asked_at = None  # the next question's time counts once it is heard
            return [*out, self._say(cues.PAIN_REST_QUESTION)]
        if not isinstance(ev, Tick):
            return []
        if self._asked_at is None:
            if self.quiet:
                self._asked_at = t  # heard: the answer's time counts from here
            return []
        if not self._asked_twice and t - self._asked_at >= PAIN_REPEAT_S:
            self._asked_twice = True
            return [self._say(cues.PAIN_QUESTION)]
        if t - self._asked_at >= PAIN_WAIT_S:
            return self.finish()
        return []

    @property
    def working(self) -> bool:
        return self.phase is Hold.HOLD

    def _ask_rest(self, ev: object, t: float) -> list[Effect]:
        """Left foot: leave it out for the rest of today (the kiosk drops it from the day's
        later sessions); right foot or no answer: keep it. Only once the question has been
        heard: a tap while "yes, it hurt" is still being answered is no answer to it."""
        if isinstance(ev, Landing) and self._asked_at is not None and self._tap(ev):
            self.rest_today = ev.foot == "left"
            said = self._say(cues.PAIN_REST_YES if self.rest_today else cues.PAIN_REST_NO)
            logged = [Log(self.index, RestedToday())] if self.rest_today else []
            return [*logged, said, *self.finish()]
        if isinstance(ev, Tick) and self._asked_at is None and self.quiet:
            self._asked_at = t  # heard: the answer's time counts from here
        if isinstance(ev, Tick) and self._asked_at is not None \
                and t - self._asked_at >= PAIN_WAIT_S:
            return self.finish()
        return []

    def _tap(self, ev: Landing) -> bool:
        """A deliberate tap: the other foot stays on the mat (stepping back on is not one)."""
        return self.feet[1] if ev.foot == "left" else self.feet[0]

    def _holding(self, t: float, elapsed: float) -> list[Effect]:
        left = self.spec.hold_s - elapsed
        if left <= 0:
            self.held.append((self.side, elapsed))
            out: list[Effect] = [Log(self.index, Held(side=self.side or "both", held_s=elapsed,
                                                      target_s=self.spec.hold_s)),
                                 Tone("done"), self._say(cues.RELEASE)]
            if self.queue:
                if self.spec.rest_s > 0:
                    self.phase, self.phase_start = Hold.REST, t
                    return out
                return out + self._ready(t)
            if self.kind == "stretch":
                self.phase, self.phase_start = Hold.ASK, t
                return [*out, self._say(cues.PAIN_QUESTION)]
            return out + self.finish()
        out = []
        if self.spec.hold_s >= 15 and left <= 10 and "ten" not in self.fired:
            self.fired.add("ten")
            out.append(self._say(cues.TEN_LEFT))
        for n, word in zip((3, 2, 1), cues.countdown(), strict=True):
            if left <= n and str(n) not in self.fired:
                self.fired.add(str(n))
                out.append(Say(word))
                break
        return out

    def decorate(self, v: StepView, t: float) -> StepView:
        elapsed = t - self.phase_start
        if self.phase is Hold.HOLD:
            left = max(0.0, self.spec.hold_s - elapsed)
            return replace(v, remaining_s=left, big=str(int(left + 0.999)), side=self.side,
                           progress=min(1.0, elapsed / self.spec.hold_s))
        if self.phase is Hold.READY:
            left = max(0.0, self.ready_s - elapsed)
            return replace(v, remaining_s=left, big=str(int(left + 0.999)), side=self.side)
        if self.phase is Hold.REST:
            return replace(v, remaining_s=max(0.0, self.spec.rest_s - elapsed), side=self.side)
        if self.phase is Hold.ASK_REST:
            return replace(v, instruction=cues.PAIN_REST_QUESTION)
        return replace(v, instruction=cues.PAIN_QUESTION)

    def achieved(self) -> dict:
        return {"holds": [{"side": s or "both", "held_s": round(h, 2)} for s, h in self.held],
                "hurt": self.pain, **({"rest_today": True} if self.rest_today else {})}


class ExtensorStep(HoldStep):
    """The daily back-extensor exercise: several short paced holds with a rest between."""

    kind = "extensor"


# --- strength -----------------------------------------------------------------------------
class Lift(Enum):
    PREP = 1
    REPS = 2
    REST = 3


class Pace:
    """Slow paced lifts from ``start``: "Up." as each begins, "And down." halfway; counts the
    finished ones. Shared by training sets and the one-rep-max test set."""

    def __init__(self, start: float = 0.0):
        self.start = start
        self.reps = 0
        self._up = self._down = False

    def wait(self, t: float) -> bool:
        """Not begun yet: the first lift waits while the set's line is still being said."""
        if self.reps == 0 and not self._up:
            self.start = max(self.start, t)
            return True
        return False

    def tick(self, t: float) -> tuple[list[Effect], bool]:
        """Cues due at ``t``, and whether a lift has just been finished."""
        in_rep = t - self.start - self.reps * (REP_UP_S + REP_DOWN_S)
        if in_rep < 0:
            return [], False
        if not self._up:
            self._up = True
            return [Say(cues.UP)], False
        if in_rep >= REP_UP_S and not self._down:
            self._down = True
            return [Say(cues.DOWN)], False
        if in_rep < REP_UP_S + REP_DOWN_S:
            return [], False
        self.reps += 1
        self._up = self._down = False
        return [Tone("tick")], True


class StrengthStep(StepMachine):
    """Sets of slow paced reps at the target load, with a rest timer between sets."""

    kind = "strength"

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.set_no = 0
        self.phase_start = 0.0
        self.pace = Pace()
        self.sets_done: list[int] = []
        self.sides = list(spec.sides) or [""]  # one-sided work: every set on each side
        self.side = self.sides.pop(0)
        self.chair = spec.exercise_id in CHAIR_STANDS  # the mat may count these reps
        self.counted_by = "pace"  # this set's count: the coach's pace, or the mat
        self.counted: set[str] = set()  # every way a set of this step was counted
        self.mat_reps = 0
        self._last_chair_t = 0.0
        self._up_s = 0.0

    @property
    def rep(self) -> int:
        return self.mat_reps if self.counted_by == "mat" else self.pace.reps

    sets_before = 0  # carried on after a crash: sets logged before it (their numbers go on)

    def carry(self, carried: Carried) -> None:
        self.sets_before = carried.sets

    def begin(self, t: float) -> list[Effect]:
        self.phase, self.phase_start = Lift.PREP, t
        return [self._say(cues.pick_up(self.spec.load_kg))]

    @property
    def working(self) -> bool:
        return self.phase is Lift.REPS

    def finish(self, status: str = "done") -> list[Effect]:
        partial: list[Effect] = []
        if status != "done" and self.phase is Lift.REPS and self.rep > 0:  # keep the lifts done
            self.sets_done.append(self.rep)
            partial.append(Log(self.index, SetDone(set_no=self.sets_before + len(self.sets_done),
                                                   reps=self.rep, load_kg=self.spec.load_kg)))
        return partial + super().finish(status)

    def _start_set(self, t: float) -> list[Effect]:
        self.set_no += 1
        self.pace = Pace(t)
        self.counted_by, self.mat_reps = "pace", 0
        self.phase, self.phase_start = Lift.REPS, t
        side = [Say(cues.side_cue(self.side))] if self.side and self.set_no == 1 else []
        return [*side, self._say(cues.set_of(self.set_no, self.spec.sets, self.spec.reps))]

    def _chair(self, ev: ChairStood | ChairSat, t: float) -> list[Effect]:
        """Sit-to-stands counted by the mat: the first stand it sees takes over from the pace
        (from the count so far); each sit logs the rep's tempo."""
        self._last_chair_t = t
        if isinstance(ev, ChairStood):
            if self.counted_by != "mat":
                self.counted_by, self.mat_reps = "mat", self.pace.reps
            self.acted = True
            self.mat_reps += 1
            self._up_s = ev.up_s
            return [Tone("tick"), Say(cues.count(self.mat_reps))]
        if self.counted_by != "mat":
            return []
        out: list[Effect] = [Log(self.index, ChairRep(self.set_no, self.mat_reps, self._up_s,
                                                      ev.down_s, ev.rep_s))]
        return out + (self._end_set(t) if self.mat_reps >= self.spec.reps else [])

    def handle(self, ev: object, t: float) -> list[Effect]:
        if self.chair and self.phase is Lift.REPS and isinstance(ev, ChairStood | ChairSat):
            return self._chair(ev, t)
        if not isinstance(ev, Tick):
            return []
        if self.phase is Lift.PREP and not self.quiet:
            self.phase_start = t  # time to take the weights and sit counts once it is said
        elapsed = t - self.phase_start
        if self.phase is Lift.PREP and elapsed >= AWAY_READY_S:
            return self._start_set(t)
        if self.phase is Lift.REST and elapsed >= self.spec.rest_s:
            return self._start_set(t)
        if self.phase is not Lift.REPS:
            return []
        if self.counted_by == "mat":
            quiet = t - self._last_chair_t
            if self.mat_reps >= self.spec.reps and quiet >= CHAIR_LAST_SIT_S:
                return self._end_set(t)
            if quiet < CHAIR_QUIET_S:
                return []
            self.counted_by = "pace"  # the mat lost sight of them: the count carries on
            self.pace = Pace(t - self.mat_reps * (REP_UP_S + REP_DOWN_S))
            self.pace.reps = self.mat_reps
            return [self._say(cues.CHAIR_FALLBACK)]
        if not self.quiet and self.pace.wait(t):
            return []
        cues_now, finished = self.pace.tick(t)
        if finished and self.rep >= self.spec.reps:
            return self._end_set(t)
        return cues_now

    def _end_set(self, t: float) -> list[Effect]:
        self.counted.add(self.counted_by)
        self.sets_done.append(self.rep)
        out: list[Effect] = [Log(self.index, SetDone(set_no=self.sets_before + len(self.sets_done),
                                                     reps=self.rep, load_kg=self.spec.load_kg)),
                             Tone("done")]
        if self.set_no >= self.spec.sets:
            if not self.sides:
                return out + self.finish()
            self.side, self.set_no = self.sides.pop(0), 0
        self.phase, self.phase_start = Lift.REST, t
        return [*out, self._say(cues.rest_for(int(self.spec.rest_s), self.spec.load_kg))]

    def decorate(self, v: StepView, t: float) -> StepView:
        elapsed = t - self.phase_start
        rest_left = max(0.0, self.spec.rest_s - elapsed) if self.phase is Lift.REST else 0.0
        return replace(v, set_no=max(1, self.set_no), sets=self.spec.sets, rep=self.rep,
                       reps=self.spec.reps, load_kg=self.spec.load_kg, remaining_s=rest_left,
                       side=self.side,
                       counted_by=self.counted_by if self.chair else "",
                       big=str(int(rest_left + 0.999)) if self.phase is Lift.REST
                       else str(self.rep))

    def achieved(self) -> dict:
        # reps are paced by the coach's count, unless the mat saw them (chair stands)
        if not self.chair:
            return {"sets": list(self.sets_done), "load_kg": self.spec.load_kg, "paced": True}
        by = "mat" if self.counted == {"mat"} else "pace" if self.counted <= {"pace"} else \
            "mat and pace"
        return {"sets": list(self.sets_done), "load_kg": self.spec.load_kg,
                "paced": by != "mat", "counted_by": by}


class Test(Enum):
    PICK = 1
    REPS = 2
    COUNT = 3  # the person sets how many lifts they did


class StrengthTestStep(StepMachine):
    """A one-rep-max test set, hands-free: pick the weight with foot taps, lift with the paced
    count until a foot tap says "no more", then the person sets how many lifts they did (the
    count is a pace, not a measure: a test at a table is not seen by the mat), then estimate
    the one-rep max and the training load (``progression.target_from_test``: owned weights,
    body mass for the sit-to-stand). Only a number the person confirmed, standing on the mat,
    is logged; with no answer nothing is, and the test is offered again next time."""

    kind = "strength"
    PICK_STILL_S = 5.0  # no tap for this long: the weight shown is the one chosen
    TAP_IGNORE_S = 1.5  # feet settling after the instruction are not a tap
    ANSWER_WAIT_S = 120.0  # time to put the weights down, come back to the mat and answer

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        weights = sorted(spec.weights_kg) or [1.0]
        self.weights = weights
        self.choice = next((i for i, w in enumerate(weights) if w >= 2.0), 0)
        self.phase_start = self.last_tap = 0.0
        self.pace = Pace()
        self.count = 0
        self.result: dict = {}

    @property
    def rep(self) -> int:
        return self.pace.reps

    @property
    def load_kg(self) -> float:
        return self.weights[self.choice]

    @property
    def working(self) -> bool:
        return self.phase is Test.REPS

    def begin(self, t: float) -> list[Effect]:
        self.phase, self.phase_start = Test.PICK, t
        self.last_tap = t + dwell_s(cues.TEST_PICK) + dwell_s(cues.TEST_PICK_HOW)  # heard first
        return [Say(cues.TEST_PICK), self._say(cues.TEST_PICK_HOW),
                Say(cues.kg(self.load_kg) + ".")]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if self.phase is Test.PICK:
            if isinstance(ev, Landing) and t - self.last_tap >= 0.3:
                step = -1 if ev.foot == "left" else 1
                self.choice = max(0, min(len(self.weights) - 1, self.choice + step))
                self.last_tap = t
                return [Tone("tick"), self._say(cues.kg(self.load_kg) + ".")]
            if isinstance(ev, Tick) and t - self.last_tap >= self.PICK_STILL_S:
                lift = cues.test_lift(self.load_kg)
                # the count starts once both lines have been heard
                self.phase, self.phase_start = Test.REPS, t + dwell_s(lift) + dwell_s(
                    cues.TEST_DONE_TAP)
                self.pace = Pace(self.phase_start)
                return [self._say(lift), Say(cues.TEST_DONE_TAP)]
            return []
        if self.phase is Test.COUNT:
            return self._counting(ev, t)
        if isinstance(ev, Landing) and t - self.phase_start >= self.TAP_IGNORE_S:
            return self._ask_count(t)
        if not isinstance(ev, Tick):
            return []
        cues_now, finished = self.pace.tick(t)
        if finished and self.rep >= self.spec.reps + 2:  # well past the formulas' range
            return self._ask_count(t)
        return cues_now

    def _ask_count(self, t: float) -> list[Effect]:
        """The paced count stops; the person sets the number, starting from it."""
        self.count = self.rep
        self.phase = Test.COUNT
        self.phase_start = t
        self.last_tap = t + dwell_s(cues.TEST_COUNT) + dwell_s(cues.TEST_COUNT_HOW)
        return [self._say(cues.TEST_COUNT), Say(cues.TEST_COUNT_HOW)]

    def _counting(self, ev: object, t: float) -> list[Effect]:
        if isinstance(ev, Landing) and t - self.last_tap >= 0.3 \
                and (self.feet[1] if ev.foot == "left" else self.feet[0]):
            self.count = max(0, min(self.spec.reps + 5, self.count + (
                -1 if ev.foot == "left" else 1)))
            self.last_tap = t
            return [Tone("tick"), self._say(f"{self.count}.")]
        if not isinstance(ev, Tick):
            return []
        if not all(self.feet):  # keeping still counts from being back on the mat
            self.last_tap = max(self.last_tap, t)
        elif t - self.last_tap >= self.PICK_STILL_S:
            return self._end()
        if t - self.phase_start >= self.ANSWER_WAIT_S:  # nobody came back to answer
            return [self._say(cues.TEST_NOT_SAVED), *self.finish("skipped")]
        return []

    def _end(self) -> list[Effect]:
        from datetime import date

        from kiosk.program.onerm import MAX_REPS, MIN_REPS, estimate_kg
        from kiosk.program.progression import Caps, OneRmSet, target_from_test

        out: list[Effect] = [Log(self.index, SetDone(set_no=1, reps=self.count,
                                                     load_kg=self.load_kg))]
        if not MIN_REPS <= self.count <= MAX_REPS:
            text = cues.TEST_TOO_EASY if self.count > MAX_REPS else cues.TEST_TOO_HARD
            return [*out, self._say(text), *self.finish()]
        test = OneRmSet(date.min, self.spec.exercise_id, self.load_kg, self.count)
        target = target_from_test(test, self.spec.body_mass_kg,
                                  Caps(weights_kg=tuple(self.weights)))
        tested = OneRepMaxTested(exercise_id=self.spec.exercise_id, weight_kg=self.load_kg,
                                 reps=self.count,
                                 estimate_kg=round(estimate_kg(self.load_kg, self.count), 2),
                                 target_kg=target or 0.0)
        self.result = asdict(tested)
        return [*out, Log(self.index, tested), Tone("done"),
                self._say(cues.test_result(target)), *self.finish()]

    def decorate(self, v: StepView, t: float) -> StepView:
        rep = self.count if self.phase is Test.COUNT else self.rep
        return replace(v, load_kg=self.load_kg, rep=rep, reps=self.spec.reps, set_no=1,
                       sets=1, test=True, big=f"{self.load_kg:g}" if self.phase is Test.PICK
                       else str(rep))

    def achieved(self) -> dict:
        answered = self.phase is Test.COUNT and self.status == "done"
        return {"test": True, "load_kg": self.load_kg, "reps": self.count if answered else None,
                "answered": answered, **self.result}


# --- cardio -------------------------------------------------------------------------------
class March(Enum):
    MARCH = 1


class CardioStep(StepMachine):
    """Marching on the mat for a set time: live cadence against a zone, and surprise prompts."""

    kind = "cardio"
    uses_mat = True
    listens_at_once = True

    def __init__(self, spec: StepSpec, index: int):
        super().__init__(spec, index)
        self.start_t = 0.0
        self.steps = 0
        self.cadence = 0.0
        self.last_step_t = -1e9
        self.interval_start = 0.0
        self.interval_steps = 0
        self.next_feedback = 0.0
        self.next_surprise = 0.0
        self.surprise_no = 0
        self.prompt = ""

    def begin(self, t: float) -> list[Effect]:
        self.phase = March.MARCH
        self.start_t = self.interval_start = t
        self.next_feedback = t + CARDIO_FEEDBACK_S
        self.next_surprise = t + SURPRISE_EVERY_S
        return [self._say(cues.march_at(int(self.spec.target_spm)))]

    def handle(self, ev: object, t: float) -> list[Effect]:
        if isinstance(ev, Footfall):
            self.acted = True
            self.steps += 1
            self.interval_steps += 1
            self.cadence = ev.cadence_spm
            self.last_step_t = t
            return []
        if not isinstance(ev, Tick):
            return []
        if t - self.last_step_t > CADENCE_STALE_S:
            self.cadence = 0.0
        out: list[Effect] = []
        if t - self.interval_start >= INTERVAL_S or t - self.start_t >= self.spec.duration_s:
            out.append(self._log_interval(t))
        if t - self.start_t >= self.spec.duration_s:
            return [*out, Tone("done"), self._say(cues.CARDIO_DONE), *self.finish()]
        if self.spec.intensity == "high" and t >= self.next_surprise:
            self.next_surprise += SURPRISE_EVERY_S
            self.next_feedback = t + CARDIO_FEEDBACK_S
            prompts = cues.DIRECTION_SURPRISES if self.spec.direction_changes else cues.SURPRISES
            self.prompt = prompts[self.surprise_no % len(prompts)]
            self.surprise_no += 1
            out.append(self._say(self.prompt))
        elif t >= self.next_feedback:
            self.next_feedback += CARDIO_FEEDBACK_S
            if self.cadence > 0:  # a pace cue is for someone marching, never standing still
                out.append(self._say(self._pace_cue()))
        return out

    def _pace(self) -> str:
        """The live cadence against the zone: "quicker", "slower" or "on" (said and shown);
        "still" for someone not marching (shown only: a pace cue is for someone moving)."""
        if self.cadence <= 0:
            return "still"
        if self.cadence < self.spec.target_spm - CADENCE_BAND_SPM:
            return "quicker"
        if self.cadence > self.spec.target_spm + CADENCE_BAND_SPM:
            return "slower"
        return "on"

    def _pace_cue(self) -> str:
        return {"quicker": cues.QUICKER, "slower": cues.SLOWER, "on": cues.ON_PACE}[self._pace()]

    def _log_interval(self, t: float) -> Log:
        seconds = t - self.interval_start
        spm = 60.0 * self.interval_steps / seconds if seconds > 0 else 0.0
        log = Log(self.index, IntervalDone(seconds=seconds, steps=self.interval_steps,
                                           cadence_spm=spm, target_spm=self.spec.target_spm))
        self.interval_start, self.interval_steps = t, 0
        return log

    def decorate(self, v: StepView, t: float) -> StepView:
        left = max(0.0, self.spec.duration_s - (t - self.start_t))
        return replace(v, cadence_spm=self.cadence, target_spm=self.spec.target_spm,
                       steps=self.steps, remaining_s=left, prompt=self.prompt,
                       progress=min(1.0, (t - self.start_t) / max(1.0, self.spec.duration_s)),
                       big=str(round(self.cadence)), pace=self._pace(),
                       zone_spm=(self.spec.target_spm - CADENCE_BAND_SPM,
                                 self.spec.target_spm + CADENCE_BAND_SPM))

    def achieved(self) -> dict:
        return {"steps": self.steps, "target_spm": self.spec.target_spm}


class StopRulesStep(StepMachine):
    """When to stop, said and shown line by line before the session's exercises; it needs
    nothing from the person (its lines are the step's instructions)."""

    kind = "stop_rules"

    def begin(self, t: float) -> list[Effect]:
        return self.finish()


MACHINES: dict[str, type[StepMachine]] = {
    "calibrate": CalibrateStep, "stomp": StompStep, "stretch": HoldStep,
    "extensor": ExtensorStep, "strength": StrengthStep, "cardio": CardioStep,
    "stop_rules": StopRulesStep,
}


def machine_for(spec: StepSpec, index: int) -> StepMachine:
    if spec.kind == "strength" and spec.test:
        return StrengthTestStep(spec, index)
    if spec.kind in ("balance", "chair_test"):  # timed or counted by the mat (balance_steps)
        from kiosk.coach.balance_steps import MAT_CHECKS

        return MAT_CHECKS[spec.kind](spec, index)
    try:
        return MACHINES[spec.kind](spec, index)
    except KeyError:
        raise ValueError(f"no coached step of kind {spec.kind!r}") from None
