"""Is this picture of the booted machine's screen the kiosk's home screen? (test-arm64.sh --boot)

    .venv/bin/python systemd/homescreen.py SCREENDUMP.png SCANOUT.png

SCREENDUMP is what QEMU showed (its monitor's ``screendump``), SCANOUT what the kernel scanned out
(``systemd/scanout.py`` in the machine). Both must hold the home screen's "Step on the mat to
start" button, compared with the same button drawn here by the kiosk's own painter at the same
size, within the golden screenshots' tolerance (``kiosk/ui/shots.py``); and the two must agree
with each other below the greeting and the clock (the minute may turn between the two takes).
Prints one line per check; exits 1 if any fails. The greeting, the date and the plan depend on
the machine's clock and log, so they are not compared: look at the PNGs for those.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame

from kiosk.ui.paint import Painter
from kiosk.ui.samples import sample_states
from kiosk.ui.shots import BLOCK_TOL, diff
from kiosk.ui.views import build

BUTTON_TOP = 0.80  # the home screen's button fills the bottom fifth
BELOW_CLOCK = 0.30  # the greeting and the date with the time are above this


def band(surface: pygame.Surface, top: float) -> pygame.Surface:
    w, h = surface.get_size()
    y = int(h * top)
    return surface.subsurface(pygame.Rect(0, y, w, h - y)).copy()


def home_drawn_here(size: tuple[int, int]) -> pygame.Surface:
    surface = pygame.Surface(size)
    Painter().paint(surface, build(sample_states()["home"]))
    return surface


def check(name: str, actual: pygame.Surface, expected: pygame.Surface) -> bool:
    fraction, worst, _ = diff(actual, expected)
    ok = worst <= BLOCK_TOL
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {fraction:.1%} of reduced pixels differ, "
          f"worst block {worst} (tolerance {BLOCK_TOL})")
    return ok


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    pygame.display.init()
    pygame.font.init()
    shot, scanout = (pygame.image.load(p) for p in argv[1:])
    if shot.get_size() != scanout.get_size():
        print(f"FAIL sizes differ: screendump {shot.get_size()}, scanout {scanout.get_size()}")
        return 1
    expected = home_drawn_here(shot.get_size())
    oks = [check("screendump shows the home screen's button", band(shot, BUTTON_TOP),
                 band(expected, BUTTON_TOP)),
           check("scanout holds the home screen's button", band(scanout, BUTTON_TOP),
                 band(expected, BUTTON_TOP)),
           check("screendump = scanout below the clock", band(shot, BELOW_CLOCK),
                 band(scanout, BELOW_CLOCK))]
    return 0 if all(oks) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
