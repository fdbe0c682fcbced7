"""Performance figures for the log: the report over years of data, and one durable commit.

The data is generated in a temporary folder (five years, two sessions a day by default) with the
same tables the kiosk writes, so the report runs its real queries, math and rendering.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk import config as config_mod
from kiosk.store import report_html, reports
from kiosk.store.commands import collect_report
from kiosk.store.db import Store, open_reader, utc_text
from kiosk.store.records import (
    SetDone,
    StepStarted,
)

if TYPE_CHECKING:
    from kiosk.config import Config

REPORT_LIMIT_MS = 300.0
_STRETCHES = ("stretch_hip_flexor", "stretch_shoulder", "stretch_calf")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def generate(store: Store, days: int, today: date, rx: reports.Prescription) -> dict[str, int]:
    """Fill ``store`` with ``days`` days up to ``today``, two full sessions a day, as the
    kiosk would log them; returns row counts."""
    rows: dict[str, list[tuple]] = {t: [] for t in ("sessions", "steps", "landings", "holds",
                                                    "strength_sets", "intervals", "pain")}
    sid = stid = 0

    def step(session: int, exercise_id: str, kind: str, block: str, at: str) -> int:
        nonlocal stid
        stid += 1
        rows["steps"].append((stid, session, exercise_id, kind, block, "{}", "{}", "done", at, at))
        return stid

    for n in range(days):
        day = today - timedelta(days=days - 1 - n)
        for k, slot in enumerate(("morning", "evening")):
            sid += 1
            start = datetime(day.year, day.month, day.day, 8 + 9 * k, tzinfo=UTC)
            at = utc_text(start)
            rows["sessions"].append((sid, slot, day.isoformat(), at, utc_text(
                start + timedelta(minutes=25)), "done", ""))
            s = step(sid, "stomp", "stomp", "stomps", at)
            for i in range(8):
                rows["landings"].append((s, ("left", "right")[i % 2], i * 1.5,
                                         1.3 + (n % 40) / 50 + i % 3 / 10, 1, at))
            for ex in _STRETCHES:
                s = step(sid, ex, "stretch", "stretch", at)
                rows["holds"] += [(s, side, 25.0, 25.0, at) for side in ("left", "right")]
            rows["pain"].append((s, int(n % 97 == 0), at))
            if k == 0:
                s = step(sid, "prone_extension", "extensor", "extensor", at)
                rows["holds"] += [(s, "both", 5.0, 5.0, at) for _ in range(5)]
                high = day.weekday() in rx.high_cardio_days
                s = step(sid, "march", "cardio", "cardio_high" if high else "cardio_low", at)
                rows["intervals"] += [(s, 60.0, 110, 110.0, 115.0 if high else 90.0, at)
                                      for _ in range(10)]
                if day.weekday() in rx.strength_days:
                    for ex in ("goblet_squat", "wrist_curl"):
                        s = step(sid, ex, "strength", "strength", at)
                        rows["strength_sets"] += [(s, no, 8, 4.0 + n // 90, at) for no in (1, 2)]
    cols = {"sessions": ("id", "slot", "plan_date", "started_utc", "ended_utc", "status",
                         "owner"),
            "steps": ("id", "session_id", "exercise_id", "kind", "block", "target", "achieved",
                      "status", "started_utc", "ended_utc"),
            "landings": ("step_id", "foot", "t_s", "peak_bw", "stomp", "created_utc"),
            "holds": ("step_id", "side", "held_s", "target_s", "created_utc"),
            "strength_sets": ("step_id", "set_no", "reps", "load_kg", "created_utc"),
            "intervals": ("step_id", "seconds", "steps", "cadence_spm", "target_spm",
                          "created_utc"),
            "pain": ("step_id", "hurt", "created_utc")}
    for table, data in rows.items():
        store.bulk_insert(table, cols[table], data)
    return {t: len(r) for t, r in rows.items()}


def bench(config: Config | None = None, *, years: float = 5.0, commits: int = 200,
          runs: int = 7) -> dict[str, Any]:
    """Time ``report`` (open read-only, query, build, render) over ``years`` of data, and the
    cost of one durable commit (``add_set`` with WAL + synchronous=FULL) in a temporary folder
    (``$TMPDIR``: point it at the SD card to measure the Pi's own disk). ``config`` shapes the
    schedule; impact work is switched on so that every block has data."""
    config = (config or config_mod.defaults()).replace(profile={"impact_cleared": True})
    rx = reports.Prescription.from_config(config, stomps_allowed=True)
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="osteo-bench-") as tmp:
        path = Path(tmp) / "log.sqlite"
        t0 = time.perf_counter()
        store = Store.open(path, backup=False)
        counts = generate(store, int(years * 365.25), today, rx)
        store.close()
        generate_s = time.perf_counter() - t0

        report_ms, html_ms = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            reader = open_reader(path)
            data = collect_report(reader, rx, today)
            text = reports.render(data)
            reader.close()
            report_ms.append(_ms(time.perf_counter() - t0))
            t0 = time.perf_counter()
            reader = open_reader(path)
            page = report_html.render_html(collect_report(reader, rx, today))
            reader.close()
            html_ms.append(_ms(time.perf_counter() - t0))
        t0 = time.perf_counter()
        reader = open_reader(path)
        reader.sessions(limit=20)
        reader.close()
        log_ms = _ms(time.perf_counter() - t0)

        t0 = time.perf_counter()
        store = Store.open(path, backup=False)  # includes quick_check and migrations
        open_ms = _ms(time.perf_counter() - t0)
        sid = store.begin_session(slot="extra", started_utc=datetime.now(UTC), plan_date=today)
        step = store.begin_step(sid, StepStarted(exercise_id="goblet_squat", kind="strength",
                                                 block="strength", target={"reps": 8}))
        commit_ms = []
        for i in range(commits):
            t0 = time.perf_counter()
            store.add_set(step, SetDone(set_no=i + 1, reps=8, load_kg=5.0))
            commit_ms.append(_ms(time.perf_counter() - t0))
        t0 = time.perf_counter()
        backup = store.backup_if_due()
        backup_ms = _ms(time.perf_counter() - t0)
        store.close()
        size_mb = round(path.stat().st_size / 1e6, 2)
    return {
        "data": {"years": years, "sessions_per_day": 2, **counts, "file_mb": size_mb,
                 "generate_s": round(generate_s, 2)},
        "report_ms": {"median": statistics.median(report_ms), "max": max(report_ms),
                      "runs": runs, "limit": REPORT_LIMIT_MS,
                      "within_limit": statistics.median(report_ms) <= REPORT_LIMIT_MS,
                      "lines": len(text.splitlines())},
        "report_html_ms": {"median": statistics.median(html_ms), "max": max(html_ms),
                           "runs": runs, "limit": REPORT_LIMIT_MS,
                           "within_limit": statistics.median(html_ms) <= REPORT_LIMIT_MS,
                           "kb": round(len(page.encode()) / 1024, 1)},
        "log_ms": log_ms,
        "open_with_quick_check_ms": open_ms,
        "durable_commit_ms": {"median": statistics.median(commit_ms),
                              "p95": _percentile(commit_ms, 0.95), "max": max(commit_ms),
                              "n": commits},
        "backup_ms": backup_ms if backup else None,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(bench(), indent=2))
