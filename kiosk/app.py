"""The imperative shell: the one place where the mat, the engine, the voice, the log and the
screen meet. ``App.frame()`` runs one frame and can be called by tests; ``kiosk.wiring`` builds
an App from real parts and ``kiosk.loop`` paces its frames. (A "step" is a session step only.)

What the App talks to is declared in ``kiosk.seams``: a mat source, a voice, a log store, a
screen, a monotonic clock for timing and a wall clock for dates.

One frame: read keys and buttons, drain the mat's samples into the detector (or the
calibrator), feed the engine its events and a clock tick, carry out its effects (speak, log,
calibrate), then build the view from state and paint it. Nothing in a frame waits on the
sampler thread or the speech worker.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import problems
from kiosk.clock import SystemWallClock
from kiosk.coach import cues
from kiosk.coach.engine import Phase as SessionPhase
from kiosk.coach.engine import Session
from kiosk.coach.events import Calibrate, Command, Hush, Log, Say, Tick, Tone
from kiosk.coach.recorder import Recorder
from kiosk.coach.resume import Resume, resume_plan
from kiosk.coach.whoask import Phase as WhoPhase
from kiosk.coach.whoask import WhoAsk
from kiosk.errors import KioskError
from kiosk.mat import who
from kiosk.mat.events import Fault, Feet, Presence
from kiosk.mat.force import Calibration
from kiosk.mat.link import MatLink
from kiosk.program.model import StepSpec
from kiosk.program.safety import impact_work_allowed, profile_from
from kiosk.reminders import next_slot, reminder_due
from kiosk.seams import Clock, Keyboard, LogStore, MatSource, Screen, Voice, WallClock
from kiosk.store.records import CalibrationMade
from kiosk.ui.views import DaySummary, ScreenView, UiState, build

if TYPE_CHECKING:
    from kiosk.config import Config

log = logging.getLogger(__name__)

START_AFTER_S = 1.0  # standing this long on the home screen starts a session
QUIET_WAIT_S = 4.0  # in a household, how long after that to wait for a still second
PROBLEM_S = 30.0  # a problem found when starting stays up this long, then home again
SUMMARY_S = 12.0  # the summary stays up this long (or until the person steps off); the
# next session still needs a new step onto the mat
LOG_RETRY_S = 5.0  # records held while the log cannot be written are retried this often
KEYS = {"left": "left", "right": "right", "space": "space"}


@dataclass
class Hooks:
    """Optional observers: the demo takes screenshots, the kiosk pings the watchdog."""

    on_frame: Callable[[str, Any], None] | None = None  # (screen name, painted surface)
    on_beat: Callable[[], object] | None = None


class App:
    """A running kiosk (or demo): home screen, sessions, summary."""

    def __init__(self, *, config: Config, clock: Clock, mat: MatSource, link: MatLink,
                 speech: Voice, store: LogStore, steps_for: Callable[[str], Sequence[StepSpec]],
                 screen: Screen | None = None, slot_for: Callable[[datetime], str] | None = None,
                 wall: WallClock | None = None, hooks: Hooks | None = None,
                 keyboard: Keyboard | None = None,
                 plan_for: Callable[[Config, LogStore], Callable[[str], Sequence[StepSpec]]]
                 | None = None,
                 calibration_of: Callable[[str], Path | None] | None = None):
        self.config = config
        #: a household's shared configuration and log (everyone's); ``config`` and ``store``
        #: become the person's once they say who they are, and these again at home
        self.household = config
        self.household_store = store.for_person(None) if config.household else store
        self.plan_for = plan_for  # a person's plan from their config and their log
        self.calibration_of = calibration_of or (lambda key: None)  # their weigh-in's file
        self.person = "" if config.household else config.people[0].key
        self.who: WhoAsk | None = None
        self._who_decision: who.Decision | None = None
        self._who_load: float | None = None
        self.who_quiet_at = 0.0
        self.clock = clock
        self.mat = mat
        self.link = link
        self.speech = speech
        self.store = store
        self.steps_for = steps_for
        self.screen = screen
        self.slot_for = slot_for or self.scheduled_slot
        self.wall: WallClock = wall or SystemWallClock()
        self.hooks = hooks or Hooks()
        self.keyboard = keyboard
        self.mode = "home"
        self.session: Session | None = None
        self.recorder: Recorder | None = None
        self.commands: deque[str] = deque()  # filled by buttons (other threads) and keys
        self._on_since: float | None = None
        self._step_off_first = False  # after a summary or stop: off the mat before a new start
        self._summary_since = 0.0
        self.frames = 0
        self.last_view: ScreenView | None = None
        self.problem: tuple[str, str] = ("", "")
        self.notice = ""
        self.week: tuple[DaySummary, ...] = ()
        self.streak = 0
        self._today: tuple[tuple[str, str, bool], ...] | None = None
        self._today_read = 0.0
        self._today_date: date | None = None
        self._spoken: set[str] = set()
        self.reminder_text = ""
        self.mat_faults: dict[tuple[str | None, str], str] = {}
        self.log_failed = False
        self.asleep = False
        self.resting = False  # home screen, nobody on the mat, nothing due or wrong
        self._idle_since = clock.now()
        self._back_since: float | None = None  # a household: both feet back on a paused session
        self._before: Calibration | None = None  # the chosen person's weigh-in before this one
        self._mine: dict[str, tuple[Config, str]] = {}  # each person's config, for reminders
        if config.household:  # nobody's yet: the household's view reads everyone's
            self.store = self.household_store
            link.answer_taps = True  # taps answer "who is it?" when no weigh-in is on the mat
            link.measure_load = True  # the standing load says who stepped on
            # every person's lines rendered now: when each is heard is measured, not guessed
            speech.prepare([line for p in config.people for line in (
                cues.who_hello(p.name), cues.who_ask(p.name), cues.who_next(p.name),
                cues.who_chosen(p.name), cues.set_aside(p.name))])
        self._problem_until = 0.0
        self._log_retry_at = 0.0
        self._voice_ok: bool | None = None  # the voice as last seen; None before it is ready
        self._done_by: set[tuple[str, str]] = set()  # today's (person, slot) sessions done

    # -- input -----------------------------------------------------------------------------
    def command(self, action: str) -> None:
        """Thread-safe: a button or key asks for pause, resume, skip or stop."""
        self.commands.append(action)

    def key(self, name: str) -> None:
        """A key press: arrows and space drive the keyboard mat, the rest are commands.
        On a dark (asleep) screen a key only wakes it, so nothing happens unseen."""
        if self.asleep:
            self._wake(self.clock.now())
            return
        self._idle_since = self.clock.now()
        if self.keyboard is not None and name in KEYS:
            self.keyboard.press(KEYS[name])
        elif name in ("p", "pause"):
            paused = self.session and self.session.view.phase.value == "paused"
            self.command("resume" if paused else "pause")
        elif name in ("s", "skip"):
            self.command("skip")
        elif name in ("escape", "q", "stop"):
            self.command("stop")

    # -- one frame -------------------------------------------------------------------------
    def frame(self, paint: bool = True) -> bool:
        """Run one frame (``paint=False``: think but do not draw, for a sped-up demo)."""
        t = self.clock.now()
        events = self.link.feed(self.mat.drain())
        self._track_faults(events)
        if self.mode == "home":
            self._home(t, events)
        elif self.mode == "who":
            self._asking(t, events)
        elif self.mode == "session":
            self._session(t, events)
        elif self.mode == "summary":
            if self.session is not None:  # its last words are said and keep their time
                self._apply(self.session.handle(Tick(t)))
            stepped_off = any(isinstance(ev, Presence) and not ev.on for ev in events)
            if stepped_off or t - self._summary_since >= SUMMARY_S:
                self._home_again()
                # someone still on the mat starts nothing until they step off and on again
                self._step_off_first = self.link.someone_on() and not stepped_off
        self._sleep_or_wake(t, events)
        self._retry_log(t)
        self._watch_voice()
        if paint:
            self.paint()
        if self.problem[0] and t >= self._problem_until:
            self.problem = ("", "")
        self.frames += 1
        if self.hooks.on_beat:
            self.hooks.on_beat()
        return True

    def _sleep_or_wake(self, t: float, events: list) -> None:
        """The screen goes dark after ``display.sleep_after_min`` idle minutes on the home
        screen (kmsdrm ignores SDL's screensaver); a foot, a key, a reminder or a problem wakes
        it. Idle means nobody on the mat, nothing due, nothing wrong."""
        busy = (self.mode != "home" or self.link.someone_on() or any(self.link.feet)
                or bool(self.reminder_text) or bool(self.problem[0]) or bool(self.mat_faults)
                or any(isinstance(ev, Presence) and ev.on for ev in events))
        self.resting = not busy
        if busy:
            self._wake(t)
            return
        limit_min = self.config.display.sleep_after_min
        if limit_min and t - self._idle_since >= 60.0 * limit_min:
            self.asleep = True

    def _wake(self, t: float) -> None:
        self.asleep = False
        self._idle_since = t

    def _track_faults(self, events: list) -> None:
        """Mat faults outside a session: the home screen shows them and says so, once each."""
        for ev in events:
            if isinstance(ev, Fault) and ev.kind != "drift":
                if ev.active:
                    if not self.mat_faults and self.mode == "home":
                        self.speech.say(cues.MAT_TROUBLE)
                    self.mat_faults[(ev.foot, ev.kind)] = ev.message[:1].upper() + ev.message[1:]
                else:
                    self.mat_faults.pop((ev.foot, ev.kind), None)

    def _home(self, t: float, events: list) -> None:
        self.reminder_text = self.reminder(self.wall.local(), self.today())
        if self.mat_faults or self.problem[0]:  # a broken mat never starts a session, and a
            # problem found at the last start stays up (PROBLEM_S) before the next try
            self._on_since = None
            self.commands.clear()
            return
        for ev in events:
            if isinstance(ev, Presence):
                self._on_since = ev.t if ev.on else None
                self._step_off_first = self._step_off_first and ev.on
        if self._step_off_first and not self.link.someone_on():
            self._step_off_first = False
        while self.commands:
            # the pause/resume button starts a session; in a household only with someone on
            # the mat (the mat has to say who it is)
            if self.commands.popleft() in ("resume", "pause") and (
                    not self.household.household or self.link.someone_on()):
                self._begin(t, waited=True)
                return
        if self._step_off_first:
            self._on_since = None
            return
        if self.link.someone_on() and self._on_since is None:
            self._on_since = t
        if self._on_since is not None and t - self._on_since >= START_AFTER_S:
            self._begin(t, waited=t - self._on_since >= START_AFTER_S + QUIET_WAIT_S)

    # -- who is on the mat (a household) ----------------------------------------------------
    def _begin(self, t: float, waited: bool) -> None:
        """Someone stands on the mat: a session for the one person there is, or in a household
        first who it is, from their standing load once they stand still (``QUIET_WAIT_S`` at
        most) and, always, their foot tap."""
        if not self.household.household:
            self.start_session(t)
            return
        load = self.link.standing_load()
        if load is None and not waited and self.link.can_measure:
            return  # not still yet: the next frames measure again
        self.ask_who(t, load)

    def _decide(self, load: float | None) -> who.Decision:
        """The mat's decision on a standing load, from each person's weigh-in (the person on
        the kiosk now: the one on the mat, perhaps made in this session)."""
        refs = {p.key: self._reference(p.key) for p in self.household.people}
        if self.person and self.link.calibration is not None:
            refs[self.person] = self.link.calibration.bw_conductance
        return who.decide(load, refs, who.NOISE_FLOOR) if load else who.NoMatch(tuple(refs))

    def ask_who(self, t: float, load: float | None, preface: tuple[str, ...] = (),
                decision: who.Decision | None = None) -> None:
        """Offer the household's names, the one the mat recognised (or the nearest) first.
        A standing that fits no one's weigh-in asks the person to stand alone first."""
        people = self.household.people
        decision = decision or self._decide(load)
        first = ((decision.person,) if isinstance(decision, who.Match) else
                 decision.candidates if isinstance(decision, who.TooClose) else decision.nearest)
        order = [*first, *(p.key for p in people if p.key not in first)]
        names = {p.key: p.name for p in people}
        if isinstance(decision, who.NoMatch) and load and any(
                self._reference(p.key) for p in people):
            preface = (*preface, cues.WHO_ALONE)
        self._on_since = None
        self._who_decision, self._who_load = decision, load
        self.who = WhoAsk([(k, names[k]) for k in order], t,
                          matched=isinstance(decision, who.Match), preface=preface,
                          feet=self.link.feet)
        log.info("who is on the mat: load %s, %s", f"{load:.3f}" if load else "unknown",
                 decision)
        self.mode = "who"
        self.who_quiet_at = t
        self._say_who(t, self.who.opening())

    def _say_who(self, t: float, effects: list) -> None:
        """Say the chooser's lines; a tap counts once the last of them has been heard."""
        for e in effects:
            if isinstance(e, Say):
                self.who_quiet_at = max(self.who_quiet_at, t) + self.speech.seconds(e.text) \
                    + self.config.voice.gap_s
        self._apply(effects)

    def _reference(self, key: str) -> float | None:
        """A person's standing load from their own weigh-in, if they have one."""
        path = self.calibration_of(key)
        if path is None or not path.exists():
            return None
        try:
            return Calibration.load(path).bw_conductance
        except KioskError as exc:  # a damaged file: this person weighs in again
            log.warning("calibration of %s: %s", key, exc)
            return None

    def _asking(self, t: float, events: list) -> None:
        assert self.who is not None
        if self.mat_faults:  # a broken mat stops the question, as it stops a start at home
            self.speech.hush()
            self.speech.say(cues.MAT_TROUBLE)
            self._home_again()
            return
        for ev in events:
            self._say_who(t, self.who.handle(ev))
        self._say_who(t, self.who.handle(Tick(t), quiet=t >= self.who_quiet_at))
        if self.who.phase is WhoPhase.AGAIN:  # off and on again: measure and ask afresh
            self.speech.hush()
            self._home_again()
            self._on_since = t
        elif self.who.phase is WhoPhase.GONE:
            self._home_again()
            self._step_off_first = self.link.someone_on()
        elif self.who.phase is WhoPhase.CHOSEN and t >= self.who_quiet_at:
            assert self.who.chosen is not None
            self.be(self.who.chosen, t)
            self.start_session(t)

    def be(self, key: str, t: float) -> None:
        """From now until home, the kiosk is this person's: their profile, plan and log, and
        their weigh-in on the mat. Their reference follows their weight only from a standing
        the mat gave to them (``who.follow``); a standing that fitted no one weighs in again."""
        self.person = key
        self._today = None  # their own sessions decide their slot
        self.config = self.household.for_person(key)
        self.store = self.household_store.for_person(key)
        if self.plan_for is not None:
            self.steps_for = self.plan_for(self.config, self.store)
        path = self.calibration_of(key)
        self.link.save_to = path
        cal = None
        if path is not None and path.exists():
            try:
                cal = Calibration.load(path)
            except KioskError:
                cal = None
        self._before = cal
        if cal is None:
            self.link.forget()  # the session starts with their weigh-in
            return
        decision, load = self._who_decision, self._who_load
        if load and decision is not None:
            new = who.follow(cal.bw_conductance, load, decision, key)
            if new != cal.bw_conductance:
                cal = dataclasses.replace(cal, bw_conductance=new)
                self._keep_reference(cal, load)
        drifted = self.link.drifted  # the empty mat drifted at home: it still has
        self.link.use(cal)
        # their standing fits no one now: weigh in again (``_weighed_in`` bounds it)
        self.link.drifted = drifted or (isinstance(decision, who.NoMatch) and bool(load))

    def _keep_reference(self, cal: Calibration, load: float) -> None:
        """A drifted reference: its file, and a line in the person's calibration history."""
        try:
            if self.link.save_to is not None:
                cal.save(self.link.save_to)
            self.store.add_calibration(CalibrationMade(  # type: ignore[attr-defined]
                {"bw_conductance": cal.bw_conductance, "followed_standing": round(load, 5),
                 "created": cal.created}), created_utc=self.wall.utc())
        except (KioskError, OSError) as exc:  # never a crash: the next standing tries again
            log.warning("keeping the reference of %s: %s", self.person, exc)

    def _home_again(self) -> None:
        """Home: in a household nobody is on the kiosk until the next one says who they are
        (and today's sessions are everyone's again)."""
        self.mode = "home"
        self.who = None
        self._back_since = None
        if self.household.household:
            self.config, self.store, self.person = self.household, self.household_store, ""
            self._today = None

    def start_session(self, t: float, slot: str | None = None) -> None:
        now = self.wall.local()
        slot = slot or self.slot_for(now)
        self._on_since = None
        try:
            steps = list(self.steps_for(slot))
        except KioskError as exc:  # e.g. an unsafe program.include: show it, never crash
            log.error("cannot plan the %s session: %s", slot, exc)
            steps, problem = [], problems.PLAN
        else:
            problem = problems.NOTHING_PLANNED
        if not steps:  # show it for a while; step off and on again to try again
            self.show_problem(problem, t, PROBLEM_S)
            return
        self.problem = ("", "")
        resume = self._carry_on(now.date(), slot, steps)  # after a crash: what is left of it
        carried = dict(resume.carried) if resume else {}
        steps = list(resume.steps) if resume else steps
        if self.link.needs_calibration():
            steps.insert(0, StepSpec("calibrate", "calibration", "Weighing in", block=""))
            carried = {k + 1: c for k, c in carried.items()}
        # the session's timeline asks the voice how long each line sounds (measured on its
        # WAV once rendered); the session's own lines are rendered ahead meanwhile
        self.speech.prepare([line for spec in steps for line in spec.instructions])
        self.session = Session(steps, pause_after_off_s=self.config.coach.pause_after_off_s,
                               stop_after_pause_s=self.config.coach.stop_after_pause_s,
                               feet=self.link.feet, carried=carried,
                               opening=cues.carry_on(resume.done, resume.total) if resume else "",
                               seconds=self.speech.seconds, gap_s=self.config.voice.gap_s)
        self.recorder = Recorder(self.store, slot=slot, plan_date=now.date(),
                                 utc_now=self.wall.utc,
                                 carry=self.recorder,  # records still waiting for the disk
                                 session_id=resume.session_id if resume else None,
                                 reopen={k: c.row_id for k, c in carried.items()})
        self.mode = "session"
        self._on_since = None
        self._apply(self.session.handle(Tick(t)))

    def _carry_on(self, day: date, slot: str, planned: Sequence[StepSpec]) -> Resume | None:
        """Today's session of this slot if a crash or power cut cut it short (``coach.resume``
        says why it carries on by itself); a log that cannot be read means a fresh start."""
        try:
            so_far = self.store.session_so_far(day, slot)
        except Exception:  # a log not open yet (DeferredStore) or unreadable: plan afresh
            log.exception("reading today's %s session so far", slot)
            return None
        resume = resume_plan(planned, so_far)
        if resume is not None:
            log.warning("carrying on session %d: %d of %d steps were done", resume.session_id,
                        resume.done, resume.total)
        return resume

    def _session(self, t: float, events: list) -> None:
        assert self.session is not None
        if self.household.household:
            events = self._coming_back(t, events)
            if self.mode != "session":  # set aside: someone else is on the mat
                return
        while self.commands:
            self._apply(self.session.handle(Command(t, self.commands.popleft())))
        for ev in events:
            self._apply(self.session.handle(ev))
        self._apply(self.session.handle(Tick(t)))
        if self.session.finished:
            self.mode = "summary"
            self._summary_since = t
            self.week, self.streak = week_figures(self.store, self.wall.local().date())
            self._today = None  # re-read: a slot may be done now
            self._backup()

    def _coming_back(self, t: float, events: list) -> list:
        """A household's paused session: both feet back resume it only once the standing
        load is this person's (the mat's ``Match``). Someone else, or a standing the mat
        cannot tell, sets it aside as interrupted (carried on at this person's next start,
        as after a crash) and asks who it is. Until then the feet count as not back."""
        s = self.session
        assert s is not None
        if s.phase is not SessionPhase.PAUSED or s.paused_reason == "mat":
            self._back_since = None
            return events
        kept: list = []
        for ev in events:
            if isinstance(ev, Feet) and ev.left and ev.right:
                self._back_since = ev.t if self._back_since is None else self._back_since
                kept.append(Feet(ev.t, False, False))  # not back until it is them
                continue
            if isinstance(ev, Feet):
                self._back_since = None
            kept.append(ev)
        if self._back_since is None or t - self._back_since < START_AFTER_S:
            return kept
        load = self.link.standing_load()
        if load is None and t - self._back_since < START_AFTER_S + QUIET_WAIT_S:
            return kept  # not still yet
        self._back_since = None
        decision = self._decide(load)
        log.info("back on a paused session of %s: load %s, %s", self.person,
                 f"{load:.3f}" if load else "unknown", decision)
        if decision == who.Match(self.person):
            return [*kept, Feet(t, True, True)]
        name = self.config.profile.name
        self._apply([e for e in s.handle(Command(t, "set aside")) if not isinstance(e, Say)])
        self._home_again()
        self.ask_who(t, load, preface=(cues.set_aside(name),), decision=decision)
        return []

    def _backup(self) -> None:
        """The log's daily rolling copy, taken after a session (a quiet moment), not at 30 fps."""
        try:
            self.store.backup_if_due()
        except Exception:  # a failed backup must not stop the coach; the journal has it
            log.exception("backing up the log")

    def _apply(self, effects: list) -> None:
        for e in effects:
            if isinstance(e, Say):
                self.speech.say(e.text)
            elif isinstance(e, Tone):
                self.speech.tone(e.name)
            elif isinstance(e, Log):
                self._record(e)
            elif isinstance(e, Calibrate):
                self.link.set_calibrating(e.active)
            elif isinstance(e, Hush):
                self.speech.hush()

    def _record(self, e: Log) -> None:
        """Keep it in the log; if the log cannot take it (disk full, I/O error), keep coaching,
        say so on screen once, and let the journal have the details: never a crash loop."""
        try:
            if isinstance(e.record, CalibrationMade):
                e = Log(e.step, CalibrationMade(self._weighed_in()))
            if self.recorder is not None:
                self.recorder.apply(e)
                if self.log_failed:
                    self._log_back(0)
        except (KioskError, OSError) as exc:
            log.error("could not record %s (kept in memory, %d waiting): %s",
                      type(e.record).__name__, len(self.recorder.pending) if self.recorder
                      else 0, exc)
            if not self.log_failed:
                self.log_failed = True
                self.notice = problems.LOG_FULL
            self._log_retry_at = self.clock.now() + LOG_RETRY_S

    def _weighed_in(self) -> dict:
        """Keep a weigh-in just made (its file) and describe it for the log. In a household,
        one more than ``who.FAR_WEIGH_IN`` from the person's previous weigh-in (two people on
        the mat, a helper's foot, a bag) is logged but not kept as theirs: their previous one
        stays, and this session uses the lighter of the two, which never over-loads stomps."""
        new, before = self.link.calibration, self._before
        if (not self.household.household or new is None or before is None
                or not who.far_from(before.bw_conductance, new.bw_conductance)):
            return self.link.save_calibration()
        save_to, self.link.save_to = self.link.save_to, None
        try:
            made = self.link.save_calibration()  # its line in the history, not their file
        finally:
            self.link.save_to = save_to
        log.warning("weigh-in of %s is %.0f %% from their previous one: not kept as theirs",
                    self.person, 100 * (new.bw_conductance / before.bw_conductance - 1))
        self.link.use(min(new, before, key=lambda c: c.bw_conductance))
        if self.session is not None:  # said and shown in its turn, as the session's lines
            self._apply(self.session.say(self.clock.now(), cues.WHO_FAR))
        return made

    def _retry_log(self, t: float) -> None:
        """Records held while the log could not be written go to disk, oldest first, as soon
        as it takes writes again (tried every LOG_RETRY_S, not every frame)."""
        if self.recorder is None or not self.recorder.pending or t < self._log_retry_at:
            return
        self._log_retry_at = t + LOG_RETRY_S
        try:
            written = self.recorder.flush()
        except (KioskError, OSError) as exc:
            log.warning("the log still cannot be written (%d records wait): %s",
                        len(self.recorder.pending), exc)
            return
        self._log_back(written)

    def _log_back(self, written: int) -> None:
        log.warning("the log takes writes again: held records written (%d now)", written)
        if self.notice == problems.LOG_FULL:
            self.notice = ""
        self.log_failed = False

    def _watch_voice(self) -> None:
        """A voice that hangs or fails while the kiosk runs: say so on screen once; coaching
        goes on with captions and tones (the state at start is the start-up code's to show)."""
        ok, detail = self.speech.health()
        if ok is None:  # switched off, or not ready yet
            return
        if self._voice_ok and not ok:
            log.warning("voice: %s", detail)
            self.notice = problems.VOICE_LOST
        elif self._voice_ok is False and ok:  # heard again (a sound card that came late)
            gone = (problems.VOICE_LOST, problems.VOICE_UNAVAILABLE)
            self.notice = "; ".join(n for n in self.notice.split("; ") if n not in gone)
        self._voice_ok = ok

    def show_problem(self, problem: tuple[str, str], t: float, seconds: float) -> None:
        """A problem screen that says what to do; it stays ``seconds`` (0: until cleared)."""
        self.problem = problem
        self._problem_until = t + seconds if seconds else float("inf")

    # -- screen ----------------------------------------------------------------------------
    def ui_state(self) -> UiState:
        now = self.wall.local()
        today = self.today()
        problem = self.problem
        if not problem[0] and self.mode == "home" and self.mat_faults:
            problem = (next(iter(self.mat_faults.values())), problems.MAT_TODO)
        mode = "problem" if problem[0] else "asleep" if self.asleep else self.mode
        return UiState(mode=mode, now=now, name=self.config.profile.name,
                       who=self.who.view() if self.who is not None and mode == "who" else None,
                       session=self.session.view if self.session else None, today=today,
                       reminder=self.reminder_text if self.mode == "home" else "",
                       problem=problem, notice=self.notice,
                       week=self.week, streak_days=self.streak,
                       next_slot=self.slot_for(now) if self.mode == "home" else "",
                       demo=self.recorder is not None and self.recorder.slot == "demo")

    def scheduled_slot(self, now: datetime) -> str:
        """The session the schedule says is next (a missed morning one first)."""
        return next_slot(now, self.config.schedule, {s for s, _, d in self.today() if d})

    def today(self) -> tuple[tuple[str, str, bool], ...]:
        """Today's sessions and whether each is done; read from the log once a minute at most
        (and after every session), never every frame."""
        now = self.clock.now()
        day = self.wall.local().date()
        if self._today is None or now - self._today_read >= 60.0 or self._today_date != day:
            done: set[str] = set()
            try:
                rows = self.store.sessions(since=day, limit=20)
                self._done_by = {(s.get("person", ""), s["slot"]) for s in rows
                                 if s.get("status") == "done"}
                done = {slot for _, slot in self._done_by}
                if self.household.household and not self.person:  # the household's home:
                    # a slot is done when everyone has done it
                    done = {slot for slot in done if all(
                        (p.key, slot) in self._done_by for p in self.household.people)}
            except Exception:  # the log is the store's business; the screen never dies of it
                log.exception("reading today's sessions")
            sched = self.config.schedule
            self._today = (("morning", sched.morning, "morning" in done),
                           ("evening", sched.evening, "evening" in done))
            self._today_read, self._today_date = now, day
        return self._today

    def reminder(self, now: datetime, today: tuple[tuple[str, str, bool], ...]) -> str:
        """The due-session reminder for the home screen; spoken once per slot, not in quiet
        hours, and only while nobody is exercising. In a household each person's own
        schedule and sessions decide theirs, and it names them."""
        if self.household.household:
            return self._household_reminder(now)
        stomps = impact_work_allowed(profile_from(self.config))
        what = "stomps and stretches" if stomps else "exercises"
        r = reminder_due(now, self.config.schedule, {s for s, _, d in today if d}, self._spoken,
                         what)
        if r is None:
            return ""
        if r.speak and self.mode == "home":
            self._spoken.add(r.key)
            self.speech.say(r.text)
        return r.text

    def _household_reminder(self, now: datetime) -> str:
        """The first person (in the file's order) with a session due: "Anna: time for your
        morning exercises." Each person's done sessions are read with the rest of today."""
        self.today()  # reads today's sessions once a minute at most
        for p in self.household.people:
            if p.key not in self._mine:  # configs never change while the kiosk runs
                mine = self.household.for_person(p.key)
                self._mine[p.key] = (mine, "stomps and stretches" if impact_work_allowed(
                    profile_from(mine)) else "exercises")
            mine, what = self._mine[p.key]
            done = {slot for person, slot in self._done_by if person == p.key}
            r = reminder_due(now, mine.schedule, done, self._spoken, what, person=p.key)
            if r is None:
                continue
            text = f"{p.name}: {r.text[0].lower()}{r.text[1:]}"
            if r.speak and self.mode == "home":
                self._spoken.add(r.key)
                self.speech.say(text)
            return text
        return ""

    def paint(self) -> None:
        if self.screen is None:
            return
        view = build(self.ui_state())
        self.screen.paint(view)
        self.last_view = view
        if self.hooks.on_frame:
            self.hooks.on_frame(view.name, self.screen.surface)


def week_figures(store: LogStore, today: date) -> tuple[tuple[DaySummary, ...], int]:
    """Sessions completed on each of the last 7 days, and the run of days with one or more."""
    try:
        rows = store.sessions(since=today - timedelta(days=60), limit=None)
    except Exception:
        log.exception("reading the week's sessions")
        return (), 0
    per_day: dict[str, int] = {}
    for r in rows:
        if r.get("status") == "done" and r.get("slot") != "demo":  # as the report counts
            per_day[r["plan_date"]] = per_day.get(r["plan_date"], 0) + 1
    days = [today - timedelta(days=k) for k in range(6, -1, -1)]
    week = tuple(DaySummary(d.strftime("%a"), per_day.get(d.isoformat(), 0)) for d in days)
    streak, day = 0, today
    while per_day.get(day.isoformat()):
        streak += 1
        day -= timedelta(days=1)
    return week, streak
