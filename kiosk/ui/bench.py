"""Screen figures: per-screen paint time at 1920x1080 and 800x480, process start to first
frame, and resident memory after painting every screen."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time


def _ms(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"median_ms": round(1000 * statistics.median(xs), 3),
            "p95_ms": round(1000 * xs[int(0.95 * (len(xs) - 1))], 3)}


FIRST_FRAME = """
import time, os
t0 = time.monotonic()
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame
from kiosk.ui.paint import Painter
from kiosk.ui.samples import sample_states
from kiosk.ui.views import build
pygame.display.init()
surface = pygame.display.set_mode((1920, 1080))
Painter().paint(surface, build(sample_states()["home"]))
pygame.display.flip()
print(time.monotonic() - t0)
"""


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench(frames: int = 60) -> dict:
    import pygame

    from kiosk.ui.paint import Painter
    from kiosk.ui.samples import sample_states
    from kiosk.ui.views import build

    pygame.display.init()
    painter = Painter()
    out: dict = {"screens": {}}
    for size in ((1920, 1080), (800, 480)):
        surface = pygame.Surface(size)
        for name, state in sample_states().items():
            times = []
            for _ in range(frames):
                t0 = time.perf_counter()
                painter.paint(surface, build(state))
                times.append(time.perf_counter() - t0)
            out["screens"][f"{name}@{size[0]}x{size[1]}"] = _ms(times)
    worst = max(v["p95_ms"] for k, v in out["screens"].items() if k.endswith("1920x1080"))
    out["worst_p95_ms_1080p"] = worst
    out["rss_mb"] = round(rss_mb(), 1)
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True,
                          timeout=60)
    wall = time.monotonic() - t0
    try:
        out["first_frame_s"] = round(json.loads(proc.stdout.strip().splitlines()[-1]), 3)
        out["process_start_to_first_frame_s"] = round(wall, 3)
    except (ValueError, IndexError):
        out["first_frame_s"] = {"error": proc.stderr.strip()[-300:]}
    out["targets"] = {"p95_ms_1080p": 4.0, "first_frame_s": 1.5, "rss_mb": 80}
    return out
