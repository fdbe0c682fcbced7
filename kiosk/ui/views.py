"""Screens as data: ``build(state)`` turns the app's state into items placed in fractions of the
screen. Pure (no pygame), so every screen can be built and checked in tests at any size; the
painter (``paint.py``) is the only code that draws.

One instruction at a time: each session screen shows what the exercise is, one big figure
(count, countdown, cadence) and one line — the same words the voice just spoke.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.coach.engine import Phase, SessionView
from kiosk.ui import theme


@dataclass(frozen=True, slots=True)
class Text:
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
    x: float
    y: float
    w: float
    h: float
    fraction: float
    color: theme.Color = theme.GOOD
    marker: float | None = None  # a target line, as a fraction of the bar


@dataclass(frozen=True, slots=True)
class Ring:
    cx: float
    cy: float
    r: float  # fraction of the screen height
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


Item = Text | Bar | Ring | Box


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

    mode: str  # home | session | summary | problem
    now: datetime
    name: str = ""
    session: SessionView | None = None
    today: tuple[tuple[str, str, bool], ...] = ()  # (slot, "HH:MM", done)
    reminder: str = ""
    problem: tuple[str, str] = ("", "")  # (what is wrong, what to do)
    mat_bw: tuple[float, float] = (0.0, 0.0)
    week: tuple[DaySummary, ...] = ()
    streak_days: int = 0
    notice: str = ""  # a one-line note (voice unavailable, log repaired)
    extra: dict = field(default_factory=dict)


def greeting(now: datetime, name: str) -> str:
    part = "morning" if now.hour < 12 else "afternoon" if now.hour < 18 else "evening"
    return f"Good {part}, {name}!" if name else f"Good {part}!"


def build(state: UiState) -> ScreenView:
    """The screen for this state."""
    if state.mode == "problem":
        return problem(state)
    if state.mode == "home":
        return home(state)
    s = state.session
    if s is None or s.phase is Phase.FINISHED or state.mode == "summary":
        return summary(state)
    if s.phase is Phase.PAUSED:
        return paused(state)
    step = s.step
    if step is None:
        return home(state)
    return SESSION_SCREENS.get(step.kind, hold)(state)


def _caption(text: str) -> list[Item]:
    return [Box(0.0, 0.80, 1.0, 0.20), Text(text, 0.5, 0.90, "body", "fg", max_w=0.94)]


def _header(title: str, progress: str = "") -> list[Item]:
    items: list[Item] = [Text(title, 0.04, 0.08, "title", "accent", "left", max_w=0.70, lines=1)]
    if progress:
        items.append(Text(progress, 0.96, 0.08, "small", "dim", "right", max_w=0.24, lines=1))
    return items


def _progress(s: SessionView) -> str:
    return f"{s.index + 1} of {s.total}"


def home(state: UiState) -> ScreenView:
    items: list[Item] = [
        Text(state.now.strftime("%H:%M"), 0.04, 0.08, "title", "dim", "left", max_w=0.4, lines=1),
        Text(greeting(state.now, state.name), 0.5, 0.25, "title", "fg"),
    ]
    y = 0.40
    for slot, at, done in state.today:
        word = "done" if done else "to do"
        items.append(Text(f"{slot.capitalize()} {at}: {word}", 0.5, y, "body",
                          "good" if done else "fg", lines=1))
        y += 0.10
    if state.reminder:
        items.append(Text(state.reminder, 0.5, y + 0.02, "body", "accent"))
    items += [Box(0.0, 0.78, 1.0, 0.22),
              Text("Step on the mat to start", 0.5, 0.89, "title", "accent", lines=1)]
    if state.notice:
        items.insert(1, Text(state.notice, 0.96, 0.08, "small", "warn", "right", max_w=0.5,
                             lines=1))
    return ScreenView("home", tuple(items), awake=bool(state.reminder))


def calibrate(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None and s.step is not None
    items = [*_header("Weighing in", _progress(s)),
             Text("Stand still" if s.step.phase == "stand" else "Mat empty", 0.5, 0.36, "big",
                  "fg", lines=1),
             Bar(0.15, 0.58, 0.70, 0.08, s.step.progress, theme.GOOD),
             *_caption(s.caption)]
    return ScreenView("calibrate", tuple(items))


def stomp(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None and s.step is not None
    v = s.step
    items: list[Item] = [*_header("Stomps", _progress(s))]
    for i, foot in enumerate(("left", "right")):
        x = 0.27 if i == 0 else 0.73
        active = foot == v.active_foot
        if active:
            items.append(Box(x - 0.21, 0.17, 0.42, 0.40, theme.PANEL, outline=theme.ACCENT))
        items.append(Text(f"{foot.upper()}{' - now' if active else ''}", x, 0.23, "body",
                          "accent" if active else "dim", max_w=0.40, lines=1))
        items.append(Text(f"{v.counts[i]} of {v.goal}", x, 0.40, "big",
                          "fg" if active else "dim", max_w=0.40, lines=1))
    # one bar per landing of this set, against the target line
    landings = v.landings[-12:]
    scale = max(v.target_bw * 1.6, max((p for _, p, _ in landings), default=0.0))
    w = 0.84 / max(12, len(landings))
    for k, (_, peak, hit) in enumerate(landings):
        items.append(Bar(0.08 + k * w, 0.60, w * 0.8, 0.18, min(1.0, peak / scale),
                         theme.GOOD if hit else theme.WARN, marker=v.target_bw / scale))
    return ScreenView("stomp", tuple(items + _caption(s.caption)))


def hold(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None and s.step is not None
    v = s.step
    title = v.title + (f" - {v.side} side" if v.side else "")
    items: list[Item] = [*_header(title, _progress(s))]
    if v.phase in ("hold", "ready", "rest"):
        frac = v.progress if v.phase == "hold" else 0.0
        items.append(Ring(0.5, 0.45, 0.28, frac, theme.ACCENT if v.phase == "hold" else
                          theme.TRACK))
        items.append(Text(v.big or "", 0.5, 0.45, "big", "fg", max_w=0.3, lines=1))
        label = {"hold": "hold", "ready": "get ready", "rest": "rest"}[v.phase]
        items.append(Text(label, 0.5, 0.66, "small", "dim", max_w=0.4, lines=1))
    elif v.phase == "ask":
        items += [Text("LEFT foot: yes", 0.27, 0.45, "title", "warn", max_w=0.44, lines=1),
                  Text("RIGHT foot: no", 0.73, 0.45, "title", "good", max_w=0.44, lines=1)]
    if v.kind == "stretch" and v.phase in ("hold", "ready"):
        items.append(Text("Stretch, never pain", 0.96, 0.72, "small", "dim", "right",
                          max_w=0.4, lines=1))
    return ScreenView(v.kind, tuple(items + _caption(s.caption)))


def strength(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None and s.step is not None
    v = s.step
    load = f"{v.load_kg:g} kg" if v.load_kg else "no weight"
    items: list[Item] = [*_header(v.title, _progress(s)),
                         Text(load, 0.04, 0.22, "title", "accent", "left", max_w=0.45, lines=1),
                         Text(f"Set {v.set_no} of {v.sets}", 0.96, 0.22, "title", "fg", "right",
                              max_w=0.45, lines=1)]
    if v.phase == "rest":
        items += [Text(v.big, 0.5, 0.48, "big", "fg", max_w=0.5, lines=1),
                  Text("rest", 0.5, 0.68, "small", "dim", max_w=0.4, lines=1)]
    else:
        items += [Text(f"{v.rep} of {v.reps}", 0.5, 0.48, "big", "fg", max_w=0.8, lines=1),
                  Text("lifts", 0.5, 0.68, "small", "dim", max_w=0.4, lines=1)]
    return ScreenView("strength", tuple(items + _caption(s.caption)))


def cardio(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None and s.step is not None
    v = s.step
    mins, secs = divmod(int(v.remaining_s + 0.999), 60)
    top = max(v.target_spm * 1.5, v.cadence_spm, 1.0)
    zone = "on pace" if abs(v.cadence_spm - v.target_spm) <= 10 else (
        "quicker" if v.cadence_spm < v.target_spm else "slower")
    items: list[Item] = [*_header("Marching", _progress(s)),
                         Text(f"{mins}:{secs:02d} left", 0.96, 0.22, "body", "dim", "right",
                              max_w=0.4, lines=1),
                         Text(str(round(v.cadence_spm)), 0.32, 0.42, "big", "fg", max_w=0.4,
                              lines=1),
                         Text(f"steps a minute: {zone}", 0.70, 0.42, "body", "fg", max_w=0.52),
                         Bar(0.08, 0.62, 0.84, 0.07, min(1.0, v.cadence_spm / top),
                             theme.GOOD, marker=v.target_spm / top)]
    return ScreenView("cardio", tuple(items + _caption(s.caption)))


def paused(state: UiState) -> ScreenView:
    s = state.session
    assert s is not None
    if s.paused_reason == "mat" and s.problem:
        return problem(UiState(mode="problem", now=state.now,
                               problem=(s.problem, "Check the mat's cable. The session waits.")))
    items = (Text("Paused", 0.5, 0.22, "huge", "accent", lines=1),
             Text("Both feet on the mat: carry on", 0.5, 0.52, "body", "fg", lines=1),
             Text("Right foot only: skip this one", 0.5, 0.63, "body", "fg", lines=1),
             Text("Stay off: finish for today", 0.5, 0.74, "body", "fg", lines=1),
             Box(0.0, 0.84, 1.0, 0.16),
             Text("Everything you did is saved", 0.5, 0.92, "small", "dim", lines=1))
    return ScreenView("paused", items)


def summary(state: UiState) -> ScreenView:
    s = state.session
    done = [d for d in (s.done if s else ()) if d[1] != "calibrate"]
    finished = sum(1 for d in done if d[2] == "done")
    items: list[Item] = [Text("Well done!", 0.5, 0.12, "title", "accent", lines=1),
                         Text(f"{finished} of {len(done)} exercises done", 0.5, 0.26, "body",
                              "fg", lines=1)]
    if state.streak_days:
        items.append(Text(f"{state.streak_days} days in a row", 0.5, 0.37, "body", "good",
                          lines=1))
    if state.week:
        most = max(2, *(d.sessions for d in state.week))
        w = 0.84 / len(state.week)
        for k, d in enumerate(state.week):
            x = 0.08 + k * w
            items.append(Bar(x + w * 0.15, 0.47, w * 0.7, 0.25, d.sessions / most, theme.GOOD,
                             marker=2 / most))
            items.append(Text(d.label, x + w / 2, 0.78, "small", "dim", max_w=w, lines=1))
    items.append(Text("Step off the mat to finish", 0.5, 0.91, "body", "fg", lines=1))
    return ScreenView("summary", tuple(items))


def problem(state: UiState) -> ScreenView:
    what, todo = state.problem
    items = (Text("Something needs a hand", 0.5, 0.14, "title", "warn", lines=1),
             Text(what, 0.5, 0.40, "title", "fg"),
             Box(0.0, 0.64, 1.0, 0.36),
             Text(todo, 0.5, 0.80, "body", "fg"))
    return ScreenView("problem", items)


SESSION_SCREENS = {"calibrate": calibrate, "stomp": stomp, "stretch": hold, "extensor": hold,
                   "strength": strength, "cardio": cardio}
