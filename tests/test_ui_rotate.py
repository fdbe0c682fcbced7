"""A screen mounted on its side: the kiosk paints upright and turns the frame clockwise."""

import pygame
import pytest

from kiosk import config
from kiosk.errors import ConfigError
from kiosk.ui.display import Canvas


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_canvas_turns_the_picture_clockwise(rotate):
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        canvas = Canvas(screen, rotate)
        w, h = canvas.surface.get_size()
        assert (w, h) == ((480, 800) if rotate in (90, 270) else (800, 480))
        canvas.surface.fill((0, 0, 0))
        canvas.surface.fill((255, 255, 255), pygame.Rect(0, 0, 20, 20))  # mark the top-left
        canvas.present()
        corner = {0: (5, 5), 90: (795, 5), 180: (795, 475), 270: (5, 475)}[rotate]
        assert screen.get_at(corner)[:3] == (255, 255, 255)
        assert screen.get_at((400, 240))[:3] == (0, 0, 0)
    finally:
        pygame.display.quit()


def test_rotation_must_be_a_quarter_turn(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("[display]\nrotate = 45\n")
    with pytest.raises(ConfigError, match=r"display\.rotate: 45 is not a quarter turn"):
        config.load(path)
