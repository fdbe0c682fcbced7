"""The smallest KMSDRM drawing test: fill the screen with one colour through pygame, present it,
then read back what the display scans out (systemd/scanout.py). Part of test-arm64.sh --boot.

    SDL_VIDEODRIVER=kmsdrm /opt/osteo-kiosk/venv/bin/python kmsdrm-fill.py OUT.png

Run as root with the kiosk stopped (one DRM master at a time). Prints one JSON line: the colour
drawn, the colour read back at the centre, and the share of the screen in that colour.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pygame

COLOUR = (200, 40, 40)


def main(out: str) -> int:
    pygame.display.init()
    screen = pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
    size, driver = screen.get_size(), pygame.display.get_driver()
    for _ in range(3):  # the first present sets the mode, the later ones page-flip
        screen.fill(COLOUR)
        pygame.display.flip()
        time.sleep(0.5)
    here = os.path.dirname(os.path.abspath(__file__))
    read = subprocess.run([sys.executable, os.path.join(here, "scanout.py"), out],
                          capture_output=True, text=True, check=False)
    pygame.display.quit()
    info = json.loads(read.stdout.strip().splitlines()[-1]) if read.stdout.strip() else {}
    if read.returncode == 0:
        pic = pygame.image.load(out)
        w, h = pic.get_size()
        centre = tuple(pic.get_at((w // 2, h // 2)))[:3]
        same = sum(1 for x in range(0, w, 37) for y in range(0, h, 29)
                   if tuple(pic.get_at((x, y)))[:3] == COLOUR)
        info.update(centre=centre, share_in_colour=round(
            same / (len(range(0, w, 37)) * len(range(0, h, 29))), 3))
    info.update(drawn=COLOUR, driver=driver, size=size)
    print(json.dumps(info))
    return 0 if info.get("centre") == COLOUR else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
