"""The progress report as pure functions: plain rows in, plain values out.

No SQL, no clock, no printing: ``build_report`` takes the rows the store reads plus ``today``
and returns a JSON-ready dict; ``render`` turns that dict into text that fits 80 columns. So the
whole report is tested with literal weeks, and ``--json`` and the table never disagree.

The yardstick is the article's prescription (``shared/seed/best-workouts-for-osteoporosis.txt``)
as the config shapes it: stomps twice a day, stretches ``stretches_per_day`` times a day, spinal
extensors daily, strength on 2-3 days a week, brisk cardio on 2-3 days and gentle on the others.
Stomps are due only when the program allows them (a clinician's clearance and, after a
fracture or with fracture history unknown, a dated override); brisk marching is walking-level
impact and is due on its days for everyone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kiosk.program.model import BLOCKS
from kiosk.store import balance_report, sections
from kiosk.store.facts import Interval, SessionRow, StepFact
from kiosk.store.sections import name_of

if TYPE_CHECKING:
    from kiosk.config import Config

WEEKS = 5
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: Blocks judged by how many days of the week they were done on, not day by day.
WEEKLY_RANGE: Mapping[str, tuple[int, int]] = {"strength": (2, 3), "cardio_high": (2, 3),
                                               "cardio_low": (4, 7)}
LABELS = {"stomps": "stomps", "cardio_high": "brisk cardio", "cardio_low": "gentle cardio",
          "strength": "strength", "extensor": "extensors", "stretch": "stretches",
          "balance": "balance"}
#: Day and week states, as words in JSON and as one glyph in the table.
GLYPHS = {"done": "✓", "part": "◐", "missed": "✗", "not_due": "·", "open": "○", "future": " ",
          "not_started": " "}
ASCII_GLYPHS = {"done": "v", "part": "/", "missed": "x", "not_due": ".", "open": "o",
                "future": " ", "not_started": " "}
SPARKS = "▁▂▃▄▅▆▇█"
_ASCII = str.maketrans({"×": "x", "·": "-", "–": "-", "…": "~", "│": "|"})
EIGHTHS = " ▏▎▍▌▋▊▉█"


@dataclass(frozen=True, slots=True)
class Prescription:
    """What is due: per day for daily blocks, by weekday for strength and cardio."""

    stomps_per_day: int = 2
    stretches_per_day: int = 2
    extensor_per_day: int = 1
    strength_days: tuple[int, ...] = (0, 2, 4)
    high_cardio_days: tuple[int, ...] = (1, 3, 5)
    impact: bool = True
    stomp_target_bw: float = 1.5
    stomps_per_foot: int = 4  # the article: "4 stomps on each foot"

    @classmethod
    def from_config(cls, config: Config, stomps_allowed: bool) -> Prescription:
        """The prescription as this person's config shapes it; whether stomps are due is the
        program's verdict (``program.safety.impact_work_allowed``), handed in by the shell."""
        sched, impact = config.schedule, stomps_allowed
        return cls(
            stomps_per_day=2 if impact else 0,
            stretches_per_day=int(sched.stretches_per_day),
            strength_days=tuple(sorted(WEEKDAYS.index(d) for d in sched.strength_days)),
            high_cardio_days=tuple(sorted(WEEKDAYS.index(d) for d in sched.high_cardio_days)),
            impact=impact,
            stomp_target_bw=float(config.program.stomp_target_bw),
            stomps_per_foot=int(config.program.stomps_per_foot))

    def due(self, block: str, day: date) -> int:
        """How many sessions with ``block`` done are due on ``day`` (0: not due that day)."""
        if block == "stomps":  # an if-chain, not a dict: streaks ask this for years of days
            return self.stomps_per_day
        if block == "stretch":
            return self.stretches_per_day
        if block == "extensor":
            return self.extensor_per_day
        wd = day.weekday()
        if block == "balance":
            return 1
        if block == "strength":
            return int(wd in self.strength_days)
        if block == "cardio_high":
            return int(wd in self.high_cardio_days)
        return int(wd not in self.high_cardio_days) if block == "cardio_low" else 0


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def short_date(day: date) -> str:
    """``13 May``: locale-free, so the report reads the same on every Pi."""
    return f"{day.day:02d} {MONTHS[day.month - 1]}"


def counts_by_day(rows: Iterable[Sequence[Any]]) -> dict[tuple[date, str], int]:
    """``(plan_date, block, slots met[, slots part])`` rows as a lookup keyed by (date, block)."""
    return {(date.fromisoformat(r[0]), r[1]): int(r[2]) for r in rows if int(r[2])}


def parts_by_day(rows: Iterable[Sequence[Any]]) -> set[tuple[date, str]]:
    """The (date, block) pairs where something was done below the dose (``slots part`` > 0)."""
    return {(date.fromisoformat(r[0]), r[1]) for r in rows if len(r) > 3 and int(r[3])}


def day_mark(count: int, due: int, day: date, today: date, first: date | None,
             partly: bool = False) -> str:
    """One cell of the grid: done, part, missed, not_due, open (today), future, not_started.
    ``partly``: something of the block was done that day below its dose."""
    if day > today:
        return "future"
    if first is None or day < first:
        return "not_started"
    if due == 0:
        return "done" if count else "part" if partly else "not_due"
    if count >= due:
        return "done"
    if day == today:
        return "open"
    return "part" if count or partly else "missed"


def week_summary(block: str, days: Sequence[date], counts: Mapping[tuple[date, str], int],
                 rx: Prescription, today: date, first: date | None) -> dict:
    """A week of one block against its rule: every due day met, or a number of days."""
    live = [d for d in days if first is not None and first <= d <= today]
    if not live:
        return {"status": "future" if days[0] > today else "not_started", "met": 0, "of": 0}
    assert first is not None  # a day is live only from the first day on
    over = days[-1] < today
    left = sum(1 for d in days if d > today)
    if block in WEEKLY_RANGE:
        if block == "cardio_high" and not rx.high_cardio_days:
            return {"status": "not_due", "met": 0, "of": 0}
        lo, hi = WEEKLY_RANGE[block]
        lo = min(lo, len([d for d in days if first <= d]))  # a first week that began late
        met = sum(1 for d in live if counts.get((d, block), 0) > 0)
        if met > hi:
            status = "missed"
        elif met >= lo:
            status = "done"
        else:
            status = "missed" if over or met + left < lo else "open"
        return {"status": status, "met": met, "of": lo}
    due_days = [d for d in days if first <= d and rx.due(block, d) > 0]
    if not due_days:
        return {"status": "not_due", "met": 0, "of": 0}
    met = sum(1 for d in due_days if d <= today and counts.get((d, block), 0) >= rx.due(block, d))
    missed = any(d < today and counts.get((d, block), 0) < rx.due(block, d) for d in due_days)
    status = "missed" if missed else "done" if met == len(due_days) else "open"
    reached = sum(1 for d in due_days if d <= today)  # days not yet come are not counted
    return {"status": status, "met": met, "of": reached}


def _day_ok(block: str, counts: Mapping[tuple[date, str], int], day: date,
            rx: Prescription) -> bool:
    if block == "cardio":
        return counts.get((day, "cardio_high"), 0) + counts.get((day, "cardio_low"), 0) > 0
    return counts.get((day, block), 0) >= max(1, rx.due(block, day))


def streaks(counts: Mapping[tuple[date, str], int], rx: Prescription, first: date | None,
            as_of: date, today: date) -> dict[str, dict[str, int]]:
    """Days in a row each daily block was met (and all of them together), and weeks in a row
    with at least two strength days: current and longest. Today, still open, does not break a
    streak; it only adds to it once met."""
    daily = (["stomps"] if rx.impact else []) + ["extensor", "stretch", "cardio"]
    names = [*daily, "all_daily"]
    out = {n: {"current": 0, "longest": 0} for n in [*names, "strength_weeks"]}
    if first is None or first > as_of:
        return out
    run = dict.fromkeys(names, 0)
    before = dict.fromkeys(names, 0)  # the run as it stood the day before
    day = first
    while day <= as_of:
        oks = {b: _day_ok(b, counts, day, rx) for b in daily}
        oks["all_daily"] = all(oks.values())
        before = dict(run)
        for n in names:
            run[n] = run[n] + 1 if oks[n] else 0
            out[n]["longest"] = max(out[n]["longest"], run[n])
        day += timedelta(days=1)
    for n in names:
        out[n]["current"] = run[n] if run[n] or as_of != today else before[n]
    week, wrun, wbefore = week_start(first), 0, 0
    while week <= as_of:
        days_done = sum(1 for i in range(7)
                        if counts.get((week + timedelta(days=i), "strength"), 0) > 0)
        wbefore = wrun
        wrun = wrun + 1 if days_done >= 2 else 0
        out["strength_weeks"]["longest"] = max(out["strength_weeks"]["longest"], wrun)
        week += timedelta(days=7)
    open_week = week_start(as_of) == week_start(today)
    out["strength_weeks"]["current"] = wrun if wrun or not open_week else wbefore
    return out


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def stomp_trend(landings: Iterable[tuple[str, str, float, int]], weeks: Sequence[date],
                target_bw: float) -> dict:
    """Per foot: each week's landings, counted stomps, mean and max peak (body weights), and
    each day's mean peak, from ``(plan_date, foot, peak_bw, stomp)`` rows."""
    by_week: dict[tuple[str, date], list[float]] = defaultdict(list)
    stomps: dict[tuple[str, date], int] = defaultdict(int)
    by_day: dict[tuple[str, date], list[float]] = defaultdict(list)
    for plan_date, foot, peak_bw, stomp in landings:
        day = date.fromisoformat(plan_date)
        by_week[foot, week_start(day)].append(float(peak_bw))
        stomps[foot, week_start(day)] += int(bool(stomp))
        by_day[foot, day].append(float(peak_bw))
    out: dict[str, Any] = {"target_bw": target_bw}
    for foot in ("left", "right"):
        out[foot] = {
            "weeks": [{"start": w.isoformat(), "landings": len(by_week[foot, w]),
                       "stomps": stomps[foot, w], "mean_bw": _mean(by_week[foot, w]),
                       "at_target_share": round(stomps[foot, w] / len(by_week[foot, w]), 2)
                       if by_week[foot, w] else None,
                       "max_bw": round(max(by_week[foot, w]), 2) if by_week[foot, w] else None}
                      for w in weeks],
            "days": [_mean(by_day[foot, w + timedelta(days=i)]) for w in weeks
                     for i in range(7)]}
    return out


def strength_trend(sets: Iterable[tuple[str, str, int, int, float | None]],
                   weeks: Sequence[date], targets: Mapping[str, float],
                   names: Mapping[str, str] | None = None) -> list[dict]:
    """Per exercise: each week's heaviest set (kg), sets and reps, the direction from the first
    to the last week with a load, and the current target from the one-rep-max history.
    Body-weight work (no load) is judged by its reps: ``body_weight`` says which it is."""
    heaviest: dict[tuple[str, date], float] = {}
    n_sets: dict[tuple[str, date], int] = defaultdict(int)
    n_reps: dict[tuple[str, date], int] = defaultdict(int)
    exercises: set[str] = set()
    for plan_date, exercise_id, _set_no, reps, load_kg in sets:
        w = week_start(date.fromisoformat(plan_date))
        exercises.add(exercise_id)
        n_sets[exercise_id, w] += 1
        n_reps[exercise_id, w] += int(reps)
        if load_kg is not None and reps > 0:
            heaviest[exercise_id, w] = max(float(load_kg), heaviest.get((exercise_id, w), 0.0))
    out = []
    for ex in sorted(exercises):
        loads = [heaviest.get((ex, w)) for w in weeks]
        known = [x for x in loads if x is not None]
        trend = None
        if not known:  # body weight: more reps a set is the progress (weeks differ in sets)
            known = [n_reps[ex, w] / n_sets[ex, w] for w in weeks if n_sets[ex, w]]
        if len(known) >= 2:
            trend = "up" if known[-1] > known[0] else "down" if known[-1] < known[0] else "same"
        out.append({"exercise_id": ex, "name": name_of(ex, names or {}),
                    "body_weight": not any(x is not None for x in loads),
                    "target_kg": targets.get(ex), "trend": trend,
                    "weeks": [{"start": w.isoformat(), "max_kg": heaviest.get((ex, w)),
                               "sets": n_sets[ex, w], "reps": n_reps[ex, w]} for w in weeks]})
    return out


def build_report(*, today: date, week_of: date, rx: Prescription,
                 facts: Sequence[StepFact] = (),
                 history: Iterable[Sequence[Any]] = (),
                 day_counts: Iterable[Sequence[Any]] | None = None,
                 first_date: str | None = None,
                 landings: Iterable[tuple[str, str, float, int]] = (),
                 sets: Iterable[tuple[str, str, int, int, float | None]] = (),
                 intervals: Iterable[Interval] = (),
                 last: SessionRow | None = None,
                 targets: Mapping[str, float] | None = None,
                 names: Mapping[str, str] | None = None,
                 person: str = "",
                 later: Mapping[str, Any] | None = None) -> dict:
    """The week holding ``week_of`` and the four before it, against the prescription.

    ``facts`` are the logged steps of the five weeks, ``history`` the days before them already
    judged (``(plan_date, block, slots met, slots part)``, for streaks); ``day_counts`` in that
    shape replaces both (literal tests).
    """
    names = names or {}
    weeks = window_weeks(week_of)
    if day_counts is None:
        day_counts = [*history, *sections.block_days(facts, rx.stomps_per_foot)]
        first_date = first_date or min((f.plan_date for f in facts), default=None)
    rows = list(day_counts)
    counts, parts = counts_by_day(rows), parts_by_day(rows)
    first = date.fromisoformat(first_date) if first_date else None
    lo, hi = weeks[0].isoformat(), (weeks[-1] + timedelta(days=6)).isoformat()
    shown = [f for f in facts if lo <= f.plan_date <= hi and f.plan_date <= today.isoformat()]
    out_weeks = []
    for w in weeks:
        days = [w + timedelta(days=i) for i in range(7)]
        out_weeks.append({
            "start": w.isoformat(),
            "days": [{"date": d.isoformat(), "blocks": {
                b: {"count": counts.get((d, b), 0), "due": rx.due(b, d),
                    "mark": day_mark(counts.get((d, b), 0), rx.due(b, d), d, today, first,
                                     (d, b) in parts)}
                for b in BLOCKS}} for d in days],
            "summary": {b: week_summary(b, days, counts, rx, today, first) for b in BLOCKS}})
    as_of = min(today, weeks[-1] + timedelta(days=6))
    return {
        "person": person,
        "today": today.isoformat(),
        "week_of": weeks[-1].isoformat(),
        "period": {"first": lo, "last": min(hi, today.isoformat())},
        "first_date": first_date,
        "prescription": {**asdict(rx),
                         "strength_days": [WEEKDAYS[i] for i in rx.strength_days],
                         "high_cardio_days": [WEEKDAYS[i] for i in rx.high_cardio_days]},
        "last_session": sections.last_session(last),
        "missed_days": sections.missed_days(facts, first, weeks[0], min(today, as_of +
                                                                         timedelta(days=1))),
        "weeks": out_weeks,
        "streaks": streaks(counts, rx, first, as_of, today),
        "stomp_force": stomp_trend(landings, weeks, rx.stomp_target_bw),
        "strength": strength_trend(sets, weeks, targets or {}, names),
        "cadence": sections.cadence(intervals, weeks),
        "pain": sections.pain(shown, names),
        "skipped": sections.skipped(shown, names),
        "short_of_dose": sections.short_of_dose(shown, names, rx.stomps_per_foot),
        **(later or sections.later_sections(impact_cleared=rx.impact, names=names)),
    }


def window_weeks(week_of: date) -> list[date]:
    """The Mondays of the report's five weeks, oldest first, ``week_of``'s week last."""
    last = week_start(week_of)
    return [last - timedelta(days=7 * i) for i in range(WEEKS - 1, -1, -1)]


# --- text ------------------------------------------------------------------------------------

def spark(values: Sequence[float | None], lo: float, hi: float, chars: str = SPARKS) -> str:
    """A sparkline: one character per value, blank where there is none."""
    span = max(hi - lo, 1e-9)
    top = len(chars) - 1
    return "".join(" " if v is None else chars[max(0, min(top, round((v - lo) / span * top)))]
                   for v in values)


def hbar(value: float | None, scale: float, width: int, marker_at: float | None = None,
         unicode: bool = True) -> str:
    """A horizontal bar in eighth-blocks (``#`` in ASCII), with ``│`` at the target when the
    bar does not reach it."""
    cells = [" "] * width
    if value is not None and scale > 0:
        eighths = max(0, min(width * 8, round(value / scale * width * 8)))
        full, part = divmod(eighths, 8)
        for i in range(full):
            cells[i] = "█" if unicode else "#"
        if part and full < width:
            cells[full] = EIGHTHS[part] if unicode else "+"
    if marker_at is not None and scale > 0:
        i = min(width - 1, int(marker_at / scale * width))
        if cells[i] == " ":
            cells[i] = "│" if unicode else "|"
    return "".join(cells)


def _label(block: str, rx: Mapping[str, Any]) -> str:
    per_day = {"stomps": rx["stomps_per_day"], "stretch": rx["stretches_per_day"]}.get(block, 1)
    return LABELS[block] + (f" {per_day}×" if per_day > 1 else "")


def _rule(block: str, rx: Mapping[str, Any]) -> str:
    if block == "cardio_high" and not rx["high_cardio_days"]:
        return "none scheduled"
    if block == "stomps" and not rx["impact"]:
        return "not yet cleared"
    if block in WEEKLY_RANGE:
        lo, hi = WEEKLY_RANGE[block]
        return f"{lo}+ days" if hi >= 7 else f"{lo}–{hi} days"
    return "every day"


def render(report: Mapping[str, Any], width: int = 80, unicode: bool = True) -> str:
    """The report as plain text within ``width`` columns; ``unicode=False`` for terminals
    that cannot show ✓ and blocks."""
    g = GLYPHS if unicode else ASCII_GLYPHS
    rx = report["prescription"]
    weeks = report["weeks"]
    starts = [date.fromisoformat(w["start"]) for w in weeks]
    lw = 15
    who = f" for {report['person']}" if report.get("person") else ""
    head = (f"Report{who}: the week of {short_date(starts[-1])} {starts[-1].year} and the "
            f"{len(weeks) - 1} weeks before (today {report['today']})")
    lines = _wrap("", head.split(), " ", width)
    lines += _render_top(report, width)
    parts = ([f"stomps {rx['stomps_per_day']}×/day"] if rx["impact"] else []) + [
        f"stretches {rx['stretches_per_day']}×/day", "extensors daily",
        f"strength 2–3 days a week ({' '.join(d.capitalize() for d in rx['strength_days'])})"]
    parts.append(f"brisk cardio {' '.join(d.capitalize() for d in rx['high_cardio_days'])}, "
                 "gentle on the others" if rx["high_cardio_days"] else "gentle cardio daily")
    lines += _wrap("Prescribed: ", parts, " · ", width)
    if not rx["impact"]:
        note = "Stomps wait for a clinician's clearance (profile.impact_cleared; after a " \
               "fracture also a dated profile.impact_override)."
        lines += _wrap("  ", note.split(), " ", width)
    lines.append("")
    lines.append(" " * lw + "  ".join(f"{short_date(s):<7}" for s in starts).rstrip())
    lines.append(" " * lw + "  ".join("MTWTFSS" for _ in starts))
    for b in BLOCKS:
        marks = "  ".join("".join(g[d["blocks"][b]["mark"]] for d in w["days"]) for w in weeks)
        lines.append(f"{_label(b, rx):<{lw}}{marks}".rstrip())
    lines.append(f"{g['done']} done  {g['part']} part done  {g['missed']} missed  "
                 f"{g['not_due']} not due  {g['open']} today, still open")
    lines.append("")
    lines.append(f"{'Week totals':<{lw}}" + "".join(f"{short_date(s):<9}" for s in starts)
                 + "rule")
    for b in BLOCKS:
        cells = []
        for w in weeks:
            s = w["summary"][b]
            if s["status"] in ("future", "not_started", "not_due"):
                cell = "–"
            elif b in WEEKLY_RANGE:
                cell = f"{s['met']}d {g[s['status']]}"
            else:
                cell = f"{s['met']}/{s['of']} {g[s['status']]}"
            cells.append(f"{cell:<9}")
        lines.append(f"{_label(b, rx):<{lw}}{''.join(cells)}{_rule(b, rx)}")
    lines.append("")
    lines += _render_streaks(report["streaks"], width)
    lines.append("")
    lines += _render_stomps(report["stomp_force"], starts, lw, unicode)
    lines.append("")
    lines += _render_strength(report["strength"], starts)
    lines.append("")
    lines += _render_cadence(report["cadence"], starts)
    lines += _render_pain(report["pain"], width)
    lines += _render_skipped(report["skipped"], report["short_of_dose"], width)
    lines += _render_later(report, width)
    text = "\n".join(line.rstrip() for line in lines)
    return text if unicode else text.translate(_ASCII).encode("ascii", "replace").decode()


def _render_streaks(st: Mapping[str, Mapping[str, int]], width: int) -> list[str]:
    names = {"all_daily": "every daily block", "stomps": "stomps", "extensor": "extensors",
             "stretch": "stretches", "cardio": "cardio", "strength_weeks": "strength weeks"}
    order = ["all_daily", *(k for k in st if k != "all_daily")]
    parts = [f"{names[k]} {st[k]['current']} ({st[k]['longest']})" for k in order]
    return _wrap("Streaks now (longest): ", parts, " · ", width)


def _wrap(head: str, parts: Sequence[str], sep: str, width: int) -> list[str]:
    lines, line = [], head
    for i, p in enumerate(parts):
        piece = p + (sep.rstrip() if i < len(parts) - 1 else "")
        if len(line) + len(piece) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = "  "
        line += piece + " "
    lines.append(line.rstrip())
    return lines


def _render_stomps(sf: Mapping[str, Any], starts: Sequence[date], lw: int,
                   unicode: bool) -> list[str]:
    target = sf["target_bw"]
    means = [w["mean_bw"] for f in ("left", "right") for w in sf[f]["weeks"] if w["mean_bw"]]
    maxes = [w["max_bw"] for f in ("left", "right") for w in sf[f]["weeks"] if w["max_bw"]]
    if not means:
        return ["Stomp force: no stomps in these weeks."]
    scale = max(2.0, target, *means)
    scale = float(int(scale * 2 + 0.999)) / 2  # round up to a half body weight
    bw = 14
    bar = "│" if unicode else "|"
    out = [f"Stomp force by week: mean peak in body weights ({bar} target {target:g}), max, n,",
           "share of landings at target",
           f"{'':<8}{'left':<{bw + 21}}right"]
    for i, s in enumerate(starts):
        row = f"{short_date(s):<8}"
        for foot in ("left", "right"):
            w = sf[foot]["weeks"][i]
            nums = (f" {w['mean_bw']:4.2f} {w['max_bw']:4.2f} {w['landings']:>3}"
                    f" {round(100 * w['at_target_share']):>3}%"
                    if w["mean_bw"] is not None else f" {'-':>4} {'-':>4} {0:>3} {'-':>4}")
            row += hbar(w["mean_bw"], scale, bw, target, unicode) + nums + "  "
        out.append(row.rstrip())
    if unicode:
        lo = 1.0 if min(maxes) >= 1.0 else 0.0
        hi = max(maxes)
        for foot in ("left", "right"):
            days = sf[foot]["days"]
            cells = "  ".join(spark(days[i * 7:(i + 1) * 7], lo, hi) for i in range(len(starts)))
            out.append(f"{'daily ' + foot:<{lw}}{cells}".rstrip())
    return out


def _render_strength(rows: Sequence[Mapping[str, Any]], starts: Sequence[date]) -> list[str]:
    if not rows:
        return ["Strength: no sets in these weeks."]
    nw = 27
    out = [f"{'Strength: heaviest set, kg':<{nw}}"
           + "".join(f"{short_date(s):>7}" for s in starts) + "  target  trend",
           "  (body-weight work: sets×reps in the week)"]
    arrows = {"up": "up", "down": "down", "same": "same", None: ""}
    for r in rows:
        name = r["name"] if len(r["name"]) < nw else r["name"][:nw - 2] + "…"
        cells = "".join(_strength_cell(w, r["body_weight"]) for w in r["weeks"])
        target = f"{r['target_kg']:>8.1f}" if r["target_kg"] is not None else f"{'-':>8}"
        out.append(f"{name:<{nw}}{cells}{target}  {arrows[r['trend']]}".rstrip())
    return out


def _strength_cell(week: Mapping[str, Any], body_weight: bool) -> str:
    if week["max_kg"] is not None:
        return f"{week['max_kg']:>7.1f}"
    if body_weight and week["sets"]:
        reps = week["reps"] / week["sets"]
        return f"{week['sets']}×{reps:.0f}".rjust(7) if reps == int(reps) else \
            f"{week['sets']}s{week['reps']}r".rjust(7)
    return f"{'-':>7}"


def _day(iso: str) -> str:
    return short_date(date.fromisoformat(iso))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _render_top(report: Mapping[str, Any], width: int) -> list[str]:
    """What a helper asks first: pain and imbalance flags, the last session, days with
    nothing done."""
    out = []
    flags = [*report["pain"]["flags"], *report["paused"]["rows"]]
    if flags:
        out += _wrap("PAIN FLAGS: ", "; ".join(f"{f['name']} ({f['detail']})"
                                               for f in flags).split(), " ", width)
    for f in report["balance"]["imbalances"]:
        out += _wrap("IMBALANCE: ", balance_report.imbalance_line(f).split(), " ", width)
    last = report["last_session"]
    if last:
        mins = "" if last["minutes"] is None else f", {last['minutes']:.0f} min"
        out.append(f"Last session: {_day(last['date'])} {last['start']} ({last['slot']}), "
                   f"{last['status']}, {last['steps_done']}/{last['steps_total']} "
                   f"steps{mins}")
    missed = report["missed_days"]
    if missed:
        out += _wrap(f"Days with nothing done: {len(missed)}: ", [_day(d) for d in missed],
                     ", ", width)
    return out


def _render_cadence(rows: Sequence[Mapping[str, Any]], starts: Sequence[date]) -> list[str]:
    if not any(w["minutes"] for r in rows for w in r["weeks"]):
        return ["Marching: no minutes in these weeks."]
    out = [f"{'Marching: steps/min (target)':<29}" + "".join(f"{short_date(s):>10}"
                                                               for s in starts)]
    labels = {"cardio_high": "brisk", "cardio_low": "gentle"}
    for r in rows:
        cells = "".join(f"{w['mean_spm']:>4.0f} ({w['target_spm']:.0f})".rjust(10)
                        if w["mean_spm"] is not None else f"{'-':>10}" for w in r["weeks"])
        out.append(f"{'  ' + labels[r['block']]:<29}{cells}")
        mins = "".join(f"{w['minutes']:>10.0f}" if w["minutes"] else f"{'-':>10}"
                       for w in r["weeks"])
        out.append(f"{'    minutes':<29}{mins}")
    return out


def _render_pain(pain: Mapping[str, Any], width: int) -> list[str]:
    hurt = pain["hurt"]
    n = len(pain["unanswered"])
    asked = f" ({pain['answered']} answered" + (
        f", {_plural(n, 'stretch')} with no answer)".replace("stretchs", "stretches")
        if n else ")")
    if not hurt:
        out = ["", f"Pain: no step was answered with \"it hurt\" in these weeks{asked}."]
    else:
        parts = [f"{_day(p['date'])} {p['name']}" for p in hurt]
        out = ["", *_wrap(f"Pain: \"it hurt\" {_plural(len(hurt), 'time')}{asked}: ", parts,
                          ", ", width)]
    if pain["unanswered"]:
        parts = [f"{_day(p['date'])} {p['name']}" for p in pain["unanswered"]]
        out += _wrap("  No answer to \"did that hurt?\": ", parts, ", ", width)
    return out


def _render_skipped(skipped: Sequence[Mapping[str, Any]], short: Sequence[Mapping[str, Any]],
                    width: int) -> list[str]:
    out = [""]
    if not skipped and not short:
        out.append("Skipped or cut short: nothing in these weeks.")
    else:
        out.append(f"Skipped or cut short: {len(skipped)}; done below the dose: {len(short)}")
        for s in skipped:
            out += _wrap(f"  {_day(s['date'])} {s['slot']:<8}",
                         [f"{s['name']}: {s['why']}"], "", width)
    for s in short:
        out += _wrap(f"  {_day(s['date'])} {s['slot']:<8}", [f"{s['name']}: {s['what']}"],
                     "", width)
    return out


def _render_later(report: Mapping[str, Any], width: int) -> list[str]:
    """The sections other passes will feed: their rows, or "not recorded yet"."""
    out = [""]
    clear = report["clearance"]
    state = "cleared" if clear["impact_cleared"] else "not cleared"
    if clear["status"] == "recorded":
        out.append(f"Impact work: {state} by {clear['who']} on {clear['when']}")
    else:
        out.append(f"Impact work: {state}; who and when: not recorded yet")
    for key, title in (("progression", "Progression decisions"), ("paused", "Paused exercises")):
        sec = report[key]
        if sec["status"] != "recorded":
            out.append(f"{title}: not recorded yet")
        elif key == "progression":
            out.append(f"{title}:")
            for r in sec["rows"]:
                out += _wrap("  ", r["line"].split(), " ", width)
        else:
            out += _wrap(f"{title}: ", "; ".join(", ".join(f"{k} {v}" for k, v in r.items())
                                                 for r in sec["rows"]).split(), " ", width)
    for line in balance_report.render(report["balance"], report["chair_stands"]):
        indent = line[:len(line) - len(line.lstrip())]
        out += [line] if len(line) <= width else _wrap(indent, line.split(), " ", width)
    return out
