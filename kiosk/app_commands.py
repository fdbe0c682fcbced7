"""Subcommands that run the whole kiosk: ``run``, ``demo``, ``config``, ``bench``, ``doctor``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kiosk import config as config_mod
from kiosk.cliutil import add_config, add_json, config_from
from kiosk.errors import ConfigError, KioskError
from kiosk.output import emit, table


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="start the kiosk (full screen on the Pi)",
                       description="Start the coach. On the Pi it fills the screen and reads "
                                   "the mat; elsewhere try --windowed --mat keyboard "
                                   "(left/right arrow = a stomp with that foot, space = step "
                                   "on/off, p = pause, s = skip, Esc = stop).")
    add_config(p)
    p.add_argument("--windowed", action="store_true", help="open a window instead of full screen")
    p.add_argument("--mat", choices=("auto", "mcp3008", "keyboard", "sim"),
                   help="where foot force comes from (default: mat.source in the config)")
    p.add_argument("--frames", type=int, default=0, help=argparse.SUPPRESS)  # tests: stop after N
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("demo", help="a short coached session with a simulated mat",
                       description="Run a short real session (calibration, four stomps a foot, "
                                   "one stretch hold) with a simulated person on a simulated "
                                   "mat; it is spoken, shown and written to the log. Works "
                                   "without a screen.")
    add_config(p)
    p.add_argument("--speed", type=float, default=4.0,
                   help="run this many times faster than real time (default 4)")
    p.add_argument("--screenshots", metavar="DIR", type=Path,
                   help="save a PNG of each screen shown into DIR")
    p.add_argument("--size", default="1280x720", help="window size WxH (default 1280x720)")
    add_json(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("config", help="check or show the configuration",
                       description="Validate the config file, or print the effective one.")
    csub = p.add_subparsers(dest="action", metavar="ACTION")
    c = csub.add_parser("check", help="list every problem in the config file",
                        description="List every problem in the config file at once.")
    add_config(c)
    c.set_defaults(func=cmd_config_check)
    c = csub.add_parser("show", help="print the effective configuration as TOML",
                        description="Print the effective configuration (file over defaults).")
    add_config(c)
    c.add_argument("--no-comments", action="store_true", help="leave out the explanations")
    add_json(c)
    c.set_defaults(func=cmd_config_show)
    c = csub.add_parser("path", help="print which config file is used",
                        description="Print the config file in use and the search order.")
    add_config(c)
    c.set_defaults(func=cmd_config_path)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])

    p = sub.add_parser("bench", help="measure speed: mat, voice, screen, log (JSON with --json)",
                       description="Measure the kiosk's speed on this machine.")
    add_config(p)
    add_json(p)
    p.add_argument("--only", help="comma-separated parts: mat,voice,screen,store,program,running")
    p.set_defaults(func=cmd_bench)

    try:
        from kiosk import doctor
    except ImportError:
        return
    doctor.register(sub)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise KioskError(f"--size {text!r} is not WIDTHxHEIGHT, e.g. 800x480") from None
    if not (320 <= w <= 7680 and 240 <= h <= 4320):
        raise KioskError(f"--size {text} is out of range (allowed: 320x240 to 7680x4320)")
    return w, h


def cmd_demo(args: argparse.Namespace) -> int:
    from kiosk.demo import run_demo

    cfg = config_from(args)
    result = run_demo(cfg, speed=args.speed, screenshots=args.screenshots,
                      size=parse_size(args.size), say=lambda s: print(s, file=sys.stderr))
    emit(result, args.json, text=describe_demo(result))
    return 0


def describe_demo(r: dict) -> str:
    from kiosk.store.commands import achieved_text

    lines = [f"Demo session {r.get('id')} ({r.get('status')}), run at {r.get('speed'):g}x speed; "
             f"voice: {r.get('voice')}.",
             f"Log: {r.get('log_path')} (read it with `osteo-kiosk log --demo --steps`)"]
    rows = [{"step": st["exercise_id"], "status": st["status"],
             "what happened": achieved_text(st["kind"], st.get("target") or {},
                                            st.get("achieved"))}
            for st in r.get("steps", [])]
    lines += ["", table(rows)]
    if r.get("second"):
        b = r["second"]
        lines += ["", f"Then a second person stepped on, was recognised by the mat from his "
                      f"weight and said it was him with a foot tap: session {b.get('id')} "
                      f"({b.get('status')}), logged as {b.get('person')}. People in the demo's "
                      f"log: {', '.join(r.get('people', []))}."]
    if r.get("screenshots"):
        lines += ["", f"Screenshots: {len(r['screenshots'])} PNG files, first "
                      f"{r['screenshots'][0]}"]
    return "\n".join(lines)


def cmd_config_check(args: argparse.Namespace) -> int:
    path, _ = config_mod.find_file(args.config)
    label = str(path) if path else "(defaults: no config file)"
    cfg: config_mod.Config | None
    try:
        cfg, problems = config_from(args), []
    except ConfigError as exc:  # still judge the program with the keys that were valid
        partial = exc.partial
        cfg = partial if isinstance(partial, config_mod.Config) else None
        problems = list(exc.problems)
    if cfg is not None:
        problems += program_problems(cfg, label)
    for line in problems:
        print(line)
    for line in program_cautions(cfg, label) if cfg is not None else []:
        print(line)  # extremes the schema accepts: said, but not a failure
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print(f"{label}: OK")
    return 0


def program_cautions(cfg: config_mod.Config, label: str) -> list[str]:
    """The program's warnings about extremes, as ``file: warning: section.key: ...``."""
    try:
        from kiosk.program.catalogue import load_catalogue
        from kiosk.program.cautions import program_warnings
    except ImportError:
        return []
    return [f"{label}: warning: {line}" for line in per_person(
        cfg, lambda c: program_warnings(c, load_catalogue()))]


def program_problems(cfg: config_mod.Config, label: str) -> list[str]:
    """What the safety filter refuses in ``program.include`` / ``exclude``, config-style."""
    try:
        from kiosk.program.catalogue import load_catalogue
        from kiosk.program.safety import request_problems
    except ImportError:
        return []
    return [f"{label}: {line}" for line in per_person(
        cfg, lambda c: request_problems(c, load_catalogue()))]


def per_person(cfg: config_mod.Config, judge: Callable[[config_mod.Config], list[str]]
               ) -> list[str]:
    """``section.key: ...`` lines for each person's configuration; in a household each is
    named ``people.NAME.section.key``, as the file holds it."""
    if not cfg.household:
        return judge(cfg)
    return [f"people.{p.key}.{line}" for p in cfg.people for line in judge(cfg.for_person(p.key))]


def cmd_config_show(args: argparse.Namespace) -> int:
    cfg = config_from(args)
    if args.json:
        emit(cfg.as_dict(), True)
    else:
        src = cfg.source or "(no config file: all defaults)"
        print(f"# effective configuration from {src}\n")
        print(config_mod.to_toml(cfg, comments=not args.no_comments))
    return 0


def cmd_config_path(args: argparse.Namespace) -> int:
    from kiosk.paths import system_config, xdg_config_file

    path, _ = config_mod.find_file(args.config)
    print(f"in use: {path or '(none: defaults)'}")
    print("search order: --config, $OSTEO_KIOSK_CONFIG, "
          f"{xdg_config_file()}, {system_config()}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from kiosk.bench import run_bench

    cfg = config_from(args)
    parts = [p.strip() for p in args.only.split(",")] if args.only else None
    result = run_bench(cfg, parts)
    emit(result, args.json, text=_bench_text(result))
    return 0


def _bench_text(result: dict) -> str:
    rows = []
    for part, figures in result.items():
        if isinstance(figures, dict):
            for key, value in _flatten(figures):
                rows.append({"part": part, "figure": key, "value": value})
        else:
            rows.append({"part": part, "figure": "", "value": figures})
    return table(rows, width=100)


def _flatten(d: dict, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for k, v in d.items():
        if isinstance(v, dict):
            yield from _flatten(v, f"{prefix}{k}.")
        else:
            yield f"{prefix}{k}", v


def cmd_run(args: argparse.Namespace) -> int:
    from kiosk import problems
    from kiosk.kiosk import run_kiosk, show_problem
    from kiosk.notify import crash_backoff

    crash_backoff()  # under systemd, repeated restarts wait longer and longer

    try:
        cfg = config_from(args)
    except ConfigError as exc:
        # the kiosk must not crash-loop on a typo: show it on screen, log every line, wait
        for line in exc.problems:
            print(f"osteo-kiosk: {line}", file=sys.stderr)
        show_problem(problems.CONFIG, windowed=args.windowed, frames=args.frames)
        return 1
    source = args.mat or cfg.mat.source
    return run_kiosk(cfg, source=source, windowed=args.windowed, frames=args.frames)
