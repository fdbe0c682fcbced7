"""The report as one printable HTML page: the report dict in, a self-contained page out.

Pure and standard library only (``html.escape``): no scripts, no fonts, images or styles from
elsewhere, charts drawn as inline SVG. It must read in black and white, so series differ by
line style and marker shape, never by colour alone, and every chart has its numbers in a table
beside it. The print stylesheet leaves the paper size to the printer (A4 or Letter) and keeps
the content within the narrower of the two (A4: 210 mm less 2 × 12 mm margins).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from kiosk.program.model import BLOCKS
from kiosk.store.balance_report import chair_line, imbalance_line
from kiosk.store.reports import GLYPHS, LABELS, WEEKLY_RANGE, short_date

#: Text glyphs for the grid (as in the terminal): shapes, not colours.
MARK_WORDS = {"done": "done", "part": "part done", "missed": "missed", "not_due": "not due",
              "open": "today, still open"}
CSS = """
@page { margin: 12mm; }
* { box-sizing: border-box; }
html { color: #000; background: #fff; }
body { font: 10pt/1.35 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0 auto;
       max-width: 186mm; padding: 4mm 0; }
h1 { font-size: 16pt; margin: 0 0 1mm; }
h2 { font-size: 12pt; margin: 5mm 0 1.5mm; border-bottom: 0.4mm solid #000; }
p { margin: 1mm 0; }
.sub { margin: 0 0 2mm; }
.flags { border: 0.8mm solid #000; padding: 2mm 3mm; margin: 3mm 0; }
.flags strong { font-size: 11pt; }
.none { font-style: italic; }
section { break-inside: avoid; page-break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 1mm 0; }
th, td { border: 0.25mm solid #555; padding: 0.6mm 1.2mm; text-align: left;
         vertical-align: top; }
th { background: #eee; font-weight: bold; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.grid td, table.grid th { text-align: center; padding: 0.3mm 0; font-size: 9pt;
                               border-color: #999; }
table.grid td.b, table.grid th.b { text-align: left; padding-left: 1mm; white-space: nowrap; }
table.grid td.wk { border-left: 0.5mm solid #000; }
svg { display: block; width: 100%; height: auto; margin: 1mm 0; }
.legend { font-size: 9pt; }
article.person + article.person { break-before: page; page-break-before: always; }
footer { margin-top: 5mm; font-size: 8.5pt; border-top: 0.25mm solid #000; padding-top: 1mm; }
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{short_date(d)} {d.year}"


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "–" if value is None else fmt.format(value)


def render_html(report: Mapping[str, Any], title: str = "Exercise report") -> str:
    """The whole page; ``title`` leads the heading, the person's name follows it."""
    return render_people_html([report], title)


def render_people_html(reports: Sequence[Mapping[str, Any]],
                       title: str = "Exercise report") -> str:
    """One document with each person's report on pages of their own: printing it hands each
    person (or their clinic) their own sheets, and no page holds two people's records."""
    heads = [_head(r, title) for r in reports]
    pages = [f'<article class="person">\n{_page(r, h)}\n</article>'
             for r, h in zip(reports, heads, strict=True)]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{_e(' / '.join(heads))}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(pages) + "\n</body>\n</html>\n")


def _head(report: Mapping[str, Any], title: str) -> str:
    person = report.get("person") or ""
    return f"{title}: {person}" if person else title


def _page(report: Mapping[str, Any], head: str) -> str:
    starts = [w["start"] for w in report["weeks"]]
    period = report["period"]
    body = [
        f"<h1>{_e(head)}</h1>",
        f'<p class="sub">Period <strong>{_e(_day(period["first"]))} to '
        f'{_e(_day(period["last"]))}</strong> (five weeks; today {_e(_day(report["today"]))})'
        "</p>",
        _flags(report), _status(report), _adherence(report, starts), _stomps(report, starts),
        _strength(report, starts), _cadence(report, starts), _pain(report), _skipped(report),
        _later(report),
        '<footer>Made by <code>osteo-kiosk report --html</code>. Counted from the kiosk\'s '
        "log: a block is done only when its dose was met (stomps at the target force on each "
        "foot, every set, holds to their time, minutes marched). Demo sessions are left out."
        "</footer>"]
    return "\n".join(body)


def _flags(report: Mapping[str, Any]) -> str:
    flags = [*report["pain"]["flags"], *report["paused"]["rows"]]
    unanswered = report["pain"]["unanswered"]
    items = [f"<li><strong>{_e(f['name'])}</strong>: {_e(f['detail'])}</li>" for f in flags]
    items += [f"<li><strong>Lasting imbalance</strong>, {_e(imbalance_line(f))}</li>"
              for f in report["balance"]["imbalances"]]
    if unanswered:
        times = "once" if len(unanswered) == 1 else f"{len(unanswered)} times"
        items.append(f"<li>\"Did that hurt?\" got no answer {times}</li>")
    paused = ("" if report["paused"]["status"] == "recorded"
              else "<p class=\"none\">Paused exercises: not recorded yet.</p>")
    inner = (f"<ul>{''.join(items)}</ul>" if items
             else '<p class="none">No flags: no exercise hurt twice in these weeks, and no lasting '
             "imbalance on the mat.</p>")
    return (f'<section class="flags"><strong>Pain and imbalance flags</strong>{inner}{paused}'
            "</section>")


def _status(report: Mapping[str, Any]) -> str:
    last = report["last_session"]
    out = ["<section>"]
    if last:
        mins = "" if last["minutes"] is None else f", {last['minutes']:.0f} minutes"
        out.append(f"<p><strong>Last session:</strong> {_e(_day(last['date']))} at "
                   f"{_e(last['start'])} ({_e(last['slot'])}), {_e(last['status'])}, "
                   f"{last['steps_done']} of {last['steps_total']} steps{_e(mins)}.</p>")
    else:
        out.append('<p class="none">No session logged yet.</p>')
    missed = report["missed_days"]
    out.append(f"<p><strong>Days with nothing done:</strong> {len(missed)}"
               + (": " + ", ".join(_e(short_date(date.fromisoformat(d))) for d in missed)
                  if missed else "") + ".</p>")
    rx = report["prescription"]
    days = " ".join(d.capitalize() for d in rx["strength_days"])
    brisk = " ".join(d.capitalize() for d in rx["high_cardio_days"])
    parts = ([f"stomps {rx['stomps_per_foot']} a foot at {rx['stomp_target_bw']:g}× body "
              f"weight, {rx['stomps_per_day']}× a day"] if rx["impact"] else []) + [
        f"stretches {rx['stretches_per_day']}× a day", "back exercise daily",
        f"strength 2–3 days a week ({days})",
        f"brisk marching {brisk}, gentle on the others" if rx["impact"]
        else "gentle marching daily (impact work not cleared)"]
    out.append(f"<p><strong>Prescribed:</strong> {_e('; '.join(parts))}.</p></section>")
    return "\n".join(out)


def _adherence(report: Mapping[str, Any], starts: Sequence[str]) -> str:
    rx = report["prescription"]
    weeks = report["weeks"]
    head = "".join(f'<th colspan="7">{_e(short_date(date.fromisoformat(s)))}</th>'
                   for s in starts)
    days = "".join("".join(f"<th>{c}</th>" for c in "MTWTFSS") for _ in starts)
    rows = []
    for b in BLOCKS:
        cells = []
        for w in weeks:
            for i, d in enumerate(w["days"]):
                mark = d["blocks"][b]["mark"]
                glyph = GLYPHS[mark].strip() or ""
                cls = ' class="wk"' if i == 0 else ""
                cells.append(f"<td{cls}>{_e(glyph)}</td>")
        rows.append(f'<tr><td class="b">{_e(LABELS[b])}</td>{"".join(cells)}</tr>')
    grid = (f'<table class="grid"><tr><th class="b">Day by day</th>{head}</tr>'
            f'<tr><th class="b"></th>{days}</tr>{"".join(rows)}</table>')
    legend = " · ".join(f"{GLYPHS[k]} {v}" for k, v in MARK_WORDS.items())
    trows = []
    for b in BLOCKS:
        cells = []
        for w in weeks:
            s = w["summary"][b]
            if s["status"] in ("future", "not_started", "not_due"):
                cells.append('<td class="n">–</td>')
            elif b in WEEKLY_RANGE:
                days = "day" if s["met"] == 1 else "days"
                cells.append(f'<td class="n">{s["met"]} {days} {GLYPHS[s["status"]]}</td>')
            else:
                cells.append(f'<td class="n">{s["met"]}/{s["of"]} {GLYPHS[s["status"]]}</td>')
        lo_hi = WEEKLY_RANGE.get(b)
        rule = ("not cleared yet" if b in ("stomps", "cardio_high") and not rx["impact"]
                else f"{lo_hi[0]}+ days" if lo_hi and lo_hi[1] >= 7
                else f"{lo_hi[0]}–{lo_hi[1]} days" if lo_hi else "every day")
        trows.append(f"<tr><td>{_e(LABELS[b])}</td>{''.join(cells)}<td>{_e(rule)}</td></tr>")
    whead = "".join(f'<th class="n">{_e(short_date(date.fromisoformat(s)))}</th>'
                    for s in starts)
    streak = report["streaks"]["all_daily"]
    return ("<section><h2>Adherence against the prescription</h2>"
            f"<table><tr><th>Week of</th>{whead}<th>Rule</th></tr>{''.join(trows)}</table>"
            f"{grid}<p class=\"legend\">{_e(legend)}. Days met of days so far; future days are "
            f"not counted. Every daily block in a row: {streak['current']} days now, "
            f"longest {streak['longest']}.</p></section>")


def _chart(series: Sequence[tuple[str, Sequence[float | None], str, str]],
           labels: Sequence[str], unit: str, target: float | None = None,
           height: int = 150, width: int = 640, target_name: str = "target") -> str:
    """A line chart in SVG: one series per (name, values, dash pattern, marker shape)."""
    left, right, top, bottom = 46, 110, 10, 24
    values = [v for _, vs, _, _ in series for v in vs if v is not None]
    if target is not None:
        values.append(target)
    if not values:
        return ""
    step = nice_step(max(values) / 4)
    lo, hi = min(0.0, min(values)), step * math.ceil(max(values) * 1.05 / step)
    pw, ph = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + (pw * i / max(1, len(labels) - 1))

    def y(v: float) -> float:
        return top + ph - (v - lo) / (hi - lo) * ph

    out = [f'<svg viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
           f'role="img" aria-label="{_e(unit)}" font-size="11" '
           'font-family="DejaVu Sans, Arial, sans-serif">',
           f'<line x1="{left}" y1="{top + ph}" x2="{left + pw}" y2="{top + ph}" '
           'stroke="#000" stroke-width="1"/>',
           f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + ph}" stroke="#000" '
           'stroke-width="1"/>']
    v = lo
    while v <= hi + 1e-9:
        out.append(f'<text x="{left - 4}" y="{y(v) + 4:.1f}" text-anchor="end">{v:g}</text>')
        v = round(v + step, 9)
    for i, lab in enumerate(labels):
        out.append(f'<text x="{x(i):.1f}" y="{height - 6}" text-anchor="middle">'
                   f"{_e(lab)}</text>")
    if target is not None:
        out.append(f'<line x1="{left}" y1="{y(target):.1f}" x2="{left + pw}" '
                   f'y2="{y(target):.1f}" stroke="#000" stroke-width="1" '
                   'stroke-dasharray="1 3"/>')
    ends: list[tuple[float, str]] = ([] if target is None
                                     else [(y(target) + 4, f"{target_name} {target:g}")])
    for name, vs, dash, marker in series:
        pts = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(pts) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)
            out.append(f'<polyline points="{path}" fill="none" stroke="#000" '
                       f'stroke-width="1.6" stroke-dasharray="{dash}"/>')
        for px, py in pts:
            out.append(_marker(marker, px, py))
        if pts:
            ends.append((pts[-1][1] + 4, name))
    last_y = -1e9
    for ly, name in sorted(ends):  # end labels never overlap: at least a line apart
        last_y = max(ly, last_y + 13)
        out.append(f'<text x="{left + pw + 8}" y="{last_y:.1f}">{_e(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def nice_step(raw: float) -> float:
    """A round axis step (1, 2 or 5 times a power of ten) at least ``raw``."""
    if raw <= 0:
        return 1.0
    power: float = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _marker(shape: str, x: float, y: float) -> str:
    if shape == "square":
        return (f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" '
                'stroke="#000" stroke-width="1.4"/>')
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x - 4:.1f},{y + 3:.1f} '
                f'{x + 4:.1f},{y + 3:.1f}" fill="#000"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000"/>'


def _labels(starts: Sequence[str]) -> list[str]:
    return [short_date(date.fromisoformat(s)) for s in starts]


def _stomps(report: Mapping[str, Any], starts: Sequence[str]) -> str:
    sf = report["stomp_force"]
    left, right = sf["left"]["weeks"], sf["right"]["weeks"]
    if not any(w["landings"] for w in left + right):
        return ('<section><h2>Stomp force</h2><p class="none">No stomps in these weeks.</p>'
                "</section>")
    chart = _chart([("left foot", [w["mean_bw"] for w in left], "none", "circle"),
                    ("right foot", [w["mean_bw"] for w in right], "6 4", "square")],
                   _labels(starts), "mean peak, body weights", sf["target_bw"])
    rows = "".join(
        f"<tr><td>{_e(short_date(date.fromisoformat(s)))}</td>"
        + "".join(f'<td class="n">{_num(w["mean_bw"])}</td><td class="n">{_num(w["max_bw"])}'
                  f'</td><td class="n">{w["stomps"]}/{w["landings"]}</td>'
                  f'<td class="n">{_pct(w["at_target_share"])}</td>' for w in (lw, rw))
        + "</tr>" for s, lw, rw in zip(starts, left, right, strict=True))
    return ("<section><h2>Stomp force</h2><p>Mean peak of each week's landings in multiples "
            f"of standing body weight (target {sf['target_bw']:g}, dotted). Left foot: solid "
            "line, dots; right foot: dashed line, squares.</p>" + chart
            + '<table><tr><th rowspan="2">Week of</th><th colspan="4">Left</th>'
            '<th colspan="4">Right</th></tr><tr>'
            + '<th class="n">mean</th><th class="n">max</th><th class="n">at target</th>'
              '<th class="n">share</th>' * 2 + f"</tr>{rows}</table></section>")


def _pct(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)} %"


def _strength(report: Mapping[str, Any], starts: Sequence[str]) -> str:
    rows = report["strength"]
    if not rows:
        return ('<section><h2>Strength</h2><p class="none">No sets in these weeks.</p>'
                "</section>")
    loaded = [r for r in rows if not r["body_weight"]]
    dashes = (("none", "circle"), ("6 4", "square"), ("2 3", "triangle"), ("10 3 2 3", "circle"))
    charts = ""
    if loaded:
        series = [(r["name"], [w["max_kg"] for w in r["weeks"]], *dashes[i % len(dashes)])
                  for i, r in enumerate(loaded[:4])]
        charts = _chart(series, _labels(starts), "heaviest set, kg")
    table = []
    for r in rows:
        cells = "".join(
            '<td class="n">–</td>' if not w["sets"] else
            f'<td class="n">{_num(w["max_kg"], "{:.1f} kg")}<br>{w["sets"]}×{_reps(w)}</td>'
            if not r["body_weight"] else
            f'<td class="n">{w["sets"]} sets<br>{w["reps"]} reps</td>' for w in r["weeks"])
        target = _num(r["target_kg"], "{:.1f} kg") if not r["body_weight"] else "body weight"
        table.append(f"<tr><td>{_e(r['name'])}</td>{cells}<td>{_e(target)}</td>"
                     f"<td>{_e(r['trend'] or '–')}</td></tr>")
    whead = "".join(f'<th class="n">{_e(lab)}</th>' for lab in _labels(starts))
    more = "" if len(loaded) <= 4 else f"<p>Chart: the first 4 of {len(loaded)} exercises.</p>"
    return ("<section><h2>Strength: load by week</h2><p>Heaviest set of each week (kg) and "
            "sets × reps; body-weight work by its sets and reps.</p>" + charts + more
            + f"<table><tr><th>Exercise</th>{whead}<th>Target</th><th>Trend</th></tr>"
            + "".join(table) + "</table></section>")


def _reps(week: Mapping[str, Any]) -> str:
    return f"{week['reps'] / week['sets']:.0f}" if week["sets"] else "0"


def _cadence(report: Mapping[str, Any], starts: Sequence[str]) -> str:
    rows = report["cadence"]
    if not any(w["minutes"] for r in rows for w in r["weeks"]):
        return ('<section><h2>Marching cadence</h2><p class="none">No marching in these '
                "weeks.</p></section>")
    names = {"cardio_high": "brisk days", "cardio_low": "gentle days"}
    shapes = {"cardio_high": ("none", "triangle"), "cardio_low": ("6 4", "square")}
    series = [(names[r["block"]], [w["mean_spm"] for w in r["weeks"]], *shapes[r["block"]])
              for r in rows]
    chart = _chart(series, _labels(starts), "steps a minute")
    table = "".join(
        f"<tr><td>{_e(names[r['block']])}</td>"
        + "".join(f'<td class="n">{_num(w["mean_spm"], "{:.0f}")} / '
                  f'{_num(w["target_spm"], "{:.0f}")}<br>{w["minutes"]:.0f} min, '
                  f'{_pct(w["on_pace_share"])} on pace</td>' if w["minutes"] else
                  '<td class="n">–</td>' for w in r["weeks"]) + "</tr>" for r in rows)
    whead = "".join(f'<th class="n">{_e(lab)}</th>' for lab in _labels(starts))
    return ("<section><h2>Marching cadence</h2><p>Mean steps a minute against the target, "
            "minutes marched, and the share of minutes within 10 steps a minute of the "
            "target.</p>" + chart + f"<table><tr><th>Days</th>{whead}</tr>{table}</table>"
            "</section>")


def _pain(report: Mapping[str, Any]) -> str:
    pain = report["pain"]
    hurt = pain["hurt"]
    items = "".join(f"<li>{_e(_day(p['date']))}: {_e(p['name'])}</li>" for p in hurt)
    unans = "".join(f"<li>{_e(_day(p['date']))}: {_e(p['name'])}</li>"
                    for p in pain["unanswered"])
    return ("<section><h2>Pain answers</h2>"
            f"<p>{pain['answered']} answers to \"did that hurt?\"; \"it hurt\": "
            f"{len(hurt)}.</p>" + (f"<ul>{items}</ul>" if items else "")
            + (f"<p>Stretches with no answer: {len(pain['unanswered'])}</p><ul>{unans}</ul>"
               if unans else "") + "</section>")


def _skipped(report: Mapping[str, Any]) -> str:
    rows = [(s["date"], s["slot"], s["name"], s["why"]) for s in report["skipped"]] + [
        (s["date"], s["slot"], s["name"], s["what"]) for s in report["short_of_dose"]]
    if not rows:
        return ('<section><h2>Skipped or short of the dose</h2><p class="none">Nothing '
                "skipped or cut short in these weeks.</p></section>")
    body = "".join(f"<tr><td>{_e(_day(d))}</td><td>{_e(slot)}</td><td>{_e(name)}</td>"
                   f"<td>{_e(why)}</td></tr>" for d, slot, name, why in sorted(rows))
    return ("<section><h2>Skipped or short of the dose</h2><table><tr><th>Day</th>"
            f"<th>Session</th><th>Exercise</th><th>Why</th></tr>{body}</table></section>")


def _later(report: Mapping[str, Any]) -> str:
    clear = report["clearance"]
    state = "cleared" if clear["impact_cleared"] else "not cleared"
    if clear["status"] == "recorded":
        who = f"Impact work {state} by {clear['who']} on {clear['when']} ({clear['impact']})."
    else:
        who = f"Impact work {state}. Who cleared it, and when: not recorded yet."
    out = ["<section><h2>Progression and clearance</h2>", f"<p>{_e(who)}</p>",
           _decisions(report["progression"]), "</section>",
           _balance(report["balance"], _labels([w["start"] for w in report["weeks"]])),
           _chair(report["chair_stands"])]
    return "\n".join(out)


def _balance(sec: Mapping[str, Any], labels: Sequence[str]) -> str:
    """Steadiness and one-leg times as trends, stomp symmetry in the table (the mat's figures)."""
    if sec["status"] != "recorded":
        return ('<section><h2>Balance</h2><p class="none">Balance times and steadiness: not '
                "recorded yet.</p></section>")
    steady, stances, stomps = sec["steadiness"], sec["stances"], sec["stomp_symmetry"]
    share = _chart([("standing", [w["share_left_pct"] for w in steady], "none", "circle"),
                    ("stomps", [w["left_share_pct"] for w in stomps], "6 4", "square")],
                   labels, "left share, per cent", 50.0, height=130, target_name="even")
    wobble = _chart([("wobble", [w["wobble_pp"] for w in steady], "2 3", "triangle")],
                    labels, "wobble, points of left share", height=110)
    hold = _chart([("left", [w["best_left_s"] for w in stances], "none", "circle"),
                   ("right", [w["best_right_s"] for w in stances], "6 4", "square")],
                  labels, "best one-leg stance, s", height=130)
    rows = "".join(
        f"<tr><td>{_e(lab)}</td><td class=\"n\">{_num(st['share_left_pct'], '{:.0f} %')}</td>"
        f"<td class=\"n\">{_num(st['wobble_pp'], '{:.1f}')}</td>"
        f"<td class=\"n\">{_num(sp['left_share_pct'], '{:.0f} %')}</td>"
        f"<td class=\"n\">{_num(sn['best_left_s'], '{:.1f} s')}</td>"
        f"<td class=\"n\">{_num(sn['best_right_s'], '{:.1f} s')}</td>"
        f"<td class=\"n\">{sn['total_s']:.0f} s</td></tr>"
        for lab, st, sp, sn in zip(labels, steady, stomps, stances, strict=True))
    return ("<section><h2>Balance</h2><p>Weekly medians from the mat. Left share: the left "
            "foot's part of the weight standing quietly (solid line, dots) and of the stomps' "
            "peaks (dashed, squares); 50 is even (dotted). Wobble: how far the share moved "
            "while standing still (dotted, triangles; lower is steadier).</p>" + share + wobble
            + "<p>Best one-leg stance each week, timed by the mat: left (solid, dots), right "
            "(dashed, squares).</p>" + hold
            + '<table><tr><th>Week of</th><th class="n">standing left share</th>'
            '<th class="n">wobble</th><th class="n">stomps left share</th>'
            '<th class="n">best left</th><th class="n">best right</th>'
            f'<th class="n">one leg in all</th></tr>{rows}</table></section>')


def _chair(sec: Mapping[str, Any]) -> str:
    """The 30-second chair stand tests against the norm band for the person's age and sex."""
    if sec["status"] != "recorded":
        return ('<section><h2>Chair stands</h2><p class="none">Chair stands against norms: '
                "not recorded yet.</p></section>")
    tests = "".join(f"<tr><td>{_e(_day(t['date']))}</td><td class=\"n\">{t['stands']}</td>"
                    f"<td>{_e(chair_line(t, sec['sex']).split('; ', 1)[1])}</td></tr>"
                    for t in sec["tests"])
    reps = sum(w["reps"] for w in sec["weeks"])
    table = ("<table><tr><th>Test</th><th class=\"n\">stands in 30 s</th><th>Norm band</th>"
             f"</tr>{tests}</table>" if tests
             else '<p class="none">No 30-second test in these weeks.</p>')
    return ("<section><h2>Chair stands</h2>"
            f"<p>Sit-to-stands the mat counted in these weeks: {reps}.</p>" + table
            + f"<p class=\"legend\">Norms: {_e(sec['norms_source'])}.</p></section>")


def _decisions(section: Mapping[str, Any]) -> str:
    """Each progression decision as its one line ("sit_to_stand 4 → 5 kg on 12 Dec: ...")."""
    if section["status"] != "recorded":
        return _rows_or_none(section, "Progression decisions")
    items = "".join(f"<li>{_e(r['line'])}</li>" for r in section["rows"])
    return f"<p><strong>Progression decisions</strong></p><ul>{items}</ul>"


def _rows_or_none(section: Mapping[str, Any], title: str) -> str:
    if section["status"] != "recorded":
        return f'<p class="none">{_e(title)}: not recorded yet.</p>'
    rows = section["rows"]
    keys = list(rows[0])
    head = "".join(f"<th>{_e(k.replace('_', ' '))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{_e(r[k])}</td>" for k in keys) + "</tr>"
                   for r in rows)
    return f"<p><strong>{_e(title)}</strong></p><table><tr>{head}</tr>{body}</table>"
