"""Who is on the mat: greet the person the mat recognised, or go through the names, answered
with foot taps. A pure state machine: mat events and ticks in, lines to say and a choice out.

The mat's decision (``kiosk.mat.who``) arrives as the names in order, nearest first, and
whether the first is a match. Left foot: the next name (round the list); right foot: this is
me. Every line is said and shown; a tap counts only once the line that explains it has been
heard (``quiet``), and a tap is a foot lifted from a steady stance (both feet down for
``STEADY_S``) and coming down while the other stays on the mat: stepping onto the mat, one
foot after the other, is no tap. Stepping off and on again (someone else, perhaps) is a new
standing: the chooser ends (``AGAIN``) and the kiosk measures and asks afresh.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.coach import cues
from kiosk.coach.events import Effect, Say, Tick
from kiosk.mat.events import Feet, Landing, Presence

ASK_TIMEOUT_S = 60.0  # no answer for this long: back to the home screen
OFF_S = 3.0  # off the mat this long: nobody is choosing any more
TAP_GAP_S = 0.8  # two taps closer than this are one (a foot settling)
STEADY_S = 0.5  # both feet down this long before a foot lifts: that foot's landing is a tap


class Phase(enum.Enum):
    ASKING = "asking"
    CHOSEN = "chosen"
    GONE = "gone"  # stepped off or no answer: back home, nobody chosen
    AGAIN = "again"  # stepped off and on again: a new standing, measured and asked afresh


@dataclass(frozen=True, slots=True)
class WhoView:
    """What the who screen shows: the headline, the name offered now, the last line said."""

    headline: str
    name: str
    matched: bool
    caption: str


class WhoAsk:
    """Offer ``people`` (``(key, name)``, nearest first); ``matched``: the mat recognised the
    first one; ``preface``: lines said before the question (a session set aside, "stand on the
    mat by yourself"), the last of them the caption while the feet's answers are on screen;
    ``feet``: which feet are on the mat as it starts."""

    def __init__(self, people: Sequence[tuple[str, str]], t: float, *, matched: bool,
                 preface: Sequence[str] = (), feet: tuple[bool, bool] = (True, True)):
        if not people:
            raise ValueError("nobody to ask about")
        self.people = list(people)
        self.matched = matched
        self.index = 0
        self.phase = Phase.ASKING
        self.chosen: str | None = None
        self.started = self.last_answer = t
        self.preface = tuple(preface)
        self.caption = ""
        self._feet = feet
        self._both_since: float | None = t if all(feet) else None  # both feet down since
        self._lifted_steady = False  # the foot now up left a steady stance
        self._off_since: float | None = None
        self._last_tap = -1e9
        self._heard = False

    @property
    def name(self) -> str:
        return self.people[self.index][1]

    def opening(self) -> list[Effect]:
        """The first lines: a greeting by name, or the question; then what the feet do."""
        first = cues.who_hello(self.name) if self.matched else cues.who_ask(self.name)
        said = self._say(*self.preface, first, *cues.who_how())
        if self.preface:  # the question is the headline and the feet's answers are on screen
            self.caption = self.preface[-1]
        return said

    def _say(self, *lines: str) -> list[Effect]:
        self.caption = lines[-1]
        self._heard = False
        return [Say(line) for line in lines]

    def handle(self, ev: object, quiet: bool = True) -> list[Effect]:
        """One event; ``quiet``: nothing is waiting to be said (the last line was heard)."""
        if self.phase is not Phase.ASKING:
            return []
        if isinstance(ev, Tick):
            self._heard = self._heard or quiet
            off = self._off_since is not None and ev.t - self._off_since >= OFF_S
            if off or ev.t - self.last_answer >= ASK_TIMEOUT_S:
                self.phase = Phase.GONE
            return []
        if isinstance(ev, Presence):
            if ev.on and self._off_since is not None:
                self.phase = Phase.AGAIN  # off and on again: whoever it is now, ask afresh
            self._off_since = None if ev.on else ev.t
            return []
        if isinstance(ev, Feet):
            both = ev.left and ev.right
            if both and self._both_since is None:
                self._both_since = ev.t
            elif not both:
                if all(self._feet) and self._both_since is not None:
                    self._lifted_steady = ev.t - self._both_since >= STEADY_S
                if not (ev.left or ev.right):
                    self._lifted_steady = False
                self._both_since = None
            self._feet = (ev.left, ev.right)
            return []
        if isinstance(ev, Landing) and self._heard and self._tap(ev):
            self._last_tap = self.last_answer = ev.t
            if ev.foot == "right":
                self.phase, self.chosen = Phase.CHOSEN, self.people[self.index][0]
                return self._say(cues.who_chosen(self.name))
            self.index = (self.index + 1) % len(self.people)
            return self._say(cues.who_next(self.name))
        return []

    def _tap(self, ev: Landing) -> bool:
        """A deliberate tap: this foot was lifted from a steady stance on both feet while the
        other stays on the mat (not a step onto the mat), and not a foot still settling."""
        other_on = self._feet[1] if ev.foot == "left" else self._feet[0]
        steady, self._lifted_steady = self._lifted_steady, False
        return other_on and steady and ev.t - self._last_tap >= TAP_GAP_S

    def view(self) -> WhoView:
        headline = cues.who_hello(self.name) if self.matched and self.index == 0 \
            else cues.WHO_HEADLINE
        return WhoView(headline, self.name, self.matched and self.index == 0, self.caption)
