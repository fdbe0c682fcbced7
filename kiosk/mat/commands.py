"""Subcommands of the mat room: ``replay``, ``record`` and ``calibrate``."""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import cliutil
from kiosk.clock import Clock
from kiosk.errors import KioskError, UsageError
from kiosk.output import dumps, emit
from kiosk.seams import MatSource


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's subcommands to the `osteo-kiosk` parser."""
    p = sub.add_parser("replay", help="run a recorded mat trace (CSV) through the detector",
                       description="Run a recorded trace (CSV t,left,right[,left2,right2]) "
                       "through the live detector and print its events, then a summary. "
                       "Output: with --json, one JSON object per event, then a last "
                       "{\"summary\": ...} line; with --table, a readable table of events and "
                       "a summary. With neither, JSON lines when the output is a pipe or file "
                       "(scripts) and the table on a terminal.")
    p.add_argument("file", metavar="FILE.csv", help="the trace")
    p.add_argument("--calibration", metavar="FILE",
                   help="a saved calibration (else the trace calibrates from its opening)")
    p.add_argument("--target-bw", type=float, metavar="X",
                   help="stomp target in body weights (default: program.stomp_target_bw)")
    p.add_argument("--baseline", action="store_true",
                   help="also run the simple fixed-threshold counter (a yardstick) and add its "
                   "counts to the summary as \"baseline\"")
    p.add_argument("--movements", action="store_true",
                   help="also watch for quiet standing (left share, wobble), one-leg stances "
                   "and chair stands, and compare the landings left and right: a "
                   "\"movements\" key in the summary, lines after the table")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true",
                      help="JSON lines for machines: one object per event, then the summary "
                      "(the default when the output is not a terminal)")
    form.add_argument("--table", action="store_true",
                      help="a readable table of events and a summary (the default on a "
                      "terminal)")
    cliutil.add_config(p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("record", help="record the real mat to a CSV trace",
                       description="Record the mat (through the MCP3008) for N seconds into a "
                       "CSV trace that `replay` reads.")
    p.add_argument("--seconds", type=float, required=True, metavar="N", help="how long")
    p.add_argument("file", metavar="FILE.csv", help="where to write the trace")
    cliutil.add_config(p)
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("calibrate", help="calibrate the mat: empty, then standing still",
                       description="Calibrate the mat for one person: keep it empty, then "
                       "stand still on it, one foot on each side. The real mat's calibration "
                       "is saved in the data directory (calibration.json) unless --output "
                       "says where; a simulated one (--mat sim) is saved only with --output.")
    p.add_argument("--mat", choices=("mcp3008", "sim"),
                   help="the real mat (default) or a simulated one to see how it goes")
    p.add_argument("--output", metavar="FILE",
                   help="where to save the calibration (default for the real mat: "
                   "<data_dir>/calibration.json; a simulated one is not saved without it)")
    p.add_argument("--practice", type=int, default=0, metavar="N",
                   help="then N practice stomps to set a personal (never higher) target")
    cliutil.add_config(p)
    cliutil.add_json(p)
    cliutil.add_person(p, "weigh-in (saved as calibration-NAME.json)")
    p.set_defaults(func=cmd_calibrate)


def _now_iso() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def cmd_replay(args: argparse.Namespace) -> int:
    from kiosk.mat.events import Landing
    from kiosk.mat.force import Calibration
    from kiosk.mat.replay import (
        event_json,
        read_trace,
        replay,
        replay_baseline,
        replay_table,
        summarize,
    )
    from kiosk.mat.watch import movement_lines, watch_trace

    config = cliutil.config_from(args)
    target = args.target_bw
    if target is not None and not 1.1 <= target <= 4.0:
        raise UsageError(f"--target-bw {target:g} is out of range (allowed: 1.1 to 4.0)")
    calibration = Calibration.load(args.calibration) if args.calibration else None
    if target is None:
        target = (calibration.target_bw if calibration and calibration.target_bw
                  else config.program.stomp_target_bw)
    trace = read_trace(args.file)
    cal, events = replay(trace, target, calibration, _now_iso(), config.mat.divider_ohms,
                         label=str(args.file))
    out = sys.stdout
    summary = summarize(events)
    if args.baseline:
        counter = replay_baseline(trace, calibration, _now_iso(), config.mat.divider_ohms,
                                  label=str(args.file))
        summary["baseline"] = {"landings": counter.counts}
    if args.movements:
        summary["movements"] = watch_trace(cal, trace.layout, trace.samples, [
            (e.foot, e.peak_bw) for e in events if isinstance(e, Landing) and not e.saturated])
    as_table = args.table or (not args.json and _is_tty(out))
    if as_table:
        out.write("\n".join([replay_table(events, summary), *(
            movement_lines(summary["movements"]) if args.movements else [])]) + "\n")
        return 0
    for e in events:
        out.write(dumps(event_json(e)) + "\n")
    out.write(dumps({"summary": summary}) + "\n")
    return 0


def _is_tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _columns(layout: Any) -> tuple[list[str], list[int]]:
    """CSV header and, for each column after t, the index in a sample's counts."""
    names = ["left", "left2"][: len(layout.left)] + ["right", "right2"][: len(layout.right)]
    order = ["left", "right", "left2", "right2"]
    cols = [n for n in order if n in names]
    return ["t", *cols], [names.index(c) for c in cols]


def cmd_record(args: argparse.Namespace) -> int:
    from kiosk.mat.adc import open_mat
    from kiosk.mat.events import samples_only
    from kiosk.mat.force import Layout

    if not 0 < args.seconds <= 3600:
        raise UsageError("--seconds must be more than 0 and at most 3600")
    config = cliutil.config_from(args)
    path = Path(args.file)
    layout = Layout.from_config(config.mat)
    header, index = _columns(layout)
    sampler = open_mat(config.mat)
    samples = []
    sampler.start()
    try:
        end = time.monotonic() + args.seconds
        while time.monotonic() < end:
            time.sleep(0.05)
            samples += samples_only(sampler.drain())
        samples += samples_only(sampler.drain())
    finally:
        sampler.close()
    if not samples:
        raise KioskError("no samples were read from the mat")
    t0 = samples[0][0]
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for t, counts in samples:
                w.writerow([f"{t - t0:.4f}", *(counts[i] for i in index)])
    except OSError as exc:
        raise KioskError(f"{path}: cannot write the trace ({exc.strerror})") from None
    stats = sampler.stats()
    print(f"recorded {len(samples)} samples in {args.seconds:g} s "
          f"({stats.get('achieved_rate_hz')} Hz, jitter {stats.get('jitter_ms')} ms) to {path}",
          file=sys.stderr)
    return 0


def cmd_calibrate(args: argparse.Namespace, *, mat: MatSource | None = None,
                  clock: Clock | None = None, wait: Callable[[float], object] = time.sleep) -> int:
    """Calibrate on ``mat`` (default: the real mat, or a simulated one on ``clock``), pausing
    with ``wait`` between drains; tests pass a recorded mat, a fake clock and its ``advance``."""
    from kiosk.clock import MonotonicClock, ScaledClock
    from kiosk.mat.calibrate import DONE, FAILED, STANDING, Calibrator
    from kiosk.mat.detector import MatDetector
    from kiosk.mat.events import Landing, samples_only
    from kiosk.mat.force import Layout, personal_target_bw

    config, person = cliutil.person_from(args, cliutil.config_from(args))
    layout = Layout.from_config(config.mat)
    if args.practice < 0 or args.practice > 10:
        raise UsageError("--practice must be 0 to 10")
    use_sim = args.mat == "sim" or (args.mat is None and config.mat.source == "sim")
    sim = None
    if use_sim:
        from kiosk.mat.sim import SimMat
        clock = clock or ScaledClock(4.0)
        sim = SimMat(clock, config.mat.rate_hz, layout)
        source: MatSource = sim
    else:
        clock = clock or MonotonicClock()
        if mat is None:
            from kiosk.mat.adc import open_mat
            mat = open_mat(config.mat, clock=clock).start()
        source = mat
    say = (lambda text: None) if args.json else (lambda text: print(text, flush=True))
    cal = Calibrator(layout, config.mat.divider_ohms, _now_iso())
    result = None
    last = ""
    try:
        while result is None and cal.phase != FAILED:
            wait(1 / 30)
            result = cal.feed_batch(samples_only(source.drain()))
            prog = cal.progress()
            line = f"[{prog.phase} {int(prog.fraction * 100):3d}%] {prog.message}"
            if prog.message != last:
                say(line)
                last = prog.message
            if sim is not None and prog.phase == STANDING and not sim.standing:
                sim.step_on()
        if cal.phase == FAILED:
            raise KioskError(f"calibration failed: {cal.failure}")
        assert result is not None and cal.phase == DONE
        if args.practice:
            say(f"Now {args.practice} practice stomps, as hard as is comfortable.")
            det = MatDetector(result, layout, config.program.stomp_target_bw)
            peaks: list[float] = []
            end = clock.now() + 30 + 5 * args.practice
            if sim is not None:
                for k in range(args.practice):
                    sim.stomp("left" if k % 2 else "right", 1.8 + 0.1 * k)
            while len(peaks) < args.practice and clock.now() < end:
                wait(1 / 30)
                for e in det.feed_batch(samples_only(source.drain())):
                    if isinstance(e, Landing):
                        peaks.append(e.peak_bw)
                        say(f"  stomp {len(peaks)}: {e.peak_bw:.2f} x body weight")
            target = personal_target_bw(peaks, config.program.stomp_target_bw)
            result = replace(result, target_bw=target)
            say(f"Your stomp target: {target:.2f} x body weight.")
    finally:
        if sim is None:
            source.close()
    if args.output:
        path: Path | None = Path(args.output)
    elif use_sim:
        path = None  # never overwrite the person's real calibration with a simulated one
    else:
        path = config.calibration_file(person)  # that person's weigh-in
    if path is None:
        text = "Calibrated (simulated mat): not saved; give --output FILE to keep it."
    else:
        result.save(path)
        text = f"Calibrated. Saved to {path}."
    emit({"saved": None if path is None else str(path), "simulated": use_sim,
          **asdict(result)}, args.json, text)
    return 0
