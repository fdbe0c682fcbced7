"""Screen figures (the running kiosk's are ``kiosk.ui.live``, bench part ``running``):
per-screen frame time at 1920x1080 and 800x480, process start to first
frame, and resident memory. Targets on a desktop x86: p95 at most 4 ms a frame at 1080p, the
first frame within 1.5 s of the process starting, at most 80 MB resident.

Resident memory is measured in a fresh interpreter (the one timed to its first frame) after it
has painted every sample screen at 1920x1080: the kiosk's own peak, not this process's, which
also holds whatever other bench parts loaded before.

A frame is ``build(state)`` plus ``paint``: what the loop does 30 times a second. ``p95_ms``
is steady state (the painter's caches warm, as when a screen stays up); ``cold_ms`` is the
first paint of each screen with an empty cache (a new screen or a new countdown number), the
worst single frame a person could see.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

TARGETS = {"p95_ms_1080p": 4.0, "first_frame_s": 1.5, "rss_mb": 80.0}

# Run in a fresh interpreter: what the kiosk does before its first picture, no more, no less;
# then every sample screen at 1080p, for the kiosk's resident memory at its peak.
FIRST_FRAME = """
import os, time
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
from datetime import datetime
import pygame
from kiosk.ui import display
from kiosk.ui.paint import Painter
from kiosk.ui.views import UiState, build
surface = display.open_display(fullscreen=False, size=(1920, 1080))
state = UiState("home", datetime.now(), name="Margaret",
                today=(("morning", "09:00", False), ("evening", "17:30", False)))
painter = Painter()
painter.paint(surface, build(state))
pygame.display.flip()
print(time.time())
from kiosk.ui.bench import rss_mb
print(rss_mb())
from kiosk.ui.samples import sample_states
for sample in sample_states().values():
    painter.paint(surface, build(sample))
    pygame.display.flip()
print(rss_mb())
"""


def _ms(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"median_ms": round(1000 * statistics.median(xs), 3),
            "p95_ms": round(1000 * xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))], 3)}


def rss_mb() -> float:
    """Resident memory of this process (Linux), in MB."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return 0.0


def first_frame() -> dict:
    """In a fresh Python process: seconds from its start to its first painted frame, its memory
    then, and its memory after painting every sample screen at 1920x1080 (``rss_mb``)."""
    env = {**os.environ, "SDL_VIDEODRIVER": os.environ.get("SDL_VIDEODRIVER", "dummy")}
    t0 = time.time()
    proc = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True, text=True,
                          timeout=60, env=env)
    try:
        shown, first_rss, rss = proc.stdout.split()[-3:]
        return {"first_frame_s": round(float(shown) - t0, 3),
                "first_frame_rss_mb": float(first_rss), "rss_mb": float(rss)}
    except ValueError:
        return {"first_frame_s": None, "rss_mb": None, "error": proc.stderr.strip()[-300:]}


def bench(frames: int = 60) -> dict:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from kiosk.ui.paint import Painter
    from kiosk.ui.samples import sample_states
    from kiosk.ui.views import build

    pygame.display.init()
    states = sample_states()
    out: dict = {"screens": {}, "cold_ms": {}}
    for size in ((1920, 1080), (800, 480)):
        label = f"{size[0]}x{size[1]}"
        surface = pygame.Surface(size)
        painter = Painter()
        cold = []
        for name, state in states.items():
            t0 = time.perf_counter()
            painter.paint(surface, build(state))
            cold.append(time.perf_counter() - t0)
            times = []
            for _ in range(frames):
                t0 = time.perf_counter()
                painter.paint(surface, build(state))
                times.append(time.perf_counter() - t0)
            out["screens"][f"{name}@{label}"] = _ms(times)
        out["cold_ms"][label] = {"median": round(1000 * statistics.median(cold), 2),
                                 "max": round(1000 * max(cold), 2)}
        del painter, surface
    out["worst_p95_ms_1080p"] = max(v["p95_ms"] for k, v in out["screens"].items()
                                    if k.endswith("1920x1080"))
    out.update(first_frame())
    out["targets"] = TARGETS
    out["ok"] = (out["worst_p95_ms_1080p"] <= TARGETS["p95_ms_1080p"]
                 and (out["first_frame_s"] or 99) <= TARGETS["first_frame_s"]
                 and (out["rss_mb"] or 999) <= TARGETS["rss_mb"])
    return out
