"""The program room's figures for ``osteo-kiosk bench``: how long planning and progression take.

The kiosk builds a day's plan and steps when a session starts and runs ``progress`` once a day;
on a Pi both must stay far below a frame's worth of waiting. Measured on a simulated person's
26 weeks (``simulate.live``), so the history is the size a real one reaches.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, timedelta
from typing import Any

from kiosk.program.catalogue import load_catalogue
from kiosk.program.plan import SLOTS, day_plan, session_steps
from kiosk.program.progression import caps_from, progress
from kiosk.program.safety import profile_from
from kiosk.program.simulate import live

START = date(2024, 6, 3)
WEEKS = 26


def _ms(fn, runs: int) -> dict[str, float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return {"median": round(statistics.median(times), 3),
            "p95": round(times[int(0.95 * (len(times) - 1))], 3), "n": runs}


def bench(config: Any, runs: int = 50) -> dict[str, Any]:
    """Plan, steps and one day's progression, timed at the end of 26 simulated weeks."""
    cfg = config.replace(profile={"fracture_history": "no", "impact_cleared": True,
                                  "body_mass_kg": 70.0})
    catalogue = load_catalogue()
    t0 = time.perf_counter()
    life = live(cfg, catalogue, START, WEEKS * 7)
    simulate_s = time.perf_counter() - t0
    today = START + timedelta(days=WEEKS * 7)
    state = life.states[-1][1]
    profile, caps = profile_from(cfg), caps_from(cfg)

    def steps() -> None:
        plan = day_plan(cfg, catalogue, today, state)
        for slot in SLOTS:
            session_steps(plan, slot, cfg, catalogue, state=state)

    return {
        "plan_and_steps_ms": _ms(steps, runs),
        "progress_day_ms": _ms(lambda: progress(state, life.history, catalogue, profile, caps,
                                                today), runs),
        "simulated_weeks": WEEKS,
        "simulate_s": round(simulate_s, 2),
        "history_records": sum(len(getattr(life.history, f)) for f in
                               ("sets", "holds", "stomps", "minutes", "tests")),
        "decisions": len(life.decisions),
        "final": {"stomp_target_bw": state.stomp_target_bw, "weekly_min": state.weekly_min,
                  "rungs": dict(sorted(state.rungs.items()))},
    }
