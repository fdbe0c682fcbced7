"""The pygame screen behind the shell's ``Screen`` seam: paint a view, read keys, show it.

A frame is presented only when something on it changed (``repaint.Repainter``): an unchanged
view costs no drawing and no present, and a change that covers part of the screen is drawn
and presented in those regions only (``pygame.display.update(rects)``), so a kiosk idling on
its home screen hardly uses the processor.
"""

from __future__ import annotations

import pygame

from kiosk.ui import display
from kiosk.ui.paint import Painter
from kiosk.ui.repaint import Repainter, merge
from kiosk.ui.views import ScreenView

MAX_REGIONS = 64  # regions waiting for a present; past this it shows the whole frame


class PygameScreen:
    """A display (or off-screen surface) with its painter.

    ``show=False`` (the demo) paints for screenshots without putting frames on a display, and
    reads no keys, so a stray key press cannot change a recorded session.
    """

    def __init__(self, canvas: display.Canvas, painter: Painter | None = None, *,
                 show: bool = True):
        self.canvas = canvas
        self.surface = canvas.surface
        self.painter = painter or Painter()
        self.repainter = Repainter(self.painter)
        self.show = show
        self._whole = False  # the next present shows the whole frame
        self._regions: list[pygame.Rect] = []
        self.presents = 0  # frames put on the display (counted for tests and bench)
        self.presented_px = 0  # pixels those presents covered

    def paint(self, view: ScreenView) -> None:
        regions = self.repainter.paint(self.surface, view)
        if regions is None or len(self._regions) + len(regions) > MAX_REGIONS:
            self._whole, self._regions = True, []  # painted many times unseen: show it all
        elif not self._whole:
            self._regions += regions

    def poll(self) -> tuple[list[str], bool]:
        if not self.show:
            pygame.event.pump()  # keep the window responsive
            return [], False
        keys, closed, exposed = display.poll_events()
        self._whole = self._whole or exposed
        return keys, closed

    def present(self, awake: bool) -> None:
        """Show what changed since the last present; nothing at all when nothing did."""
        if self.show:
            display.allow_sleep(not awake)
        if not (self._whole or self._regions):
            return
        regions = None if self._whole else merge(self._regions)
        if self.show:
            self.canvas.present(regions)
        w, h = self.surface.get_size()
        self.presents += 1
        self.presented_px += w * h if regions is None else sum(r.w * r.h for r in regions)
        self._whole, self._regions = False, []
