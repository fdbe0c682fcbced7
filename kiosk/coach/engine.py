"""The session engine: a pure state machine over coached steps. Events in, effects out.

Given the same events it returns the same effects, so the kiosk, the demo and the tests all
drive this one object. It owns pausing (stepping off the mat, a mat fault, a button), skipping
and stopping; the steps only ever see *active* time, so a pause never eats into a hold.

Gestures (documented in the README): stepping off the mat for ``pause_after_off_s`` pauses a
step done on the mat (stomps and marching always; a stretch, hold or lift when the person was
on the mat as it began — one done at a wall or on the floor runs on its timer). While paused:
both feet on the mat resumes; only the right foot on the mat for ``GESTURE_HOLD_S`` skips the
exercise; only the left foot for ``GESTURE_HOLD_S`` stops for today; staying away
``stop_after_pause_s`` ends the session too. Buttons and keys send the same commands.

Mat faults pause, never decide: a fault standing while a mat step runs pauses it, whether it
began before the step or during it, and the step resumes when it clears. While a fault stands
no gesture counts (a dead channel reads 0 BW, which looks exactly like a lifted foot) and both
feet do not resume it.

Captions and voice follow one timeline (``kiosk.coach.timeline``): the engine decides when
each line starts, from its audio length, and the voice says it then; each caption stays up for
its audio and reading time, the next line waits, and a new step never shows the last one's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from kiosk.coach import cues
from kiosk.coach.events import Calibrate, Command, Effect, Feet, Hush, Log, Say, Tick
from kiosk.coach.resume import Carried
from kiosk.coach.steps import LINE_GAP_S, StepMachine, StepView, machine_for, speaking_s
from kiosk.coach.timeline import Timeline
from kiosk.mat.events import Fault
from kiosk.program.model import StepSpec
from kiosk.store.records import SessionFinished, StepStarted

GESTURE_HOLD_S = 2.0
#: The engine's own lines about pausing: never said again after a pause.
_OWN = frozenset({cues.PAUSED, cues.RESUMED, cues.MAT_TROUBLE})


class Phase(Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class SessionView:
    """A snapshot for the screen: where the session is, the current step, the caption."""

    phase: Phase
    index: int
    total: int
    step: StepView | None
    caption: str
    status: str = ""
    paused_reason: str = ""
    problem: str = ""
    paused_for_s: float = 0.0
    done: tuple[tuple[str, str, str], ...] = ()  # (title, kind, status) of finished steps
    gesture_hold_s: float = GESTURE_HOLD_S  # one foot alone this long while paused: skip/stop
    planned: tuple[tuple[str, str], ...] = ()  # (title, kind) of every step in the plan


class Session:
    """One coached session over a list of fully dosed steps."""

    def __init__(self, steps: Sequence[StepSpec], *, pause_after_off_s: float = 3.0,
                 stop_after_pause_s: float = 600.0, feet: tuple[bool, bool] = (True, True),
                 carried: Mapping[int, Carried] | None = None, opening: str = "",
                 seconds: Callable[[str], float] = speaking_s, gap_s: float = LINE_GAP_S):
        """``carried`` and ``opening`` carry on a session after a crash (``coach.resume``):
        what each step already logged, and the line said first. ``seconds`` tells how long a
        line sounds (the voice's measure) and ``gap_s`` the quiet between lines."""
        if not steps:
            raise ValueError("a session needs at least one step")
        self.specs = list(steps)
        self.pause_after_off_s = pause_after_off_s
        self.stop_after_pause_s = stop_after_pause_s
        self.phase = Phase.READY
        self.index = 0
        self.step: StepMachine | None = None
        self.caption = ""
        self.status = ""
        self.paused_reason = ""
        self._paused_at = 0.0
        self._paused_total = 0.0
        self._off_since: float | None = None
        self._one_foot_since: float | None = None  # one foot alone on the mat, while paused
        self._feet_on = feet
        self._mat_used: bool | None = None  # was the person on the mat as this step began?
        self.timeline = Timeline(seconds, gap_s)  # what is said and shown, and when
        self._line_step = 0  # the step whose lines are being queued (captions keep to it)
        self._faults: dict[tuple[str | None, str], str] = {}
        self._finished: list[tuple[str, str, str]] = []
        self._now = 0.0
        self._calibrating = False
        self.carried = dict(carried or {})
        self.opening = opening
        self._unheard: list[str] = []  # the step's lines a pause hushed, said when it ends

    # -- public ----------------------------------------------------------------------------
    def handle(self, ev: object) -> list[Effect]:
        """Feed one event; return what the shell must do (speak, log, route samples)."""
        t = getattr(ev, "t", self._now)
        self._now = max(self._now, t)
        if self.phase is Phase.FINISHED:
            return self.timeline.due(t)  # the last words still have their time
        if self.phase is Phase.READY:
            started = self._track(self._start(t), t)
            return started if isinstance(ev, Tick) else started + self.handle(ev)
        out: list[Effect] = []
        if isinstance(ev, Command):
            out = self._command(ev)
        elif isinstance(ev, Fault):
            out = self._fault(ev)
        elif isinstance(ev, Feet):
            out = self._feet(ev)
        if self.phase is Phase.PAUSED:
            if isinstance(ev, Tick):
                out += self._paused_tick(t)
            return self._track(out, t)
        if isinstance(ev, Tick):
            out += self._fault_pause(t) or self._auto_pause(t)
            if self.phase is not Phase.RUNNING:  # paused just now
                return self._track(out, t)
        if self.step and not isinstance(ev, Command | Fault | Feet):
            self.step.feet = self._feet_on
            self.step.quiet = self.timeline.idle(t)
            out += self.step.on(ev, self._active(t))
        out += self._advance(t)
        return self._track(out, t)

    def say(self, t: float, text: str) -> list[Effect]:
        """A line of the shell's own (a weigh-in not kept) on the session's timeline: said
        in its turn and shown as the caption, like the step's lines."""
        return self._track([Say(text)], max(self._now, t))

    @property
    def view(self) -> SessionView:
        ta = self._active(self._now)
        return SessionView(
            phase=self.phase, index=self.index, total=len(self.specs),
            step=None if self.step is None or self.phase is Phase.FINISHED else self.step.view(ta),
            caption=self.caption_at(self._now), status=self.status,
            paused_reason=self.paused_reason,
            problem=next(iter(self._faults.values()), ""),
            paused_for_s=self._now - self._paused_at if self.phase is Phase.PAUSED else 0.0,
            done=tuple(self._finished),
            planned=tuple((spec.title, spec.kind) for spec in self.specs))

    @property
    def finished(self) -> bool:
        return self.phase is Phase.FINISHED

    # -- internals -------------------------------------------------------------------------
    def _active(self, t: float) -> float:
        if self.phase is Phase.PAUSED:
            return self._paused_at - self._paused_total
        return t - self._paused_total

    def caption_at(self, t: float) -> str:
        """The line on screen at ``t``: the one being said, or this step's last one."""
        return self.timeline.caption(t, self.index)

    def captions_done(self, t: float) -> bool:
        """Every line has been said and has had its time on screen."""
        return self.timeline.idle(t)

    def _track(self, effects: list[Effect], t: float) -> list[Effect]:
        """Lines go onto the timeline (said when their turn comes); the rest go out now."""
        out: list[Effect] = []
        for e in effects:
            if isinstance(e, Say):
                out += self.timeline.add(e.text, t, self._line_step)
                self.caption = e.text
                continue
            if isinstance(e, Log) and isinstance(e.record, StepStarted):
                self._line_step = e.step  # the lines after this one belong to the new step
            elif isinstance(e, Hush):
                self.timeline.clear()
            elif isinstance(e, Calibrate):
                self._calibrating = e.active
            out.append(e)
        return out + self.timeline.due(t)

    def _start(self, t: float) -> list[Effect]:
        self.phase = Phase.RUNNING
        return ([Say(self.opening)] if self.opening else []) + self._enter(0, t)

    def _enter(self, index: int, t: float) -> list[Effect]:
        self.index = index
        spec = self.specs[index]
        self.step = machine_for(spec, index)
        if index in self.carried:
            self.step.carry(self.carried[index])
        self.step.feet = self._feet_on  # a step may begin at once, away from the mat
        self._mat_used = None
        out_of_order = bool(self._faults) and self._uses_mat()  # a fault begun before it
        target = {k: v for k, v in (("per_foot", spec.per_foot), ("target_bw", spec.target_bw),
                                    ("hold_s", spec.hold_s), ("holds", spec.holds),
                                    ("sets", spec.sets), ("reps", spec.reps),
                                    ("load_kg", spec.load_kg), ("duration_s", spec.duration_s),
                                    ("target_spm", spec.target_spm), ("test", spec.test)) if v}
        started = Log(index, StepStarted(exercise_id=spec.exercise_id, kind=spec.kind,
                                         block=spec.block, target=target, title=spec.title))
        begun = [started, *self.step.start(self._active(t))]
        if not out_of_order:
            return begun
        # paused before a word of it: its opening lines wait for the fault to clear
        paused = self._pause(t, "mat", say=cues.MAT_TROUBLE)
        self._unheard = [e.text for e in begun if isinstance(e, Say)]
        return [e for e in begun if not isinstance(e, Say)] + paused

    def _advance(self, t: float) -> list[Effect]:
        out: list[Effect] = []
        while self.step and self.step.done and self.phase is Phase.RUNNING:
            self._finished.append((self.step.spec.title, self.step.kind, self.step.status))
            if self.index + 1 < len(self.specs):
                out += self._enter(self.index + 1, t)
            else:
                out += self._end("done", t)
        return out

    def _end(self, status: str, t: float) -> list[Effect]:
        out: list[Effect] = [Calibrate(False)] if self._calibrating else []
        if self.step and not self.step.done:
            out += self.step.finish(status)
            self._finished.append((self.step.spec.title, self.step.kind, status))
        self.phase = Phase.FINISHED
        self.status = status
        if status != "done":
            out.append(Hush())
        out += [Log(self.index, SessionFinished(status)),
                Say(cues.SESSION_DONE if status == "done" else cues.STOPPED)]
        return out

    def _command(self, ev: Command) -> list[Effect]:
        if ev.action == "stop":
            return self._end("stopped", ev.t)
        if ev.action == "set aside":  # someone else stepped on: carried on at the next start
            return self._end("interrupted", ev.t)
        if ev.action == "pause" and self.phase is Phase.RUNNING:
            return self._pause(ev.t, "asked")
        if ev.action == "resume" and self.phase is Phase.PAUSED and not self._faults:
            return self._resume(ev.t)
        if ev.action == "skip":
            return self._skip(ev.t)
        return []

    def _skip(self, t: float) -> list[Effect]:
        if self.phase is Phase.PAUSED:
            self._resume(t)
        out: list[Effect] = [Calibrate(False)] if self._calibrating else []
        out += [Hush(), Say(cues.SKIPPED)]
        if self.step and not self.step.done:
            out += self.step.finish("skipped")
        return out + self._advance(t)

    def _pause(self, t: float, reason: str, say: str = cues.PAUSED) -> list[Effect]:
        self.phase = Phase.PAUSED
        self.paused_reason = reason
        self._paused_at = t
        self._one_foot_since = None
        self._unheard = [x for x in self.timeline.unsaid(self._line_step, t) if x not in _OWN]
        return [Hush(), Say(say)]  # what was queued for the exercise waits for the resume

    def _resume(self, t: float) -> list[Effect]:
        self._paused_total += t - self._paused_at
        self.phase = Phase.RUNNING
        self.paused_reason = ""
        self._off_since = None if any(self._feet_on) else t  # still away: it may pause again
        unheard, self._unheard = self._unheard, []
        return [Say(cues.RESUMED), *(Say(x) for x in unheard)]

    def _uses_mat(self) -> bool:
        """Is this step done on the mat, so that stepping off means "pause"?"""
        if not self.step or self.step.kind == "calibrate":
            return False
        return self.step.uses_mat or bool(self._mat_used)

    def _fault(self, ev: Fault) -> list[Effect]:
        if ev.kind == "drift":  # advisory: counting goes on; the shell asks for a new weigh-in
            return []
        key = (ev.foot, ev.kind)
        if ev.active:
            self._faults[key] = ev.message[:1].upper() + ev.message[1:]
            self._one_foot_since = None  # what the feet seemed to do was the fault
            return self._fault_pause(ev.t)
        self._faults.pop(key, None)
        if self._faults:
            return []
        one_foot = self._feet_on[0] != self._feet_on[1]
        self._one_foot_since = ev.t if one_foot else None  # a gesture counts from now on
        if self.phase is Phase.PAUSED and self.paused_reason == "mat":
            return self._resume(ev.t)
        return []

    def _fault_pause(self, t: float) -> list[Effect]:
        """A standing fault pauses a mat step whenever it began (before the step, during it,
        or during a pause for stepping off, which it takes over so both feet cannot end it)."""
        if not self._faults or not self._uses_mat() or self.paused_reason in ("mat", "asked"):
            return []
        if self.phase is Phase.RUNNING:
            return self._pause(t, "mat", say=cues.MAT_TROUBLE)
        self.paused_reason = "mat"
        return [Say(cues.MAT_TROUBLE)]

    def _feet(self, ev: Feet) -> list[Effect]:
        self._feet_on = (ev.left, ev.right)
        self._off_since = None if (ev.left or ev.right) else (self._off_since or ev.t)
        one_foot = ev.left != ev.right and not self._faults  # a dead channel is no gesture
        self._one_foot_since = (self._one_foot_since or ev.t) if one_foot else None
        if self.phase is Phase.PAUSED and ev.left and ev.right and self.paused_reason != "mat" \
                and not (self._faults and self._uses_mat()):
            return self._resume(ev.t)
        return []

    def _auto_pause(self, t: float) -> list[Effect]:
        if self._mat_used is None and self.step is not None and self.step.working:
            self._mat_used = any(self._feet_on)  # doing it on the mat, or at a wall / on the floor
            if not self._mat_used and not self.step.tells_off_mat:
                return [Say(cues.OFF_MAT_TIMED)]  # away from the mat: it runs on its timer
        # only a step done on the mat pauses when the person leaves it: one at a wall or a
        # chair runs on its timer, however the person got there
        if self._off_since is not None and self.step is not None and self.step.uses_mat \
                and t - self._off_since >= self.pause_after_off_s:
            return self._pause(t, "off")
        return []

    def _paused_tick(self, t: float) -> list[Effect]:
        if self._faults:
            self._one_foot_since = None  # the fault may have come in the same frame
        if self._one_foot_since is not None and t - self._one_foot_since >= GESTURE_HOLD_S:
            self._one_foot_since = None
            right_only = self._feet_on[1]
            return self._skip(t) if right_only else self._end("stopped", t)
        if t - self._paused_at >= self.stop_after_pause_s:
            # a fault's long wait sets the session aside, to be carried on (coach.resume) once
            # the mat is mended; only the person's own pause or absence stops it
            return self._end("interrupted" if self.paused_reason == "mat" else "stopped", t)
        return []
