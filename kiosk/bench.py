"""``osteo-kiosk bench``: each room measures itself; this gathers the figures into one JSON."""

from __future__ import annotations

import importlib
import os
import platform
from collections.abc import Sequence

PARTS = {"mat": "kiosk.mat.bench", "voice": "kiosk.coach.bench", "screen": "kiosk.ui.bench",
         "store": "kiosk.store.bench", "program": "kiosk.program.bench",
         "running": "kiosk.ui.live"}


def run_bench(config, parts: Sequence[str] | None = None) -> dict:
    """Run the named parts (all by default); a part that fails reports its error, not a crash."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    chosen = list(parts or PARTS)
    unknown = [p for p in chosen if p not in PARTS]
    if unknown:
        from kiosk.errors import KioskError

        raise KioskError(f"unknown bench part {unknown[0]!r} (allowed: {', '.join(PARTS)})")
    result: dict = {"machine": {"python": platform.python_version(),
                                "arch": platform.machine(), "cpus": os.cpu_count()}}
    for part in chosen:
        try:
            module = importlib.import_module(PARTS[part])
            result[part] = module.bench(config) if _takes_config(module.bench) else module.bench()
        except Exception as exc:  # one broken part must not hide the others' figures
            result[part] = {"error": f"{type(exc).__name__}: {exc}"}
    return result


def _takes_config(fn) -> bool:
    import inspect

    return "config" in inspect.signature(fn).parameters
