"""A screen mounted upside down: the kiosk paints upright and turns the frame a half turn.

Quarter turns are refused: every screen is laid out for landscape, not portrait.
"""

import pygame
import pytest

from kiosk import config
from kiosk.errors import ConfigError
from kiosk.ui.display import Canvas


@pytest.mark.parametrize("rotate", [0, 180])
def test_canvas_turns_the_picture_for_an_upside_down_screen(rotate):
    pygame.display.init()
    try:
        screen = pygame.display.set_mode((800, 480))
        canvas = Canvas(screen, rotate)
        assert canvas.surface.get_size() == (800, 480)  # landscape either way
        canvas.surface.fill((0, 0, 0))
        canvas.surface.fill((255, 255, 255), pygame.Rect(0, 0, 20, 20))  # mark the top-left
        canvas.present()
        corner = {0: (5, 5), 180: (795, 475)}[rotate]
        assert screen.get_at(corner)[:3] == (255, 255, 255)
        assert screen.get_at((400, 240))[:3] == (0, 0, 0)
    finally:
        pygame.display.quit()


@pytest.mark.parametrize("rotate", [90, 270])
def test_canvas_refuses_a_quarter_turn(rotate):
    with pytest.raises(ValueError, match="0 or 180"):
        Canvas(pygame.Surface((800, 480)), rotate)


@pytest.mark.parametrize("rotate", [0, 180])
def test_config_accepts_no_turn_or_a_half_turn(tmp_path, rotate):
    path = tmp_path / "c.toml"
    path.write_text(f"[display]\nrotate = {rotate}\n")
    assert config.load(path).display.rotate == rotate


@pytest.mark.parametrize("rotate", [90, 270])
def test_config_refuses_a_quarter_turn_and_says_mount_it_in_landscape(tmp_path, rotate):
    path = tmp_path / "c.toml"
    path.write_text(f"[display]\nrotate = {rotate}\n")
    with pytest.raises(ConfigError, match=rf"display\.rotate: {rotate} would turn the screens to "
                                          r"portrait \(allowed: 0 or 180; mount the screen in "
                                          r"landscape\)"):
        config.load(path)


@pytest.mark.parametrize("value", ["45", "true", '"180"'])
def test_config_refuses_anything_else(tmp_path, value):
    path = tmp_path / "c.toml"
    path.write_text(f"[display]\nrotate = {value}\n")
    with pytest.raises(ConfigError, match=r"display\.rotate: .*\(allowed: 0 or 180; mount the "
                                          r"screen in landscape\)"):
        config.load(path)
