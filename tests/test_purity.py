"""The functional core imports no hardware, screen, voice or database library."""

import json
import subprocess
import sys

PURE = ["kiosk.program.catalogue", "kiosk.program.safety", "kiosk.program.plan",
        "kiosk.program.onerm", "kiosk.mat.detector", "kiosk.mat.calibrate", "kiosk.mat.force",
        "kiosk.coach.engine", "kiosk.coach.steps", "kiosk.coach.cues", "kiosk.ui.views",
        "kiosk.store.reports", "kiosk.reminders", "kiosk.config"]
EDGES = ["pygame", "gpiozero", "pyttsx3", "sqlite3"]


def test_pure_modules_load_without_the_edges():
    code = (f"import importlib, json, sys\n"
            f"for m in {PURE!r}: importlib.import_module(m)\n"
            f"print(json.dumps([e for e in {EDGES!r} if e in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []
