"""The pygame screen behind the shell's ``Screen`` seam: paint a view, read keys, show it."""

from __future__ import annotations

import pygame

from kiosk.ui import display
from kiosk.ui.paint import Painter
from kiosk.ui.views import ScreenView


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
        self.show = show

    def paint(self, view: ScreenView) -> None:
        self.painter.paint(self.surface, view)

    def poll(self) -> tuple[list[str], bool]:
        if not self.show:
            pygame.event.pump()  # keep the window responsive
            return [], False
        return display.poll_keys()

    def present(self, awake: bool) -> None:
        if self.show:
            display.allow_sleep(not awake)
            self.canvas.present()
