"""Screens as data: ``build(state)`` turns the app's state into items placed in fractions of the
screen. Pure (no pygame), so every screen can be built and checked in tests at any size; the
painter (``paint.py``) is the only code that draws.

One instruction at a time: each session screen shows what the exercise is (title and
pictogram), one big figure (count, countdown, cadence) and one line at the bottom — the very
words the voice just spoke. Meaning never rides on colour alone: a word or a shape says it too.

Session screens share one grid (fractions of the screen height): header 0–0.15, body
0.15–0.71, caption panel 0.72–1 (two lines of 7 %-high capitals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.coach import cues
from kiosk.coach.engine import Phase, SessionView
from kiosk.coach.steps import ONE_LEG
from kiosk.ui import theme
from kiosk.ui.pictograms import figure_for

if TYPE_CHECKING:
    from kiosk.coach.whoask import WhoView

GREETING_CHARS = 26  # the most a title line holds across an 800x480 screen
DATE_CHARS = 26  # the most a body line holds across it


@dataclass(frozen=True, slots=True)
class Text:
    """Words, fitted by the painter: wrapped onto ``lines`` and shrunk, never below the
    minimum (capitals 7 % of the screen height)."""

    text: str
    x: float
    y: float
    size: str = "body"
    color: str = "fg"
    anchor: str = "center"  # center | left | right (x is that edge); y is the centre line
    max_w: float = 0.92
    lines: int = 2


@dataclass(frozen=True, slots=True)
class Bar:
    """A horizontal or vertical (taller than wide) bar filled to ``fraction``.

    ``marker`` is a target line and ``zone`` a target band, as fractions of the bar; a
    ``hollow`` bar is drawn as an outline (a landing that missed its target).
    """

    x: float
    y: float
    w: float
    h: float
    fraction: float
    color: theme.Color = theme.GOOD
    marker: float | None = None
    zone: tuple[float, float] | None = None
    hollow: bool = False
    track: bool = True


@dataclass(frozen=True, slots=True)
class Ring:
    """A countdown ring; ``r`` is a fraction of the screen height."""

    cx: float
    cy: float
    r: float
    fraction: float
    color: theme.Color = theme.ACCENT


@dataclass(frozen=True, slots=True)
class Box:
    x: float
    y: float
    w: float
    h: float
    color: theme.Color = theme.PANEL
    outline: theme.Color | None = None


@dataclass(frozen=True, slots=True)
class Icon:
    """A pictogram or sign from ``pictograms.FIGURES``, ``size`` a fraction of the height;
    ``mirror`` flips it left to right (the other side), ``pose`` picks a start (0) or end (1)
    pose of a figure that has two."""

    name: str
    cx: float
    cy: float
    size: float
    color: str = "fg"
    mirror: bool = False
    pose: int = 0


Item = Text | Bar | Ring | Box | Icon


@dataclass(frozen=True, slots=True)
class ScreenView:
    name: str
    items: tuple[Item, ...]
    awake: bool = True  # keep the display on (during a session), else it may sleep


@dataclass(frozen=True, slots=True)
class DaySummary:
    """One day of the 7-day chart on the summary screen."""

    label: str
    sessions: int


@dataclass(frozen=True, slots=True)
class UiState:
    """Everything the screens show; the app builds it each frame."""

    mode: str  # home | session | summary | problem | asleep
    now: datetime
    name: str = ""
    session: SessionView | None = None
    today: tuple[tuple[str, str, bool], ...] = ()  # (slot, "HH:MM", done)
    next_slot: str = ""  # the session a step onto the mat starts (the schedule decides)
    reminder: str = ""
    problem: tuple[str, str] = ("", "")  # (what is wrong, what to do)
    week: tuple[DaySummary, ...] = ()
    streak_days: int = 0
    notice: str = ""  # a one-line note (voice unavailable, log repaired)
    demo: bool = False  # a demo session: its summary's chart says so
    who: WhoView | None = None  # who is on the mat? (a household)


def background_of(view: ScreenView, item: Text) -> theme.Color:
    """The colour behind a text item: the last box drawn under its anchor, else the screen.

    The contrast test uses this, so text placed on a panel is checked against the panel.
    """
    bg = theme.BG
    for it in view.items:
        if it is item:
            break
        if isinstance(it, Box) and it.x <= item.x <= it.x + it.w and it.y <= item.y <= it.y + it.h:
            bg = it.color
    return bg


def greeting(now: datetime, name: str) -> str:
    """"Good morning, Margaret!": the first name only, as a person greets, and it fits; a name
    too long for one line of full-size letters is left out rather than shrunk."""
    part = "morning" if now.hour < 12 else "afternoon" if now.hour < 18 else "evening"
    first = name.split()[0] if name.strip() else ""
    named = f"Good {part}, {first}!"
    return named if first and len(named) <= GREETING_CHARS else f"Good {part}!"


def today_line(now: datetime) -> str:
    """"Tuesday 24 November, 09:05", shortened to "Wed 30 Sep, 09:05" when it would not fit."""
    line = f"{now:%A} {now.day} {now:%B}, {now:%H:%M}"
    return line if len(line) <= DATE_CHARS else f"{now:%a} {now.day} {now:%b}, {now:%H:%M}"


def clock(seconds: float) -> str:
    """``m:ss``, rounded up so a countdown shows 0:00 only when it is over."""
    mins, secs = divmod(int(seconds + 0.999), 60)
    return f"{mins}:{secs:02d}"


def build(state: UiState) -> ScreenView:
    """The screen for this state."""
    if state.mode == "asleep":
        return asleep()
    if state.mode == "problem":
        return problem(state)
    if state.mode == "home":
        return home(state)
    if state.mode == "who" and state.who is not None:
        return who_is_it(state.who)
    s = state.session
    if s is None or s.phase is Phase.FINISHED or state.mode == "summary":
        return summary(state)
    if s.phase is Phase.PAUSED:
        return paused(state)
    if s.step is None:
        return home(state)
    return SESSION_SCREENS.get(s.step.kind, hold)(state)


# -- shared parts -------------------------------------------------------------------------
def _caption(text: str) -> list[Item]:
    """The words the voice just spoke, always in the same place."""
    return [Box(0.0, 0.72, 1.0, 0.28, outline=theme.EDGE),
            Text(text, 0.5, 0.86, "body", "fg", max_w=0.96)]


def _header(title: str, s: SessionView | None = None) -> list[Item]:
    items: list[Item] = [Text(title, 0.03, 0.075, "title", "accent", "left", max_w=0.74,
                              lines=1)]
    if s is not None and s.total > 1:
        items.append(Text(f"{s.index + 1} of {s.total}", 0.97, 0.075, "small", "dim", "right",
                          max_w=0.20, lines=1))
    return items


def _figure(state: UiState, cx: float = 0.17, cy: float = 0.43, size: float = 0.50) -> Icon:
    """The exercise's pictogram, in the pose of this moment; figures are drawn for the right
    side (the program's first), so the left side is their mirror image."""
    v = _session(state).step
    assert v is not None
    return Icon(figure_for(v.exercise_id, v.kind), cx, cy, size, mirror=v.side == "left",
                pose=pose_of(v.phase, state.now))


#: The summary chart's heading in a demo: the chart is the person's week, demos left out.
DEMO_CHART = "Demo: not in this chart"
POSE_S = 1.5  # each pose of a two-pose figure shows this long when they take turns


def pose_of(phase: str, now: datetime) -> int:
    """Which pose of a two-pose pictogram: the end pose while holding it, otherwise the start
    and end poses in turn, a slow two-frame film of the movement."""
    if phase == "hold":
        return 1
    return int(now.timestamp() / POSE_S) % 2


def _session(state: UiState) -> SessionView:
    s = state.session
    assert s is not None and s.step is not None
    return s


def _instruct(state: UiState, name: str) -> ScreenView:
    """Before a step begins, the instructions are read out: the figure and the words."""
    s = _session(state)
    assert s.step is not None
    items = [*_header(s.step.title, s), _figure(state, 0.5, 0.43, 0.52), *_caption(s.caption)]
    return ScreenView(name, tuple(items))


# -- home ---------------------------------------------------------------------------------
def home(state: UiState) -> ScreenView:
    items: list[Item] = [
        Text(greeting(state.now, state.name), 0.03, 0.08, "title", "fg", "left", max_w=0.94,
             lines=1)]
    rows_y = 0.345
    if state.notice:  # one or two lines, with a sign; it takes the date's place
        items += [Icon("warn", 0.06, 0.215, 0.08, "warn"),
                  Text(state.notice, 0.11, 0.28, "body", "warn", "left", max_w=0.86)]
        rows_y = 0.47
    else:
        items.append(Text(today_line(state.now), 0.03, 0.215, "body", "dim", "left",
                          max_w=0.94, lines=1))
    # with a notice and a reminder there is room for one of the day's lists: the reminder
    # says what is due
    rows = state.today[:2] if not (state.notice and state.reminder) else ()
    for k, (slot, at, done) in enumerate(rows):
        y = rows_y + 0.12 * k
        items += [Icon("done" if done else "todo", 0.06, y, 0.08, "good" if done else "fg"),
                  Text(f"{slot.capitalize()}, {at}", 0.11, y, "body", "fg", "left", max_w=0.56,
                       lines=1),
                  Text("done" if done else "next" if slot == state.next_slot else "to do", 0.97,
                       y, "body", "good" if done else "fg", "right", max_w=0.26, lines=1)]
    if state.reminder:
        items.append(Text(state.reminder, 0.5, 0.635, "body", "accent", max_w=0.96))
    items += [Box(0.0, 0.78, 1.0, 0.22, outline=theme.EDGE),
              Text("Step on the mat to start", 0.5, 0.89, "title", "accent", max_w=0.96,
                   lines=1)]
    return ScreenView("home", tuple(items), awake=bool(state.reminder))


# -- session steps ------------------------------------------------------------------------
def calibrate(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    standing = v.phase == "stand"
    items = [*_header("Weighing in", s),
             Icon("stand" if standing else "step_off", 0.17, 0.43, 0.50),
             Text("Stand still" if standing else "Step off", 0.65, 0.27, "big", "fg",
                  max_w=0.60, lines=1),
             Bar(0.36, 0.44, 0.58, 0.07, v.progress, theme.GOOD),
             Text(f"measuring {round(100 * v.progress)} %", 0.65, 0.60, "body", "dim",
                  max_w=0.60, lines=1),
             *_caption(s.caption)]
    return ScreenView("calibrate", tuple(items))


def stomp(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "stomp")
    items: list[Item] = [*_header(v.title, s)]
    for i, foot in enumerate(("left", "right")):
        x = 0.26 if i == 0 else 0.74
        active = foot == v.active_foot
        if active:
            items.append(Box(x - 0.23, 0.145, 0.46, 0.315, theme.PANEL, outline=theme.ACCENT))
        items += [Text(f"{foot.capitalize()} foot", x, 0.20, "body",
                       "accent" if active else "dim", max_w=0.42, lines=1),
                  Text(f"{v.counts[i]} of {v.goal}", x, 0.355, "big", "fg" if active else "dim",
                       max_w=0.34, lines=1)]
    # one bar per landing of the foot at work, against the target line; under each bar a
    # shape as well as a colour: a tick for a hit, a cross for a miss (whose bar is hollow)
    landings = [ln for ln in v.landings if ln[0] == v.active_foot][-8:]
    scale = v.target_bw * 1.5 or 1.0
    x0, w_all, y0, h = 0.04, 0.72, 0.475, 0.15
    slot = w_all / 8
    for k, (_, peak, hit) in enumerate(landings):
        x = x0 + k * slot + slot * 0.15
        items += [Bar(x, y0, slot * 0.7, h, min(1.0, peak / scale),
                      theme.GOOD if hit else theme.WARN, hollow=not hit, track=False),
                  Icon("tick" if hit else "cross", x + slot * 0.35, 0.67, 0.05,
                       "good" if hit else "warn")]
    target_y = y0 + h * (1 - v.target_bw / scale)
    items += [Bar(x0, target_y - 0.005, w_all, 0.01, 1.0, theme.TARGET, track=False),
              Text("target", x0 + w_all + 0.015, target_y, "small", "accent", "left",
                   max_w=0.22, lines=1)]
    return ScreenView("stomp", tuple(items + _caption(s.caption)))


#: The action a hold screen names in its headline, by phase.
HOLD_ACTIONS = {"ready": "Get ready", "hold": "Hold", "rest": "Relax"}


def hold(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, v.kind)
    items: list[Item] = [*_header(v.title, s)]
    if v.phase == "ask":  # "did that hurt?": the headline, answered with a foot
        items.append(Text("Did that hurt?", 0.5, 0.225, "title", "fg", max_w=0.94, lines=1))
        for x, foot, answer, color in ((0.03, "left", "Yes", "warn"),
                                       (0.53, "right", "No", "good")):
            items += [Text(f"{foot.capitalize()} foot", x + 0.22, 0.33, "body", "dim",
                           max_w=0.44, lines=1),
                      Icon(f"feet_{foot}", x + 0.10, 0.53, 0.21, color),
                      Text(answer, x + 0.20, 0.53, "title", color, "left", max_w=0.26,
                           lines=1)]
        return ScreenView(v.kind, tuple(items + _caption(s.caption)))
    items.append(_figure(state))
    action = HOLD_ACTIONS.get(v.phase, "")
    number = v.big or str(int(v.remaining_s + 0.999))
    frac = v.progress if v.phase == "hold" else 0.0
    items += [Text(action + (f", {v.side} side" if v.side else ""), 0.66, 0.215, "title",
                   "accent", max_w=0.64, lines=1),
              Ring(0.66, 0.50, 0.18, frac, theme.ACCENT),
              Text(number, 0.66, 0.50, "big", "fg", max_w=0.12, lines=1)]
    return ScreenView(v.kind, tuple(items + _caption(s.caption)))


def strength(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "strength")
    if v.test:
        return strength_test(state)
    load = f"{v.load_kg:g} kg" if v.load_kg else "No weight"
    items: list[Item] = [*_header(v.title, s), _figure(state),
                         Text(load, 0.36, 0.23, "title", "accent", "left", max_w=0.31, lines=1),
                         Text(f"Set {v.set_no} of {v.sets}", 0.97, 0.23, "title", "fg", "right",
                              max_w=0.30, lines=1)]
    if v.phase == "rest":
        items += [Text(clock(v.remaining_s), 0.66, 0.44, "big", "fg", max_w=0.50, lines=1),
                  Text("Rest", 0.66, 0.63, "body", "fg", max_w=0.5, lines=1)]
    else:
        counted = "counted by the mat" if v.counted_by == "mat" else "lifts"
        items += [Text(f"{v.rep} of {v.reps}", 0.66, 0.44, "big", "fg", max_w=0.50, lines=1),
                  Text(counted, 0.66, 0.63, "body", "dim", max_w=0.62, lines=1)]
    return ScreenView("strength", tuple(items + _caption(s.caption)))


def strength_test(state: UiState) -> ScreenView:
    """Finding the training load: pick the weight with the feet, then lift until no more."""
    s = _session(state)
    v = s.step
    assert v is not None
    items: list[Item] = [*_header(v.title, s), _figure(state)]
    if v.phase == "pick":
        items += [Text(f"{v.load_kg:g} kg", 0.66, 0.30, "big", "accent", max_w=0.50, lines=1),
                  Text("Left foot: lighter", 0.66, 0.515, "body", "fg", max_w=0.62, lines=1),
                  Text("Right foot: heavier", 0.66, 0.635, "body", "fg", max_w=0.62, lines=1)]
    else:
        items += [Text(f"{v.load_kg:g} kg", 0.36, 0.23, "title", "accent", "left", max_w=0.30,
                       lines=1),
                  Text("Test", 0.97, 0.23, "title", "fg", "right", max_w=0.26, lines=1),
                  Text(str(v.rep), 0.66, 0.44, "big", "fg", max_w=0.50, lines=1)]
        items += [Text("Left foot: one fewer", 0.66, 0.63, "body", "fg", max_w=0.62, lines=1),
                  Text("Right foot: one more", 0.66, 0.75, "body", "fg", max_w=0.62, lines=1)] \
            if v.phase == "count" else [Text("lifts so far", 0.66, 0.63, "body", "dim",
                                             max_w=0.6, lines=1)]
    return ScreenView("strength_test", tuple(items + _caption(s.caption)))


SURPRISE_ACTIONS = cues.SURPRISE_ACTIONS


def cardio(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "cardio")
    top = max(v.target_spm * 1.5, v.cadence_spm, 1.0)
    if v.prompt and s.caption == v.prompt:  # a surprise is on: it is the one instruction
        sign, word, color = "star", SURPRISE_ACTIONS.get(v.prompt, v.prompt), "accent"
    elif v.pace == "still":  # not marching (yet): the action, not "quicker"
        sign, word, color = "up", "March", "fg"
    elif v.pace == "quicker":
        sign, word, color = "up", "Quicker", "fg"
    elif v.pace == "slower":
        sign, word, color = "down", "Slower", "fg"
    else:
        sign, word, color = "tick", "On pace", "good"
    lo, hi = v.zone_spm
    items: list[Item] = [
        *_header(v.title, s), _figure(state),
        Icon(sign, 0.385, 0.225, 0.09, color),
        Text(word, 0.43, 0.225, "title", color, "left", max_w=0.55, lines=1),
        Text(str(round(v.cadence_spm)), 0.43, 0.41, "big", "fg", max_w=0.14, lines=1),
        Text("steps a minute", 0.53, 0.41, "body", "dim", "left", max_w=0.44, lines=2),
        Bar(0.36, 0.575, 0.33, 0.06, min(1.0, v.cadence_spm / top), theme.GOOD,
            zone=(lo / top, hi / top)),
        Text(f"{clock(v.remaining_s)} left", 0.97, 0.60, "body", "fg", "right", max_w=0.27,
             lines=1)]
    return ScreenView("cardio", tuple(items + _caption(s.caption)))


# -- between and after --------------------------------------------------------------------
def paused(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None
    if s.paused_reason == "mat" and s.problem:
        return problem(UiState(mode="problem", now=state.now,
                               problem=(s.problem, "Check the mat's cable. The session waits.")))
    items: list[Item] = [Icon("pause", 0.06, 0.075, 0.10, "accent"),
                         Text("Paused", 0.11, 0.075, "title", "accent", "left", max_w=0.8,
                              lines=1)]
    hold = f"{s.gesture_hold_s:g} seconds"
    for k, (sign, words) in enumerate((("feet_both", "Both feet: carry on"),
                                       ("feet_right", f"Right foot, {hold}: skip"),
                                       ("feet_left", f"Left foot, {hold}: stop"))):
        y = 0.255 + 0.16 * k
        items += [Icon(sign, 0.07, y, 0.14), Text(words, 0.14, y, "body", "fg", "left",
                                                 max_w=0.84, lines=1)]
    return ScreenView("paused", tuple(items + _caption(s.caption or "Everything is saved.")))


def summary(state: UiState) -> ScreenView:
    """Every planned exercise counts: a stopped session says how many of the plan it did."""
    s = state.session
    finished_steps = list(s.done if s else ())  # in plan order: steps finish one by one
    plan = list(s.planned if s else ()) or [(t, k) for t, k, _ in finished_steps]
    statuses = [d[2] for d in finished_steps] + [""] * (len(plan) - len(finished_steps))
    planned = [status for (_, kind), status in zip(plan, statuses, strict=False)
               if kind != "calibrate"]
    finished = planned.count("done")
    items: list[Item] = [Text("Well done!", 0.03, 0.075, "title", "accent", "left", max_w=0.45,
                              lines=1)]
    if planned:
        noun = "exercise" if len(planned) == 1 else "exercises"
        items.append(Text(f"You did {finished} of {len(planned)} {noun}", 0.03, 0.205, "body",
                          "fg", "left", max_w=0.94, lines=1))
    # one sign per planned exercise, in order: done, skipped or stopped, not reached
    step = min(0.09, 0.94 / max(1, len(planned)))
    for k, status in enumerate(planned):
        items.append(Icon("done" if status == "done" else "skipped" if status else "todo",
                          0.03 + step * (k + 0.5), 0.325, min(0.075, step * 1.4),
                          "good" if status == "done" else "dim"))
    if state.week:  # the chart's heading: the streak, or what the week is
        if state.demo:
            items.append(Text(DEMO_CHART, 0.03, 0.425, "body", "accent", "left", max_w=0.72,
                              lines=1))
        elif state.streak_days > 1:
            items += [Icon("star", 0.055, 0.425, 0.08, "good"),
                      Text(f"{state.streak_days} days in a row", 0.10, 0.425, "body", "good",
                           "left", max_w=0.65, lines=1)]
        else:
            items.append(Text("This week", 0.03, 0.425, "body", "dim", "left", max_w=0.72,
                              lines=1))
        most = max(2, *(d.sessions for d in state.week))
        x0, w_all, y0, h = 0.03, 0.72, 0.515, 0.10
        w = w_all / len(state.week)
        for k, d in enumerate(state.week):
            x = x0 + k * w
            items += [Bar(x + w * 0.275, y0, w * 0.45, h, d.sessions / most, theme.GOOD),
                      Text(d.label[:1], x + w / 2, 0.665, "small", "dim", max_w=w, lines=1)]
        goal_y = y0 + h * (1 - 2 / most)
        items += [Bar(x0, goal_y - 0.005, w_all, 0.01, 1.0, theme.TARGET, track=False),
                  Text("2 a day", x0 + w_all + 0.015, goal_y, "small", "accent", "left",
                       max_w=0.23, lines=1)]
    return ScreenView("summary", tuple(items + _caption(s.caption if s else "")))


def who_is_it(v: WhoView) -> ScreenView:
    """Who is on the mat: the name offered now, large, and what each foot does, each on its
    own side as on the pain question; the caption says the line just spoken."""
    items: list[Item] = [Text(v.headline, 0.03, 0.075, "title", "accent", "left", max_w=0.74,
                              lines=1)]
    items.append(Text(v.name, 0.5, 0.20, "title", "fg", max_w=0.94, lines=1))
    for x, foot, answer, color in ((0.03, "left", WHO_NEXT, "fg"),
                                   (0.53, "right", WHO_ME, "good")):
        items += [Text(f"{foot.capitalize()} foot", x + 0.22, 0.345, "body", "dim",
                       max_w=0.44, lines=1),
                  Icon(f"feet_{foot}", x + 0.10, 0.55, 0.21, color),
                  Text(answer, x + 0.20, 0.55, "title", color, "left", max_w=0.27, lines=1)]
    return ScreenView("who", tuple(items + _caption(v.caption)))


#: What each foot does on the who screen (the voice says ``cues.WHO_HOW``).
WHO_NEXT, WHO_ME = "Next", "Me"


def problem(state: UiState) -> ScreenView:
    what, todo = state.problem
    items = (Icon("warn", 0.06, 0.075, 0.10, "warn"),
             Text("Something needs a hand", 0.11, 0.075, "title", "warn", "left", max_w=0.86,
                  lines=1),
             Text(what, 0.5, 0.30, "title", "fg", max_w=0.96),
             Box(0.0, 0.47, 1.0, 0.53, outline=theme.EDGE),
             Text("What to do", 0.03, 0.535, "body", "dim", "left", max_w=0.9, lines=1),
             Text(todo, 0.5, 0.785, "body", "fg", max_w=0.96, lines=3))
    return ScreenView("problem", items)


def asleep() -> ScreenView:
    """Idle for a while on the home screen: nothing lit, and the display may sleep.

    Under kmsdrm SDL cannot blank the screen (and the Pi's console blanking is off), so the
    kiosk goes dark itself: an all-black frame. Anything wakes it (see ``App``).
    """
    return ScreenView("asleep", (), awake=False)


def balance(state: UiState) -> ScreenView:
    """A balance hold: on the left which feet to stand on and the best so far; on the right
    what to do now and a large timer of the hold (for one leg, the mat's own clock). Laid out
    like the hold screen, every word at body size or larger."""
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "balance")
    one_leg = v.exercise_id in ONE_LEG
    other = "left" if v.side == "right" else "right"
    where = f"{v.side.capitalize()} heel in front" if v.side else "Feet together"
    if v.phase in ("stance", "timed") and one_leg:
        headline, number, frac = f"On your {v.side} foot", v.big, v.progress
    elif v.phase in ("hold", "timed"):
        headline, number, frac = where, v.big, v.progress
    elif v.phase == "steady":
        headline, number, frac = "Stand still", "", v.progress
    elif v.phase == "rest":
        headline, number, frac = "Rest", str(int(v.remaining_s + 0.999)), 0.0
    else:
        headline, number, frac = (f"Lift your {other} foot" if one_leg else where), "", 0.0
    foot = {"left": "feet_left", "right": "feet_right"}.get(v.side, "feet_both")
    stands_on = foot if one_leg and v.phase != "steady" else "feet_both"
    if v.counted_by == "timer":
        note = "no mat here"
    elif one_leg:
        note = f"Best: {round(v.best_s[0 if v.side == 'left' else 1]):g} s"
    else:
        note = f"Hold {min(v.rep + 1, v.reps)} of {v.reps}"
    items: list[Item] = [
        *_header(v.title, s), Icon(stands_on, 0.19, 0.36, 0.34),
        Text(note, 0.19, 0.625, "body", "dim", max_w=0.36, lines=1),
        Text(headline, 0.66, 0.215, "body", "accent", max_w=0.62, lines=1),
        Ring(0.66, 0.50, 0.18, frac, theme.ACCENT)]
    if number:  # an empty ring while standing still or getting ready: no count has begun
        items.append(Text(number, 0.66, 0.50, "big", "fg", max_w=0.12, lines=1))
    return ScreenView("balance", tuple(items + _caption(s.caption)))


def chair_test(state: UiState) -> ScreenView:
    """The 30-second chair stand test: the stands counted by the mat, the seconds left."""
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "chair_test")
    items: list[Item] = [*_header(v.title, s), Icon("sit_to_stand", 0.19, 0.36, 0.34)]
    if v.phase == "offer":
        items += [Text("Once a month", 0.66, 0.215, "title", "accent", max_w=0.62, lines=1),
                  Icon("feet_right", 0.55, 0.47, 0.18),
                  Text("skip", 0.64, 0.47, "body", "fg", "left", max_w=0.30, lines=1)]
    elif v.phase == "count":
        items += [Text("Stands so far", 0.66, 0.215, "body", "accent", max_w=0.62, lines=1),
                  Ring(0.66, 0.50, 0.18, 1.0 - v.progress, theme.ACCENT),
                  Text(v.big, 0.66, 0.50, "big", "fg", max_w=0.12, lines=1),
                  Text(f"{int(v.timer_s + 0.999)} s left", 0.19, 0.625, "body", "dim",
                       max_w=0.36, lines=1)]
    else:
        items += [Text("Arms crossed", 0.66, 0.215, "body", "accent", max_w=0.62, lines=1),
                  Text(v.big or "Sit down", 0.66, 0.47, "big" if v.big else "title", "fg",
                       max_w=0.52, lines=1)]
    return ScreenView("chair_test", tuple(items + _caption(s.caption)))


def stop_rules(state: UiState) -> ScreenView:
    """When to stop: every rule on screen while the voice says them one by one."""
    s = _session(state)
    assert s.step is not None
    items: list[Item] = [*_header(s.step.title, s)]
    for k, rule in enumerate(cues.stop_rules()[1:]):
        items.append(Text(rule, 0.03, 0.25 + 0.105 * k, "body", "fg", "left", max_w=0.94,
                          lines=1))
    return ScreenView("stop_rules", tuple(items + _caption(s.caption)))


SESSION_SCREENS = {"calibrate": calibrate, "stomp": stomp, "stretch": hold, "extensor": hold,
                   "strength": strength, "cardio": cardio, "balance": balance,
                   "chair_test": chair_test, "stop_rules": stop_rules}
