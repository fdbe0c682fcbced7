"""Screens as data: ``build(state)`` turns the app's state into items placed in fractions of the
screen. Pure (no pygame), so every screen can be built and checked in tests at any size; the
painter (``paint.py``) is the only code that draws.

One instruction at a time: each session screen shows what the exercise is (title and
pictogram), one big figure (count, countdown, cadence) and one line at the bottom — the very
words the voice just spoke. Meaning never rides on colour alone: a word or a shape says it too.

Session screens share one grid (fractions of the screen height): header 0–0.16, body
0.16–0.78, caption panel 0.80–1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kiosk.coach.engine import Phase, SessionView
from kiosk.ui import theme
from kiosk.ui.pictograms import figure_for

LIST_ROWS = 6  # exercises listed on the summary before "and N more"


@dataclass(frozen=True, slots=True)
class Text:
    """Words, fitted by the painter: wrapped onto ``lines`` and shrunk, never below 6 %."""

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
    """A pictogram or sign from ``pictograms.FIGURES``, ``size`` a fraction of the height."""

    name: str
    cx: float
    cy: float
    size: float
    color: str = "fg"


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
    reminder: str = ""
    problem: tuple[str, str] = ("", "")  # (what is wrong, what to do)
    week: tuple[DaySummary, ...] = ()
    streak_days: int = 0
    notice: str = ""  # a one-line note (voice unavailable, log repaired)


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
    """"Good morning, Margaret!": the first name only, as a person greets, and it fits."""
    part = "morning" if now.hour < 12 else "afternoon" if now.hour < 18 else "evening"
    first = name.split()[0] if name.strip() else ""
    return f"Good {part}, {first}!" if first else f"Good {part}!"


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
    return [Box(0.0, 0.80, 1.0, 0.20), Text(text, 0.5, 0.90, "body", "fg", max_w=0.94)]


def _header(title: str, s: SessionView | None = None) -> list[Item]:
    items: list[Item] = [Text(title, 0.04, 0.08, "title", "accent", "left", max_w=0.72, lines=1)]
    if s is not None and s.total > 1:
        items.append(Text(f"{s.index + 1} of {s.total}", 0.96, 0.08, "small", "dim", "right",
                          max_w=0.20, lines=1))
    return items


def _figure(s: SessionView, cx: float = 0.22, cy: float = 0.47, size: float = 0.52) -> Icon:
    v = s.step
    assert v is not None
    return Icon(figure_for(v.exercise_id, v.kind), cx, cy, size)


def _session(state: UiState) -> SessionView:
    s = state.session
    assert s is not None and s.step is not None
    return s


def _instruct(state: UiState, name: str) -> ScreenView:
    """Before a step begins, the instructions are read out: the figure and the words."""
    s = _session(state)
    assert s.step is not None
    items = [*_header(s.step.title, s), _figure(s, 0.5, 0.47, 0.56), *_caption(s.caption)]
    return ScreenView(name, tuple(items))


# -- home ---------------------------------------------------------------------------------
def home(state: UiState) -> ScreenView:
    items: list[Item] = [
        Text(greeting(state.now, state.name), 0.04, 0.09, "title", "fg", "left", max_w=0.68,
             lines=1),
        Text(state.now.strftime("%H:%M"), 0.96, 0.09, "title", "fg", "right", max_w=0.24,
             lines=1)]
    if state.notice:  # for the helper: small, in the corner, with a sign
        items += [Icon("warn", 0.075, 0.215, 0.07, "warn"),
                  Text(state.notice, 0.125, 0.215, "small", "warn", "left", max_w=0.83, lines=1)]
    else:
        items.append(Text(f"{state.now:%A} {state.now.day} {state.now:%B}", 0.04, 0.215,
                          "small", "dim", "left", max_w=0.9, lines=1))
    for k, (slot, at, done) in enumerate(state.today[:2]):
        y = 0.36 + 0.11 * k
        items += [Icon("done" if done else "todo", 0.08, y, 0.075, "good" if done else "fg"),
                  Text(f"{slot.capitalize()}, {at}", 0.14, y, "body", "fg", "left", max_w=0.5,
                       lines=1),
                  Text("done" if done else "to do", 0.92, y, "body", "good" if done else "fg",
                       "right", max_w=0.26, lines=1)]
    if state.reminder:
        items.append(Text(state.reminder, 0.5, 0.64, "body", "accent"))
    items += [Box(0.0, 0.79, 1.0, 0.21),
              Text("Step on the mat to start", 0.5, 0.895, "title", "accent", lines=1)]
    return ScreenView("home", tuple(items), awake=bool(state.reminder))


# -- session steps ------------------------------------------------------------------------
def calibrate(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    standing = v.phase == "stand"
    items = [*_header("Weighing in", s),
             Icon("stand" if standing else "step_off", 0.22, 0.47, 0.52),
             Text("Stand still" if standing else "Step off", 0.68, 0.36, "big", "fg",
                  max_w=0.52, lines=1),
             Bar(0.44, 0.58, 0.48, 0.07, v.progress, theme.GOOD),
             Text(f"measuring {round(100 * v.progress)} %", 0.68, 0.71, "small", "dim",
                  max_w=0.5, lines=1),
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
            items.append(Box(x - 0.22, 0.165, 0.44, 0.34, theme.PANEL, outline=theme.ACCENT))
        items += [Text(f"{foot.capitalize()} foot{': now' if active else ''}", x, 0.225, "body",
                       "accent" if active else "dim", max_w=0.40, lines=1),
                  Text(f"{v.counts[i]} of {v.goal}", x, 0.39, "big", "fg" if active else "dim",
                       max_w=0.38, lines=1)]
    # one bar per landing of the foot at work, against the target line; under each bar a
    # shape as well as a colour: a tick for a hit, a cross for a miss (whose bar is hollow)
    landings = [ln for ln in v.landings if ln[0] == v.active_foot][-8:]
    scale = v.target_bw * 1.5 or 1.0
    x0, w_all, y0, h = 0.06, 0.70, 0.53, 0.19
    slot = w_all / 8
    for k, (_, peak, hit) in enumerate(landings):
        x = x0 + k * slot + slot * 0.15
        items += [Bar(x, y0, slot * 0.7, h, min(1.0, peak / scale),
                      theme.GOOD if hit else theme.WARN, hollow=not hit, track=False),
                  Icon("tick" if hit else "cross", x + slot * 0.35, 0.765, 0.05,
                       "good" if hit else "warn")]
    target_y = y0 + h * (1 - v.target_bw / scale)
    items += [Bar(x0, target_y - 0.004, w_all, 0.008, 1.0, theme.TARGET, track=False),
              Text("target", x0 + w_all + 0.02, target_y, "small", "accent", "left",
                   max_w=0.18, lines=1)]
    return ScreenView("stomp", tuple(items + _caption(s.caption)))


def hold(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, v.kind)
    title = v.title + (f", {v.side} side" if v.side else "")
    items: list[Item] = [*_header(title, s)]
    if v.phase == "ask":  # "did that hurt?": answered with a foot, the question is the caption
        for x, foot, answer, color in ((0.26, "left", "Yes, it hurt", "warn"),
                                       (0.74, "right", "No", "good")):
            items += [Text(f"{foot.capitalize()} foot", x, 0.23, "body", "dim", max_w=0.40,
                           lines=1),
                      Icon(f"feet_{foot}", x, 0.44, 0.24, color),
                      Text(answer, x, 0.68, "title", color, max_w=0.44, lines=1)]
        return ScreenView(v.kind, tuple(items + _caption(s.caption)))
    items.append(_figure(s))
    number = v.big or str(int(v.remaining_s + 0.999))
    frac = v.progress if v.phase == "hold" else 0.0
    items += [Ring(0.68, 0.45, 0.25, frac, theme.ACCENT),
              Text(number, 0.68, 0.45, "big", "fg", max_w=0.22, lines=1),
              Text({"hold": "seconds to hold", "ready": "get ready", "rest": "rest"}.get(
                  v.phase, ""), 0.68, 0.745, "small", "dim", max_w=0.5, lines=1)]
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
    items: list[Item] = [*_header(v.title, s), _figure(s),
                         Text(load, 0.46, 0.24, "title", "accent", "left", max_w=0.24, lines=1),
                         Text(f"Set {v.set_no} of {v.sets}", 0.96, 0.24, "title", "fg", "right",
                              max_w=0.26, lines=1)]
    if v.phase == "rest":
        items += [Text(clock(v.remaining_s), 0.71, 0.48, "big", "fg", max_w=0.48, lines=1),
                  Text("rest", 0.71, 0.70, "small", "dim", max_w=0.4, lines=1)]
    else:
        counted = "stands, counted by the mat" if v.counted_by == "mat" else "lifts"
        items += [Text(f"{v.rep} of {v.reps}", 0.71, 0.48, "big", "fg", max_w=0.48, lines=1),
                  Text(counted, 0.71, 0.70, "small", "dim", max_w=0.5, lines=1)]
    return ScreenView("strength", tuple(items + _caption(s.caption)))


def strength_test(state: UiState) -> ScreenView:
    """Finding the training load: pick the weight with the feet, then lift until no more."""
    s = _session(state)
    v = s.step
    assert v is not None
    items: list[Item] = [*_header(v.title, s), _figure(s)]
    if v.phase == "pick":
        items += [Text(f"{v.load_kg:g} kg", 0.71, 0.34, "big", "accent", max_w=0.48, lines=1),
                  Text("Left foot: lighter", 0.71, 0.58, "small", "fg", max_w=0.5, lines=1),
                  Text("Right foot: heavier", 0.71, 0.69, "small", "fg", max_w=0.5, lines=1)]
    else:
        items += [Text(f"{v.load_kg:g} kg", 0.46, 0.24, "title", "accent", "left", max_w=0.24,
                       lines=1),
                  Text("Test", 0.96, 0.24, "title", "fg", "right", max_w=0.26, lines=1),
                  Text(str(v.rep), 0.71, 0.48, "big", "fg", max_w=0.48, lines=1),
                  Text("lifts so far", 0.71, 0.70, "small", "dim", max_w=0.4, lines=1)]
    return ScreenView("strength_test", tuple(items + _caption(s.caption)))


def cardio(state: UiState) -> ScreenView:
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "cardio")
    top = max(v.target_spm * 1.5, v.cadence_spm, 1.0)
    if v.prompt and s.caption == v.prompt:  # a surprise is on: it is the one instruction
        sign, word, color = "star", "Surprise!", "accent"
    elif v.pace == "quicker":
        sign, word, color = "up", "Quicker", "fg"
    elif v.pace == "slower":
        sign, word, color = "down", "Slower", "fg"
    else:
        sign, word, color = "tick", "On pace", "good"
    lo, hi = v.zone_spm
    items: list[Item] = [
        *_header(v.title, s), _figure(s, 0.17, 0.45, 0.50),
        Text(str(round(v.cadence_spm)), 0.50, 0.38, "big", "fg", max_w=0.28, lines=1),
        Text("steps a minute", 0.50, 0.57, "small", "dim", max_w=0.30, lines=1),
        Icon(sign, 0.68, 0.30, 0.10, color),
        Text(word, 0.73, 0.30, "title", color, "left", max_w=0.24, lines=1),
        Text(f"{clock(v.remaining_s)} left", 0.96, 0.47, "body", "fg", "right", max_w=0.30,
             lines=1),
        Bar(0.36, 0.665, 0.60, 0.06, min(1.0, v.cadence_spm / top), theme.GOOD,
            zone=(lo / top, hi / top))]
    return ScreenView("cardio", tuple(items + _caption(s.caption)))


# -- between and after --------------------------------------------------------------------
def paused(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None
    if s.paused_reason == "mat" and s.problem:
        return problem(UiState(mode="problem", now=state.now,
                               problem=(s.problem, "Check the mat's cable. The session waits.")))
    items: list[Item] = [Icon("pause", 0.08, 0.11, 0.12, "accent"),
                         Text("Paused", 0.15, 0.11, "title", "accent", "left", max_w=0.8,
                              lines=1)]
    hold = f"{s.gesture_hold_s:g} seconds"
    for k, (sign, words) in enumerate((("feet_both", "Both feet on the mat: carry on"),
                                       ("feet_right", f"Right foot only, {hold}: skip this one"),
                                       ("feet_left", f"Left foot only, {hold}: stop for today"))):
        y = 0.33 + 0.155 * k
        items += [Icon(sign, 0.09, y, 0.14), Text(words, 0.17, y, "body", "fg", "left",
                                                 max_w=0.80, lines=1)]
    return ScreenView("paused", tuple(items + _caption(s.caption or "Everything is saved.")))


def summary(state: UiState) -> ScreenView:
    s = state.session
    done = [d for d in (s.done if s else ()) if d[1] != "calibrate"]
    finished = sum(1 for d in done if d[2] == "done")
    items: list[Item] = [Text("Well done!", 0.04, 0.08, "title", "accent", "left", max_w=0.5,
                              lines=1)]
    if state.streak_days > 1:
        items += [Icon("star", 0.54, 0.08, 0.08, "good"),
                  Text(f"{state.streak_days} days in a row", 0.96, 0.08, "body", "good",
                       "right", max_w=0.38, lines=1)]
    if done:
        noun = "exercise" if len(done) == 1 else "exercises"
        items.append(Text(f"You did {finished} of {len(done)} {noun}", 0.04, 0.2, "body", "fg",
                          "left", max_w=0.92, lines=1))
    shown = done if len(done) <= LIST_ROWS else done[: LIST_ROWS - 1]
    for k, (title, _, status) in enumerate(shown):
        x, y = 0.04 + 0.48 * (k // 3), 0.30 + 0.08 * (k % 3)
        items += [Icon("done" if status == "done" else "skipped", x + 0.025, y, 0.055,
                       "good" if status == "done" else "dim"),
                  Text(title, x + 0.06, y, "small", "fg" if status == "done" else "dim", "left",
                       max_w=0.38, lines=1)]
    if len(done) > len(shown):
        items.append(Text(f"and {len(done) - len(shown)} more", 0.58, 0.46, "small", "dim",
                          "left", max_w=0.38, lines=1))
    if state.week:
        most = max(2, *(d.sessions for d in state.week))
        x0, w_all = 0.06, 0.74
        w = w_all / len(state.week)
        for k, d in enumerate(state.week):
            x = x0 + k * w
            items += [Bar(x + w * 0.2, 0.53, w * 0.6, 0.14, d.sessions / most, theme.GOOD),
                      Text(d.label, x + w / 2, 0.735, "small", "dim", max_w=w, lines=1)]
        goal_y = 0.53 + 0.14 * (1 - 2 / most)
        items += [Bar(x0, goal_y - 0.004, w_all, 0.008, 1.0, theme.TARGET, track=False),
                  Text("2 a day", x0 + w_all + 0.02, goal_y, "small", "accent", "left",
                       max_w=0.18, lines=1)]
    return ScreenView("summary", tuple(items + _caption(s.caption if s else "")))


def problem(state: UiState) -> ScreenView:
    what, todo = state.problem
    items = (Icon("warn", 0.08, 0.12, 0.13, "warn"),
             Text("Something needs a hand", 0.15, 0.12, "title", "warn", "left", max_w=0.81,
                  lines=1),
             Text(what, 0.5, 0.38, "title", "fg"),
             Box(0.0, 0.58, 1.0, 0.42),
             Text("What to do", 0.04, 0.655, "small", "dim", "left", max_w=0.9, lines=1),
             Text(todo, 0.5, 0.835, "body", "fg", max_w=0.94))
    return ScreenView("problem", items)


def asleep() -> ScreenView:
    """Idle for a while on the home screen: nothing lit, and the display may sleep.

    Under kmsdrm SDL cannot blank the screen (and the Pi's console blanking is off), so the
    kiosk goes dark itself: an all-black frame. Anything wakes it (see ``App``).
    """
    return ScreenView("asleep", (), awake=False)


def balance(state: UiState) -> ScreenView:
    """One-leg stance: which foot to stand on, a large timer of the stance (the mat's own
    clock), and the best so far per side."""
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "balance")
    side = f", {v.side} foot" if v.side and v.phase != "steady" else ""
    items: list[Item] = [*_header(v.title + side, s)]
    foot = {"left": "feet_left", "right": "feet_right"}.get(v.side, "feet_both")
    items.append(Icon("feet_both" if v.phase == "steady" else foot, 0.22, 0.41, 0.38))
    if v.phase in ("stance", "timed"):
        number, label, frac = v.big, f"seconds on your {v.side} foot", v.progress
    elif v.phase == "steady":
        number, label, frac = "", "stand still on both feet", v.progress
    elif v.phase == "rest":
        number, label, frac = str(int(v.remaining_s + 0.999)), "rest", 0.0
    else:
        number, label, frac = "", f"lift your {'left' if v.side == 'right' else 'right'} foot", 0.0
    items += [Ring(0.66, 0.43, 0.24, frac, theme.ACCENT),
              Text(number or "0", 0.66, 0.43, "big", "fg", max_w=0.22, lines=1),
              Text(label, 0.66, 0.70, "small", "dim", max_w=0.56, lines=1)]
    best = [f"best left: {round(v.best_s[0], 1):g} s", f"best right: {round(v.best_s[1], 1):g} s"]
    if v.counted_by == "timer":
        best = ["timed by the clock:", "no mat here"]
    items += [Text(line, 0.21, y, "small", "dim", max_w=0.40, lines=1)
              for line, y in zip(best, (0.665, 0.74), strict=True)]
    return ScreenView("balance", tuple(items + _caption(s.caption)))


def chair_test(state: UiState) -> ScreenView:
    """The 30-second chair stand test: the stands counted by the mat, the seconds left."""
    s = _session(state)
    v = s.step
    assert v is not None
    if v.phase == "instruct":
        return _instruct(state, "chair_test")
    items: list[Item] = [*_header(v.title, s), Icon("sit_to_stand", 0.22, 0.47, 0.52)]
    if v.phase == "offer":
        items += [Text("Once a month", 0.68, 0.34, "title", "accent", max_w=0.52, lines=1),
                  Icon("feet_right", 0.60, 0.58, 0.16),
                  Text("skip", 0.78, 0.58, "body", "fg", max_w=0.2, lines=1)]
    elif v.phase == "count":
        items += [Ring(0.68, 0.43, 0.24, 1.0 - v.progress, theme.ACCENT),
                  Text(v.big, 0.68, 0.43, "big", "fg", max_w=0.22, lines=1),
                  Text(f"stands, {int(v.timer_s + 0.999)} s left", 0.68, 0.70, "small", "dim",
                       max_w=0.52, lines=1)]
    else:
        items += [Text(v.big or "Sit down", 0.68, 0.45, "big" if v.big else "title", "fg",
                       max_w=0.52, lines=1),
                  Text("arms crossed, feet on the mat", 0.68, 0.70, "small", "dim", max_w=0.56,
                       lines=1)]
    return ScreenView("chair_test", tuple(items + _caption(s.caption)))


SESSION_SCREENS = {"calibrate": calibrate, "stomp": stomp, "stretch": hold, "extensor": hold,
                   "strength": strength, "cardio": cardio, "balance": balance,
                   "chair_test": chair_test}
