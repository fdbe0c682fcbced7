"""Subcommands of the store room: ``log``, ``report`` and ``export``, read over SSH.

They are thin: parse, open the log read-only (never blocking the kiosk), ask the store, hand the
rows to the pure report code, print a table, ``--json`` or ``--csv`` (the same two flags on each
command that prints rows; ``export`` writes files and says so in its flags: ``--csv-dir``,
``--json-file``), or for ``report`` one printable page (``--html``). Errors are one sentence,
exit 1; for scripts, a log with nothing in it yet is ``[]`` (or a CSV header), exit 0.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kiosk.cliutil import add_config, config_from
from kiosk.errors import KioskError
from kiosk.output import add_formats, csv_text, emit, table, terminal_width
from kiosk.program.safety import impact_work_allowed, profile_from
from kiosk.store import balance_report, report_html, reports, sections
from kiosk.store import export as export_mod
from kiosk.store.db import LogReader, StoreError, open_reader, parse_utc, store_path
from kiosk.store.facts import Clearance, PainFlag, Progression, SessionRow
from kiosk.store.sections import name_of

if TYPE_CHECKING:
    from kiosk.config import Config

_LOG_COLUMNS = ("date", "slot", "start", "min", "status", "steps", "stomps", "sets",
                "holds", "hurt")
_GLYPHS = "✓✗◐○·█▁│–×"
#: The columns of ``log --csv``: a session a line (``--json`` adds each session's steps).
_LOG_CSV = ("id", "person", "slot", "plan_date", "started_utc", "ended_utc", "status", "minutes",
            "steps_done", "steps_total", "stomps_left", "stomps_right", "sets", "holds",
            "intervals", "pain")
#: The columns of ``report --csv``: a day and block a line, as the grid shows them.
_REPORT_CSV = ("person", "date", "block", "label", "count", "due", "mark")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``log``, ``report`` and ``export`` to the `osteo-kiosk` parser."""
    p = sub.add_parser(
        "log", help="recent sessions: when, what was done, how each ended",
        description="List recent sessions, newest first. A session cut short by a power cut or "
                    "crash reads 'interrupted' and keeps everything completed before it.")
    add_config(p)
    add_formats(p)
    p.add_argument("--since", metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)")
    p.add_argument("--limit", metavar="N", default="20",
                   help="show at most N sessions of each person (default 20; 0 for all)")
    p.add_argument("--steps", action="store_true", help="list each session's steps too")
    p.add_argument("--demo", action="store_true",
                   help="read the demo's own log (what `osteo-kiosk demo` last did), not the "
                        "person's")
    add_person(p)
    p.set_defaults(func=cmd_log)

    p = sub.add_parser(
        "report", help="this week and the 4 before against the prescription",
        description="A day-by-day check of each block against the prescription (stomps twice a "
                    "day, stretches, extensors daily, strength 2-3 days a week, brisk and gentle "
                    "cardio days); a block counts only when its dose was met. Pain flags, the "
                    "last session, days with nothing done, streaks, stomp force and the share at "
                    "target per foot, strength loads (body-weight work by reps), cadence against "
                    "its target, skipped exercises and why. --csv gives the day grid.")
    add_config(p)
    add_formats(p)
    p.add_argument("--html", metavar="FILE",
                   help="write one printable, self-contained HTML page to FILE ('-' for "
                        "standard output), e.g. ssh osteo osteo-kiosk report --html - > r.html")
    p.add_argument("--week-of", metavar="DATE",
                   help="report on the week holding DATE (YYYY-MM-DD) instead of this week")
    p.add_argument("--today", metavar="DATE",
                   help="count days up to DATE (YYYY-MM-DD) as if it were today: the report a "
                        "helper would have read then (default: today)")
    add_person(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "export", help="the whole log as CSV files or one JSON file, for a clinic",
        description="Write every table of the log (sessions, steps, landings, holds, strength "
                    "sets, intervals, pain answers, calibrations, one-rep maxes) with the column "
                    "list documented in docs/store.md. Times are UTC. Demo sessions are left "
                    "out unless --include-demo is given; every row says its session's slot.")
    add_config(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--csv-dir", metavar="DIR", dest="csv_dir",
                       help="write one TABLE.csv per table into DIR")
    where.add_argument("--json-file", metavar="FILE", dest="json_file",
                       help="write one JSON document to FILE ('-' for standard output)")
    p.add_argument("--since", metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)")
    p.add_argument("--include-demo", action="store_true",
                   help="include demo sessions (slot 'demo': simulated, not the person's)")
    add_person(p)
    p.set_defaults(func=cmd_export)


def add_person(p: argparse.ArgumentParser) -> None:
    """``--person NAME``: one person's records; everyone's by default, each apart."""
    p.add_argument("--person", metavar="NAME",
                   help="only this person's records (a [people.NAME] table of the config, or "
                        "their name); default: everyone, each under their own heading")


@dataclass(frozen=True)
class Whose:
    """Someone whose records are read: their log key, the name to head them with, and their
    configuration (the household's shared one for a key only the log knows)."""

    key: str
    name: str
    config: Config


def whose(person: str | None, config: Config, reader: LogReader | None) -> list[Whose]:
    """The people to read, in the config's order, then anyone only the log names (history
    from before a household was set up is never hidden); ``person`` picks one, by log key or
    name, and an unknown one is one sentence naming who there is."""
    known = [Whose(p.key, p.name or p.key, config.for_person(p.key)) for p in config.people]
    in_log = reader.people() if reader is not None else []
    known += [Whose(k, k, config) for k in in_log if k not in config.names()]
    if person is None:
        return known
    wanted = person.casefold()  # a log key first, then a name (as ``Config.find``)
    found = ([w for w in known if w.key.casefold() == wanted]
             or [w for w in known if w.name.casefold() == wanted])
    if not found:
        raise KioskError(f"--person: {person!r} is not one of the people (allowed: "
                         f"{', '.join(w.key for w in known)})")
    return found[:1]


def _heading(w: Whose, several: bool) -> list[str]:
    return [f"== {w.name} (--person {w.key}) ==", ""] if several else []


def parse_date(text: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or one clear sentence saying what was expected."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise KioskError(f"{option}: {text!r} is not a date (use YYYY-MM-DD, "
                         "e.g. 2024-05-13)") from None


def _parse_limit(text: str) -> int | None:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise KioskError(f"--limit: {text!r} is not a whole number of sessions (0 for all)")
    return n or None


def _reader(args: argparse.Namespace) -> LogReader:
    return open_reader(store_path(config_from(args)))


def _format(args: argparse.Namespace) -> str:
    return "json" if getattr(args, "json", False) else "csv" if getattr(args, "csv", False) \
        else "text"


def _open_or_empty(path: Path, fmt: str) -> LogReader | None:
    """The reader; ``None`` for a log not written yet when a script asked (``[]``, exit 0)."""
    if fmt != "text" and not path.is_file():
        return None
    return open_reader(path)


def _names() -> dict[str, str]:
    """Exercise names people use, from the catalogue; ids stay if it cannot be read."""
    from kiosk.program.catalogue import load_catalogue

    try:
        return {ex.id: ex.name for ex in load_catalogue().values()}
    except (KioskError, OSError):
        return {}


def _local_hm(utc: str | None) -> str:
    return parse_utc(utc).astimezone().strftime("%H:%M") if utc else "-"


def _log_row(s: dict[str, Any]) -> dict[str, Any]:
    return {"date": s["plan_date"], "slot": s["slot"], "start": _local_hm(s["started_utc"]),
            "min": "-" if s["minutes"] is None else f"{s['minutes']:.0f}",
            "status": s["status"], "steps": f"{s['steps_done']}/{s['steps_total']}",
            "stomps": f"{s['stomps_left']}/{s['stomps_right']}", "sets": s["sets"],
            "holds": s["holds"], "hurt": s["pain"]}


def _kg(load: Any) -> str:
    return "body weight" if load is None else f"{load:g} kg"


def achieved_text(kind: str, target: dict[str, Any], achieved: dict[str, Any] | None) -> str:
    """What a step did, in words: ``stomps at target L 4/4 R 2/4, 11 landings``;
    the one-leg balance's best per side in seconds, of the program's ceiling."""
    a = achieved or {}
    if kind == "stomp" and "stomps" in a:
        per = target.get("per_foot", "?")
        feet = a["stomps"]
        return (f"stomps at target L {feet.get('left', 0)}/{per} R {feet.get('right', 0)}/{per}"
                f", {a.get('landings', 0)} landings")
    if kind == "strength" and a.get("test"):
        return (f"test: {a.get('reps', 0)} reps at {_kg(a.get('load_kg'))}"
                + (f", train at {a['target_kg']:g} kg" if a.get("target_kg") else ""))
    if kind == "strength" and isinstance(a.get("sets"), list):
        reps = ", ".join(str(r) for r in a["sets"]) or "none"
        return f"reps by set {reps} ({target.get('sets', '?')}×{target.get('reps', '?')} due) " \
               f"at {_kg(a.get('load_kg'))}"
    if "holds" in a:
        held = ", ".join(f"{h['side']} {h['held_s']:.0f} s" for h in a["holds"]) or "none"
        hurt = {True: "it hurt", False: "no pain", None: "no answer"}[a.get("hurt")] \
            if kind == "stretch" else ""
        return f"held {held}" + (f"; {hurt}" if hurt else "")
    if kind == "cardio" and "steps" in a:
        return f"{a['steps']} steps, target {a.get('target_spm', 0):.0f}/min"
    if kind == "balance" and isinstance(a.get("sides"), dict):
        best = " ".join(f"{side[0].upper()} {v.get('best_s', 0):.1f}"
                        for side, v in a["sides"].items())
        return (f"one leg {best} s of {a.get('ceiling_s', 0):.0f}"
                + (f", wobble {a['wobble_pp']:.1f} pp" if a.get("wobble_pp") is not None else ""))
    if kind == "chair_test" and "stands" in a:
        return f"{a['stands']} stands in {a.get('seconds', 30):.0f} s"
    return "; ".join(f"{k.replace('_', ' ')} {plain(v)}" for k, v in a.items())


def plain(value: object) -> str:
    """A logged value as a person reads it: no brackets, quotes or long decimals."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, dict):
        return ", ".join(f"{str(k).replace('_', ' ')} {plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(plain(v) for v in value) or "none"
    return "none" if value is None else str(value)


def _step_line(st: dict[str, Any], names: dict[str, str], width: int = 80) -> str:
    what = achieved_text(st["kind"], st["target"], st["achieved"])
    name = name_of(st["exercise_id"], names)
    line = f"    {name:<24} {st['status']:<8} {what}".rstrip()
    return line if len(line) <= width else line[: width - 1] + "…"


def cmd_log(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Recent sessions as a table, or as JSON with each session's steps."""
    since = parse_date(args.since, "--since")
    limit = _parse_limit(args.limit)
    fmt = _format(args)
    stream = out or sys.stdout
    config = config_from(args)
    path = store_path(config)
    if args.demo:  # the demo's household and its own log
        from kiosk.demo import demo_household, demo_log_path

        config, path = demo_household(config), demo_log_path(config)
    reader = _open_or_empty(path, fmt)
    people = whose(args.person, config, reader)
    sessions: list[dict[str, Any]] = []
    incidents: list[dict[str, Any]] = []
    if reader is not None:
        try:
            sessions = [s for w in people  # each person's newest, so no one is crowded out
                        for s in reader.for_person(w.key).sessions(since=since, limit=limit)]
            sessions.sort(key=lambda s: (s["started_utc"], s["id"]), reverse=True)
            for s in sessions:
                s["steps"] = reader.steps_of(s["id"])
            incidents = reader.incidents(since_utc=datetime.now(UTC) - timedelta(days=30))
        finally:
            reader.close()
    if fmt == "json":  # each session names its person
        emit(sessions, True, out=stream)
        return 0
    if fmt == "csv":
        stream.write(csv_text(sessions, _LOG_CSV))
        return 0
    assert reader is not None
    several = len(people) > 1
    lines: list[str] = []
    for w in people:
        mine = [s for s in sessions if s["person"] == w.key]
        lines += _heading(w, several) + _log_lines(mine, reader, since, args.steps, stream)
        lines += [""] if several else []
    for inc in incidents[:1]:
        lines.append(f"note ({inc['created_utc'][:10]}): {inc['detail']}")
    emit(sessions, False, "\n".join(lines).rstrip("\n"), out=stream)
    return 0


def _log_lines(sessions: list[dict[str, Any]], reader: LogReader, since: date | None,
               steps: bool, stream: TextIO) -> list[str]:
    """One person's sessions as the table (and steps) ``log`` prints."""
    if not sessions:
        where = f" since {since.isoformat()}" if since else " yet"
        return [f"no sessions logged{where} at {reader.path}"]
    width = terminal_width(stream)
    names = _names() if steps else {}
    head, rule, *body = table([_log_row(s) for s in sessions], _LOG_COLUMNS,
                              width).splitlines()
    lines = [head, rule]
    for line, s in zip(body, sessions, strict=True):
        lines.append(line)
        if steps:
            lines += [_step_line(st, names, width) for st in s["steps"]]
    return lines


def last_session(reader: LogReader) -> SessionRow | None:
    """The newest session that is the person's (not a demo), its start in local time."""
    rows = reader.sessions(limit=1, demo=False)
    if not rows:
        return None
    s = rows[0]
    return SessionRow(s["plan_date"], s["slot"], _local_hm(s["started_utc"]), s["status"],
                   s["minutes"], s["steps_done"], s["steps_total"])


def collect_report(reader: LogReader, rx: reports.Prescription, today: date,
                   week_of: date | None = None, *, names: dict[str, str] | None = None,
                   person: str = "", later: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read the rows the report needs and build it (the SQL stays in db, the math in reports)."""
    week_of = week_of or today
    weeks = reports.window_weeks(week_of)
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    return reports.build_report(
        today=today, week_of=week_of, rx=rx, facts=reader.step_facts(first, last),
        history=reader.dose_days(first, rx.stomps_per_foot), first_date=reader.first_plan_date(),
        landings=reader.window_landings(first, last), sets=reader.window_sets(first, last),
        intervals=reader.window_intervals(first, last), last=last_session(reader),
        targets=reader.latest_onerm_targets(), names=names or {}, person=person, later=later)


def named_line(line: str, names: dict[str, str]) -> str:
    """A decision's line with each exercise id in it as the name people use."""
    for ex_id in sorted(names, key=len, reverse=True):
        line = re.sub(rf"\b{re.escape(ex_id)}\b", names[ex_id], line)
    return line


def collect_later(reader: LogReader, config: Config, rx: reports.Prescription, today: date,
                  week_of: date | None = None, *,
                  names: dict[str, str] | None = None) -> dict[str, Any]:
    """Progression decisions of the report's weeks (today's worked out when the kiosk has not
    logged them yet), exercises paused after pain, who cleared impact work, when, and what
    the mat measured of balance and chair stands."""
    from kiosk.program.catalogue import load_catalogue
    from kiosk.progress_log import day_run, logged

    weeks = reports.window_weeks(week_of or today)
    first, last = weeks[0], min(today, weeks[-1] + timedelta(days=6))
    run = day_run(reader, config, load_catalogue(), today)
    decisions = reader.decisions(first, last)
    if not run.logged and first <= today <= last:
        decisions += [Progression(today.isoformat(), d.subject, d.rule, d.before, d.after,
                                  d.reason, d.line) for d in logged(run).decisions]
    decisions = [replace(d, line=named_line(d.line, names or {})) for d in decisions]
    paused = [PainFlag(since.isoformat(), ex, "paused",
                       f"paused since {since.isoformat()}: \"it hurt\" twice within a week; "
                       "back when the helper clears it ([profile] pain_cleared)")
              for ex, since in sorted(run.state.paused.items())]
    profile = profile_from(config)
    clearance = None
    if profile.impact_cleared and profile.cleared_by and profile.cleared_on:
        impact = "stomps and jogging" if not profile.fracture else (
            "after a fracture: " + (", ".join(sorted(profile.impact_override))
                                    if impact_work_allowed(profile) else "brisk walking only"))
        clearance = Clearance(profile.cleared_by, profile.cleared_on.isoformat(), impact)
    return sections.later_sections(progression=decisions, pain_flags=paused,
                                   clearance=clearance, impact_cleared=rx.impact,
                                   mat=collect_mat(reader, config, today, week_of),
                                   names=names or {})


def empty_report(rx: reports.Prescription, today: date, week_of: date | None = None, *,
                 person: str = "") -> dict[str, Any]:
    """The report of a log with nothing in it yet (scripts get its shape, exit 0)."""
    return reports.build_report(today=today, week_of=week_of or today, rx=rx, person=person)


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The day grid as rows (``report --csv``): one day and block a line, the days counted
    (from the first logged day up to today)."""
    return [{"date": d["date"], "block": b, "label": reports.LABELS[b], **d["blocks"][b]}
            for w in report["weeks"] for d in w["days"] for b in d["blocks"]
            if d["blocks"][b]["mark"] not in ("not_started", "future")]


def collect_mat(reader: LogReader, config: Config, today: date,
                week_of: date | None = None) -> balance_report.MatReport:
    """The mat's balance, symmetry and chair figures over the report's weeks."""
    weeks = reports.window_weeks(week_of or today)
    rows = reader.mat_rows(weeks[0], weeks[-1] + timedelta(days=6))
    return balance_report.build(rows, weeks, today, config.profile.birth_year,
                                config.profile.sex)


def _can_show(stream: TextIO, text: str = _GLYPHS) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def cmd_report(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """The five-week report against the prescription: text, JSON, CSV or a printable page."""
    week_of = parse_date(args.week_of, "--week-of")
    today = parse_date(args.today, "--today") or date.today()
    fmt = _format(args)
    if args.html is not None and fmt != "text":
        raise KioskError("--html: give it alone, not with --json or --csv")
    household = config_from(args)
    reader = _open_or_empty(store_path(household), fmt)
    made = []
    try:
        for w in whose(args.person, household, reader):
            made.append(_person_report(w, reader, today, week_of))
    finally:
        if reader is not None:
            reader.close()
    stream = out or sys.stdout
    if args.html is not None:
        write_html(report_html.render_people_html(made), args.html, stream)
        return 0
    if fmt == "csv":
        stream.write(csv_text([{"person": d["person_key"], **row} for d in made
                               for row in report_rows(d)], _REPORT_CSV))
        return 0
    if fmt == "json":  # the shape follows the command and the config, never the log's data:
        # one person's report for --person or a single-person kiosk (its person, first), and
        # a list, each with its person_key, for a household
        one = args.person is not None or not household.household
        emit(made[0] if one else made, True, out=stream)
        return 0
    several = len(made) > 1
    width, uni = terminal_width(stream), _can_show(stream)
    text = "\n\n".join(
        "\n".join([*_heading(Whose(d["person_key"], d["person"] or d["person_key"], household),
                            several), reports.render(d, width=width, unicode=uni)])
        for d in made)
    emit(made, False, text, out=stream)
    return 0


def _person_report(w: Whose, reader: LogReader | None, today: date,
                   week_of: date | None) -> dict[str, Any]:
    """One person's five-week report, by their own prescription and profile."""
    config = w.config
    rx = reports.Prescription.from_config(config, impact_work_allowed(profile_from(config)))
    person = str(config.profile.name) or (w.name if config.household else "")
    if reader is None:
        data = empty_report(rx, today, week_of, person=person)
    else:
        mine = reader.for_person(w.key)
        later = collect_later(mine, config, rx, today, week_of, names=_names())
        data = collect_report(mine, rx, today, week_of, names=_names(), person=person,
                              later=later)
    return {**data, "person_key": w.key}


def write_html(page: str, dest: str, stream: TextIO) -> None:
    """The page to ``dest`` (``-``: standard output), private like the export files."""
    if dest == "-":
        stream.write(page)
        return
    path = Path(dest)
    try:
        export_mod.atomic_write(path, page)
    except OSError as exc:
        raise StoreError(f"--html: cannot write {path} ({exc.strerror})") from None
    stream.write(f"wrote the report page to {path}\n")


def cmd_export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Write the log as CSV files or one JSON document and say what was written."""
    since = parse_date(args.since, "--since")
    demo = bool(args.include_demo)
    config = config_from(args)
    reader = open_reader(store_path(config))
    try:
        if args.person is not None:
            reader = reader.for_person(whose(args.person, config, reader)[0].key)
        if args.csv_dir:
            written = export_mod.write_csv(reader, Path(args.csv_dir), since, include_demo=demo)
        else:
            written = export_mod.write_json(reader, args.json_file, since, out=out,
                                            include_demo=demo)
        left_out = 0 if demo else reader.demo_sessions(since=since)
    finally:
        reader.close()
    note = (f"\n{left_out} demo session{'s' if left_out != 1 else ''} left out "
            "(--include-demo to add them)" if left_out else "")
    if args.csv_dir:
        emit(written, False,
             f"wrote {len(written)} files to {args.csv_dir}:\n{table(written)}{note}", out=out)
    elif written:
        emit(written, False,
             f"wrote {written[0]['rows']} records to {written[0]['file']}{note}", out=out)
    return 0
