"""The mat's balance figures for ``report``: quiet-standing share and wobble, one-leg stance
times, stomp symmetry, chair-stand tempo and the monthly chair test against its norms. Pure:
rows in (from ``LogReader.mat_rows``), typed results out.

A lasting imbalance is flagged when every reading of the last ``RECENT_DAYS`` (at least
``MIN_READINGS``) puts the left share outside ``50 ± IMBALANCE_PP``. That band is our own
cautious threshold for "tell the helper", not a published diagnostic cut-off: healthy older
adults standing quietly stay within a few points of even, and the mat's share is only as even
as its sensors, so the flag asks for a look, it does not diagnose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from kiosk.store.norms import SOURCE, chair_norm

RECENT_DAYS = 14
MIN_READINGS = 3
IMBALANCE_PP = 10.0


@dataclass(frozen=True, slots=True)
class SteadyWeek:
    """A week of quiet-standing readings: the median left share and wobble (points)."""

    start: str
    readings: int
    share_left_pct: float | None
    wobble_pp: float | None


@dataclass(frozen=True, slots=True)
class StanceWeek:
    """A week of one-leg stances timed by the mat: the best per side and the total seconds."""

    start: str
    best_left_s: float | None
    best_right_s: float | None
    total_s: float


@dataclass(frozen=True, slots=True)
class StompWeek:
    """A week of stomps: each foot's median peak and the left share of their sum (50: even)."""

    start: str
    left_bw: float | None
    right_bw: float | None
    left_share_pct: float | None


@dataclass(frozen=True, slots=True)
class ChairWeek:
    """A week of sit-to-stands counted by the mat, with their median tempo."""

    start: str
    reps: int
    up_s: float | None
    down_s: float | None


@dataclass(frozen=True, slots=True)
class ChairTest:
    """One 30-second chair stand test and where it falls in the normal range (if known)."""

    date: str
    stands: int
    ages: str | None
    normal_low: int | None
    normal_high: int | None
    verdict: str | None  # below, within, above; None without age and sex or outside 60-94


@dataclass(frozen=True, slots=True)
class Imbalance:
    """More weight on one side in every recent reading: ``what`` is standing or stomps."""

    what: str
    heavier: str
    share_left_pct: float
    readings: int


@dataclass(frozen=True, slots=True)
class MatReport:
    steadiness: tuple[SteadyWeek, ...]
    stances: tuple[StanceWeek, ...]
    stomps: tuple[StompWeek, ...]
    chair_stands: tuple[ChairWeek, ...]
    chair_tests: tuple[ChairTest, ...]
    imbalances: tuple[Imbalance, ...]
    age: int | None
    sex: str
    norms_source: str = SOURCE


def _med(values: Sequence[float]) -> float | None:
    return round(median(values), 2) if values else None


def _week(day: str, weeks: Sequence[date]) -> date | None:
    d = date.fromisoformat(day)
    inside = [w for w in weeks if w <= d < w + timedelta(days=7)]
    return inside[0] if inside else None


def _by_week(rows: Iterable[tuple], weeks: Sequence[date]) -> dict[date, list[tuple]]:
    out: dict[date, list[tuple]] = {w: [] for w in weeks}
    for row in rows:
        w = _week(row[0], weeks)
        if w is not None:
            out[w].append(row)
    return out


def _share(left: Sequence[float], right: Sequence[float]) -> float | None:
    if not left or not right:
        return None
    lm, rm = median(left), median(right)
    return round(100 * lm / (lm + rm), 2) if lm + rm > 0 else None


def _daily_shares(landings: Sequence[tuple]) -> list[float]:
    """Each day's stomp symmetry (left share of the feet's median peaks), days with both."""
    days: dict[str, tuple[list[float], list[float]]] = {}
    for day, foot, peak_bw, stomp in landings:
        if stomp:
            days.setdefault(day, ([], []))[foot == "right"].append(peak_bw)
    shares = (_share(left, right) for _, (left, right) in sorted(days.items()))
    return [s for s in shares if s is not None]


def _imbalance(what: str, shares: Sequence[float]) -> Imbalance | None:
    if len(shares) < MIN_READINGS:
        return None
    if all(s >= 50 + IMBALANCE_PP for s in shares) or all(s <= 50 - IMBALANCE_PP for s in shares):
        mid = round(median(shares), 1)
        return Imbalance(what, "left" if mid > 50 else "right", mid, len(shares))
    return None


def age_on(today: date, birth_year: int) -> int | None:
    """Age in whole years this year (0: not given). Norm groups span five years, so the
    birthday's month does not matter enough to ask for it."""
    return today.year - birth_year if birth_year else None


def build(rows: Mapping[str, Sequence[tuple]], weeks: Sequence[date], today: date,
          birth_year: int = 0, sex: str = "") -> MatReport:
    """``rows`` as ``LogReader.mat_rows`` gives them; ``weeks`` the report's Mondays."""
    steady = _by_week(rows.get("steadiness", ()), weeks)
    stances = _by_week(rows.get("stances", ()), weeks)
    landings = _by_week([r for r in rows.get("landings", ()) if r[3]], weeks)
    chair = _by_week(rows.get("chair_reps", ()), weeks)
    recent = (today - timedelta(days=RECENT_DAYS)).isoformat()
    age = age_on(today, birth_year)
    tests = []
    for day, stands, _seconds in rows.get("chair_tests", ()):
        norm = chair_norm(age_on(date.fromisoformat(day), birth_year), sex)
        tests.append(ChairTest(day, stands, norm.ages if norm else None,
                               norm.low if norm else None, norm.high if norm else None,
                               norm.verdict(stands) if norm else None))
    stomp_shares = _daily_shares([r for r in rows.get("landings", ()) if r[0] >= recent])
    flags = [f for f in (
        _imbalance("standing", [r[2] for r in rows.get("steadiness", ()) if r[0] >= recent]),
        _imbalance("stomps", stomp_shares)) if f is not None]
    return MatReport(
        steadiness=tuple(SteadyWeek(w.isoformat(), len(v), _med([r[2] for r in v]),
                                    _med([r[3] for r in v])) for w, v in steady.items()),
        stances=tuple(StanceWeek(
            w.isoformat(), max((r[2] for r in v if r[1] == "left"), default=None),
            max((r[2] for r in v if r[1] == "right"), default=None),
            round(sum(r[3] for r in v), 1)) for w, v in stances.items()),
        stomps=tuple(StompWeek(
            w.isoformat(), _med([r[2] for r in v if r[1] == "left"]),
            _med([r[2] for r in v if r[1] == "right"]),
            _share([r[2] for r in v if r[1] == "left"], [r[2] for r in v if r[1] == "right"]))
            for w, v in landings.items()),
        chair_stands=tuple(ChairWeek(w.isoformat(), len(v), _med([r[1] for r in v]),
                                     _med([r[2] for r in v])) for w, v in chair.items()),
        chair_tests=tuple(tests[-6:]), imbalances=tuple(flags), age=age, sex=sex)


def has_balance(report: MatReport) -> bool:
    """Whether the mat measured any standing, stance or stomp in the report's weeks."""
    return (any(w.readings for w in report.steadiness) or any(w.total_s for w in report.stances)
            or any(w.left_share_pct is not None for w in report.stomps))


def sections(report: MatReport | None) -> dict[str, Any]:
    """The report's ``balance`` and ``chair_stands`` sections (one JSON shape: docs/store.md),
    each ``not_recorded`` when the mat measured none of it in the report's weeks."""
    if report is None:
        return {"balance": {"status": "not_recorded", "imbalances": []},
                "chair_stands": {"status": "not_recorded", "tests": []}}
    d = asdict(report)
    chair = bool(report.chair_tests or any(w.reps for w in report.chair_stands))
    return {
        "balance": {"status": "recorded" if has_balance(report) else "not_recorded",
                    "steadiness": d["steadiness"], "stances": d["stances"],
                    "stomp_symmetry": d["stomps"], "imbalances": d["imbalances"],
                    "imbalance_band_pp": IMBALANCE_PP, "recent_days": RECENT_DAYS},
        "chair_stands": {"status": "recorded" if chair else "not_recorded",
                         "weeks": d["chair_stands"], "tests": d["chair_tests"],
                         "age": report.age, "sex": report.sex,
                         "norms_source": report.norms_source},
    }


def _fmt(v: float | None, unit: str = "") -> str:
    return "-" if v is None else f"{v:g}{unit}"


def imbalance_line(flag: Mapping[str, Any]) -> str:
    """One lasting-imbalance flag in words (text report and page)."""
    return (f"{flag['what']}: more weight on the {flag['heavier']} in all {flag['readings']} "
            f"readings of the last {RECENT_DAYS} days (left share {flag['share_left_pct']:g}%)")


def chair_line(test: Mapping[str, Any], sex: str) -> str:
    """One chair stand test against its norm band, or why there is none."""
    norm = (f"normal for {sex}s aged {test['ages']}: {test['normal_low']}-{test['normal_high']} "
            f"({test['verdict']})" if test["verdict"]
            else "no norm: age 60-94 and sex in the profile")
    return f"{test['stands']} stands in 30 s; {norm}"


def render(balance: Mapping[str, Any], chair: Mapping[str, Any]) -> list[str]:
    """The text report's balance and chair lines, from the two sections' dicts."""
    out = []
    if balance["status"] != "recorded":
        out.append("Balance: not recorded yet")
    else:
        out.append("Balance (weekly medians, oldest week first)")
        steady = balance["steadiness"]
        out.append("  standing, left share: " + "  ".join(
            _fmt(w["share_left_pct"], "%") for w in steady)
            + "   wobble: " + "  ".join(_fmt(w["wobble_pp"]) for w in steady))
        out.append("  stomps, left share:   " + "  ".join(
            _fmt(w["left_share_pct"], "%") for w in balance["stomp_symmetry"]))
        out.append("  one leg, best L/R s:  " + "  ".join(
            f"{_fmt(w['best_left_s'])}/{_fmt(w['best_right_s'])}" for w in balance["stances"]))
    if chair["status"] != "recorded":
        out.append("Chair stands: not recorded yet")
        return out
    out.append("Chair stands")
    if any(w["reps"] for w in chair["weeks"]):
        out.append("  sit-to-stands a week (median s up): " + "  ".join(
            f"{w['reps']}({_fmt(w['up_s'])})" for w in chair["weeks"]))
    for t in chair["tests"]:
        out.append(f"  chair stand test {t['date']}: {chair_line(t, chair['sex'])}")
    if chair["tests"]:
        out.append(f"  norms: {chair['norms_source']}")
    return out
