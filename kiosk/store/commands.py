"""Subcommands of the store room: ``log``, ``report`` and ``export``, read over SSH.

They are thin: parse, open the log read-only (never blocking the kiosk), ask the store, hand the
rows to the pure report code, print a table or ``--json``. Errors are one sentence, exit 1.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from kiosk.cliutil import add_config, add_json, config_from
from kiosk.errors import KioskError
from kiosk.output import emit, table
from kiosk.store import balance_report, reports
from kiosk.store import export as export_mod
from kiosk.store.db import LogReader, open_reader, parse_utc, store_path

_LOG_COLUMNS = ("date", "slot", "start", "min", "status", "steps", "stomps", "sets",
                "holds", "hurt")
_GLYPHS = "✓✗◐○·█▁│–×"


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``log``, ``report`` and ``export`` to the `osteo-kiosk` parser."""
    p = sub.add_parser(
        "log", help="recent sessions: when, what was done, how each ended",
        description="List recent sessions, newest first. A session cut short by a power cut or "
                    "crash reads 'interrupted' and keeps everything completed before it.")
    add_config(p)
    add_json(p)
    p.add_argument("--since", metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)")
    p.add_argument("--limit", metavar="N", default="20",
                   help="show at most N sessions (default 20; 0 for all)")
    p.add_argument("--steps", action="store_true", help="list each session's steps too")
    p.set_defaults(func=cmd_log)

    p = sub.add_parser(
        "report", help="this week and the 4 before against the prescription",
        description="A day-by-day check of each block against the prescription (stomps twice a "
                    "day, stretches, extensors daily, strength 2-3 days a week, brisk and gentle "
                    "cardio days), streaks, the stomp-force trend per foot and the strength-load "
                    "trend.")
    add_config(p)
    add_json(p)
    p.add_argument("--week-of", metavar="DATE",
                   help="report on the week holding DATE (YYYY-MM-DD) instead of this week")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "export", help="the whole log as CSV files or one JSON file, for a clinic",
        description="Write every table of the log (sessions, steps, landings, holds, strength "
                    "sets, intervals, pain answers, calibrations, one-rep maxes) with the column "
                    "list documented in docs/store.md. Times are UTC. Demo sessions are left "
                    "out unless --include-demo is given; every row says its session's slot.")
    add_config(p)
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--csv", metavar="DIR", help="write one TABLE.csv per table into DIR")
    where.add_argument("--json", metavar="FILE", dest="json_file",
                       help="write one JSON document to FILE ('-' for standard output)")
    p.add_argument("--since", metavar="DATE", help="only sessions on or after DATE (YYYY-MM-DD)")
    p.add_argument("--include-demo", action="store_true",
                   help="include demo sessions (slot 'demo': simulated, not the person's)")
    p.set_defaults(func=cmd_export)


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


def _local_hm(utc: str | None) -> str:
    return parse_utc(utc).astimezone().strftime("%H:%M") if utc else "-"


def _log_row(s: dict[str, Any]) -> dict[str, Any]:
    return {"date": s["plan_date"], "slot": s["slot"], "start": _local_hm(s["started_utc"]),
            "min": "-" if s["minutes"] is None else f"{s['minutes']:.0f}",
            "status": s["status"], "steps": f"{s['steps_done']}/{s['steps_total']}",
            "stomps": f"{s['stomps_left']}/{s['stomps_right']}", "sets": s["sets"],
            "holds": s["holds"], "hurt": s["pain"]}


def _step_line(st: dict[str, Any], width: int = 80) -> str:
    achieved = ", ".join(f"{k}={v}" for k, v in (st["achieved"] or {}).items())
    line = f"    {st['block']:<11} {st['exercise_id']:<22} {st['status']:<8} {achieved}".rstrip()
    return line if len(line) <= width else line[: width - 1] + "…"


def cmd_log(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Recent sessions as a table, or as JSON with each session's steps."""
    since = parse_date(args.since, "--since")
    limit = _parse_limit(args.limit)
    reader = _reader(args)
    try:
        sessions = reader.sessions(since=since, limit=limit)
        for s in sessions:
            s["steps"] = reader.steps_of(s["id"])
        incidents = reader.incidents(since_utc=datetime.now(UTC) - timedelta(days=30))
    finally:
        reader.close()
    if args.json:
        emit(sessions, True, out=out)
        return 0
    if not sessions:
        where = f" since {since.isoformat()}" if since else " yet"
        emit(sessions, False, f"no sessions logged{where} at {reader.path}", out=out)
        return 0
    head, rule, *body = table([_log_row(s) for s in sessions], _LOG_COLUMNS).splitlines()
    lines = [head, rule]
    for line, s in zip(body, sessions, strict=True):
        lines.append(line)
        if args.steps:
            lines += [_step_line(st) for st in s["steps"]]
    for inc in incidents[:1]:
        lines.append(f"note ({inc['created_utc'][:10]}): {inc['detail']}")
    emit(sessions, False, "\n".join(lines), out=out)
    return 0


def collect_report(reader: LogReader, rx: reports.Prescription, today: date,
                   week_of: date | None = None) -> dict[str, Any]:
    """Read the rows the report needs and build it (the SQL stays in db, the math in reports)."""
    week_of = week_of or today
    weeks = reports.window_weeks(week_of)
    first, last = weeks[0], weeks[-1] + timedelta(days=6)
    return reports.build_report(
        today=today, week_of=week_of, rx=rx, day_counts=reader.day_counts(),
        first_date=reader.first_plan_date(), landings=reader.window_landings(first, last),
        sets=reader.window_sets(first, last), pain=reader.window_pain(first, last),
        targets=reader.latest_onerm_targets())


def collect_mat(reader: LogReader, config: Any, today: date,
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
    """The five-week report against the prescription, as text or JSON."""
    week_of = parse_date(args.week_of, "--week-of")
    config = config_from(args)
    reader = open_reader(store_path(config))
    try:
        data = collect_report(reader, reports.Prescription.from_config(config), date.today(),
                              week_of)
        mat = collect_mat(reader, config, date.today(), week_of)
        data["mat"] = balance_report.as_json(mat)
    finally:
        reader.close()
    stream = out or sys.stdout
    text = None if args.json else "\n".join(
        [reports.render(data, unicode=_can_show(stream)), "", *balance_report.render(mat)])
    emit(data, args.json, text, out=stream)
    return 0


def cmd_export(args: argparse.Namespace, out: TextIO | None = None) -> int:
    """Write the log as CSV files or one JSON document and say what was written."""
    since = parse_date(args.since, "--since")
    demo = bool(args.include_demo)
    reader = _reader(args)
    try:
        if args.csv:
            written = export_mod.write_csv(reader, Path(args.csv), since, include_demo=demo)
        else:
            written = export_mod.write_json(reader, args.json_file, since, out=out,
                                            include_demo=demo)
        left_out = 0 if demo else reader.demo_sessions(since=since)
    finally:
        reader.close()
    note = (f"\n{left_out} demo session{'s' if left_out != 1 else ''} left out "
            "(--include-demo to add them)" if left_out else "")
    if args.csv:
        emit(written, False,
             f"wrote {len(written)} files to {args.csv}:\n{table(written)}{note}", out=out)
    elif written:
        emit(written, False,
             f"wrote {written[0]['rows']} records to {written[0]['file']}{note}", out=out)
    return 0
