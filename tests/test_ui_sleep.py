"""Going dark when idle: kmsdrm ignores SDL's screensaver, so the kiosk shows a black screen."""

from __future__ import annotations

import pygame
import pytest

from kiosk import config
from kiosk.errors import ConfigError
from kiosk.ui.paint import Painter
from kiosk.ui.samples import NOW
from kiosk.ui.views import ScreenView, UiState, asleep, build


def test_asleep_is_an_empty_screen_that_may_sleep():
    view = build(UiState("asleep", NOW, name="Margaret", reminder="ignored while asleep"))
    assert view == asleep() == ScreenView("asleep", (), awake=False)


@pytest.mark.parametrize("size", [(800, 480), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_asleep_paints_every_pixel_black(size):
    pygame.display.init()
    surface = pygame.Surface(size)
    surface.fill((255, 255, 255))
    assert Painter().paint(surface, asleep()) == []
    black = pygame.mask.from_threshold(surface, (0, 0, 0), (1, 1, 1, 255))
    assert black.count() == size[0] * size[1]


def test_sleep_after_defaults_to_a_quarter_of_an_hour():
    assert config.defaults().display.sleep_after_min == 15


@pytest.mark.parametrize("minutes", [0, 1, 120])
def test_sleep_after_takes_0_to_120_minutes(tmp_path, minutes):
    path = tmp_path / "c.toml"
    path.write_text(f"[display]\nsleep_after_min = {minutes}\n")
    assert config.load(path).display.sleep_after_min == minutes


@pytest.mark.parametrize("value,problem", [("121", "121 is out of range"),
                                           ("-1", "-1 is out of range"),
                                           ("2.5", "not a whole number"),
                                           ("true", "not a whole number")])
def test_sleep_after_refuses_anything_else(tmp_path, value, problem):
    path = tmp_path / "c.toml"
    path.write_text(f"[display]\nsleep_after_min = {value}\n")
    with pytest.raises(ConfigError, match=rf"display\.sleep_after_min: {problem} \(allowed: a "
                                          r"whole number from 0 to 120\)"):
        config.load(path)
