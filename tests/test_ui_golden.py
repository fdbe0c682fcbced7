"""Screenshot tests: every screen at 800x480 and 1920x1080 against reviewed reference PNGs.

The references in ``tests/golden/`` were looked at by a person. When a screen changes on
purpose, regenerate with ``python -m kiosk.ui.shots /tmp/shots --update`` (or run this file
with ``OSTEO_UPDATE_GOLDEN=1``), LOOK at every updated image, and commit them with the change.

Tolerance (``kiosk.ui.shots``): images reduced 4x, a reduced pixel differs when a channel is
off by more than 40/255, and no 8x8 block of reduced pixels (32x32 on screen) may hold more
than 12 differing ones. Rasterising noise between pygame, pygame-ce and their freetype builds
is scattered (at most 8 in a block, measured); a changed word, colour, sign or a moved item is
a cluster (16 and more). On failure a sheet "reference | new | diff" is
written and its path is in the message.
"""

from __future__ import annotations

import os
import shutil

import pygame
import pytest

from kiosk.ui.paint import Painter
from kiosk.ui.samples import sample_states
from kiosk.ui.shots import BLOCK_TOL, GOLDEN_DIR, GOLDEN_SIZES, compare, shot_name
from kiosk.ui.views import build

STATES = sample_states()
UPDATE = os.environ.get("OSTEO_UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def painter():
    pygame.display.init()
    return Painter()


@pytest.mark.parametrize("size", GOLDEN_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", STATES)
def test_screen_matches_reviewed_reference(painter, screen, size, tmp_path_factory):
    surface = pygame.Surface(size)
    painter.paint(surface, build(STATES[screen]))
    name = shot_name(screen, size)
    diff_dir = tmp_path_factory.mktemp("golden-diff")
    match = compare(name, surface, GOLDEN_DIR, diff_dir)
    if match.ok:
        return
    if UPDATE:
        new = diff_dir / name
        pygame.image.save(surface, str(new))
        shutil.copyfile(new, GOLDEN_DIR / name)
        pytest.skip(f"updated {GOLDEN_DIR / name}: look at it before committing")
    if match.diff_path is None:
        pytest.fail(f"no reference {GOLDEN_DIR / name}; make one with OSTEO_UPDATE_GOLDEN=1 "
                    "and look at it")
    pytest.fail(f"{name}: {match.worst_block} differing pixels in one block (allowed "
                f"{BLOCK_TOL}, {100 * match.fraction:.2f} % overall); reference | new | diff "
                f"written to {match.diff_path}")
