"""The one timeline of what the coach says: each line is spoken and captioned together.

The engine used to keep its caption queue and the voice its own; they drifted (lines said but
never shown, shown but never said, stale captions in the next exercise). Now the timeline
decides when each line starts, from its audio length (measured on the rendered WAV when the
voice has it, else estimated), and the voice plays what it is told when it is told. A line's
caption stays up for its audio plus reading time (``gap_s``), and the next line waits for it.

Three kinds of line, from the cue table (``kiosk.coach.cues.line_kind``):

* an *instruction* is never dropped and never reordered;
* *feedback* to something the person just did ("Good!", a count) is said at once: it cuts an
  instruction short, which is then said again from its start (at most ``MAX_CUTS`` times, so
  quick stomps cannot starve it; once its step is over it is not said again), or it replaces
  feedback still waiting; if it cannot start within 0.3 s it is dropped (the tone still came);
* a *beat* (a countdown, "Up."/"And down.") goes before waiting instructions but cuts nothing;
  one that could not start within ``BEAT_STALE_S`` is dropped, as it would be wrong late.

Pure: time is an argument, and the effects (``Say``, ``Hush``) go to the shell.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from kiosk.coach.cues import BEAT, FEEDBACK, line_kind
from kiosk.coach.events import Effect, Hush, Say

#: Quiet after feedback before what follows (it is short, and said between other lines).
FEEDBACK_GAP_S = 0.3
#: Feedback that could not start within this long after its cause is dropped (issue 12: a
#: landing's word within 300 ms, or not at all: the tone always comes); a beat likewise.
FEEDBACK_STALE_S = 0.3
BEAT_STALE_S = 1.0
#: How often one instruction may be cut short by feedback; after that feedback waits for it
#: (and, being stale by then, is dropped), so quick stomps cannot starve a line.
MAX_CUTS = 3


@dataclass(frozen=True, slots=True)
class Line:
    """A line on the timeline: said from ``start``, its audio over at ``audio_end``, its
    caption up until ``until`` (audio plus reading time), when the next one may start."""

    text: str
    step: int
    kind: str
    start: float
    audio_end: float
    until: float


@dataclass(frozen=True, slots=True)
class _Waiting:
    text: str
    step: int
    kind: str
    queued_t: float
    again: bool = False  # an instruction cut short, to be said again whole


class Timeline:
    """What is being said and shown now, and what waits, in order."""

    def __init__(self, seconds: Callable[[str], float], gap_s: float):
        self.seconds = seconds  # a line's audio length: measured if rendered, else estimated
        self.gap_s = gap_s
        self.current: Line | None = None
        self.last: Line | None = None  # the latest line started (its caption may stay up)
        self.said: list[Line] = []  # every line started, in order (tests and the bench read it)
        self._waiting: deque[_Waiting] = deque()
        self._cuts: dict[tuple[int, str], int] = {}

    def add(self, text: str, t: float, step: int) -> list[Effect]:
        """Queue a line said for ``step`` at ``t``; returns what the shell must do now."""
        kind = line_kind(text)
        item = _Waiting(text, step, kind, t)
        out: list[Effect] = []
        # a line cut short is said again only while its step lasts: heard in part, and done
        self._waiting = deque(w for w in self._waiting if not (w.again and w.step != step))
        if kind == FEEDBACK:
            self._waiting = deque(w for w in self._waiting if w.kind != FEEDBACK)
            cur = self._playing(t)
            if cur is not None and self._may_cut(cur):
                out += self._cut(cur, t)
            self._waiting.appendleft(item)
        elif kind == BEAT:
            self._waiting = deque(w for w in self._waiting if w.kind != BEAT)
            at = sum(1 for w in self._waiting if w.kind == FEEDBACK)
            self._waiting.insert(at, item)
        else:
            self._waiting.append(item)
        return out + self.due(t)

    def due(self, t: float) -> list[Effect]:
        """Start the next line if the one before has had its time; drop stale feedback."""
        out: list[Effect] = []
        self._remeasure()
        while self._waiting and (self.current is None or t >= self.current.until
                                 or self._follows_on(self._waiting[0], t)):
            w = self._waiting.popleft()
            stale = FEEDBACK_STALE_S if w.kind == FEEDBACK else BEAT_STALE_S
            if w.kind != "instruction" and t - w.queued_t > stale:
                continue  # said late it would be wrong; marked droppable in the cue table
            audio_s = self.seconds(w.text)
            gap_s = FEEDBACK_GAP_S if w.kind != "instruction" else self.gap_s
            line = Line(w.text, w.step, w.kind, t, t + audio_s, t + audio_s + gap_s)
            self.current = self.last = line
            self.said.append(line)
            out.append(Say(w.text))
        if self.current is not None and t >= self.current.until:
            self.current = None
        return out

    def _remeasure(self) -> None:
        """A line said before it was rendered started on an estimate; once the voice has
        measured its WAV (a fraction of a second later), its time follows the real length."""
        cur = self.current
        if cur is None or not self.said or self.said[-1] is not cur:
            return
        audio_s = self.seconds(cur.text)
        if abs(cur.audio_end - cur.start - audio_s) > 1e-6:
            gap_s = cur.until - cur.audio_end
            cur = replace(cur, audio_end=cur.start + audio_s, until=cur.start + audio_s + gap_s)
            self.current = self.last = self.said[-1] = cur

    def unsaid(self, step: int, t: float) -> list[str]:
        """The instructions of ``step`` not yet heard in full at ``t`` (being said, or
        waiting), in order: a pause hushes them, and they are said again when it ends."""
        cur = self._playing(t)
        now = [cur.text] if cur is not None and cur.kind == "instruction" and cur.step == step \
            else []
        return now + [w.text for w in self._waiting
                      if w.kind == "instruction" and w.step == step and w.text not in now]

    def clear(self) -> None:
        """Forget what waits and what is being said (a skip, pause or stop: the shell hushes)."""
        self._waiting.clear()
        self.current = None

    def idle(self, t: float) -> bool:
        """Nothing being said or shown for its time, nothing waiting."""
        return not self._waiting and (self.current is None or t >= self.current.until)

    def caption(self, t: float, step: int) -> str:
        """The caption at ``t``: the line being said; after it, the last line of this step
        stays until another comes; a line of an earlier step never shows under a new one."""
        if self.current is not None and t < self.current.until:
            return self.current.text
        if self.last is not None and self.last.step == step:
            return self.last.text
        return ""

    def _follows_on(self, w: _Waiting, t: float) -> bool:
        """Feedback after feedback or a beat needs no quiet between: a count each second
        (balance stances, chair stands) would otherwise drift behind the clock and drop."""
        cur = self.current
        return (w.kind == FEEDBACK and cur is not None and cur.kind != "instruction"
                and t >= cur.audio_end)

    def _playing(self, t: float) -> Line | None:
        cur = self.current
        return cur if cur is not None and t < cur.audio_end else None

    def _may_cut(self, cur: Line) -> bool:
        if cur.kind != "instruction":
            return True  # feedback replaces feedback or a beat being said
        return self._cuts.get((cur.step, cur.text), 0) < MAX_CUTS

    def _cut(self, cur: Line, t: float) -> list[Effect]:
        """Stop ``cur`` now; an instruction is said again, whole, after the feedback."""
        if cur.kind == "instruction":
            key = (cur.step, cur.text)
            self._cuts[key] = self._cuts.get(key, 0) + 1
            self._waiting.appendleft(_Waiting(cur.text, cur.step, cur.kind, t, again=True))
        self.current = None
        return [Hush()]
