"""Opening the display under SDL's dummy driver: no pointer in full screen, sleep control."""

from __future__ import annotations

import pygame
import pytest

from kiosk.ui import display


@pytest.fixture
def screen():
    yield
    pygame.display.quit()


def test_dummy_driver_counts_as_no_display(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    assert display.no_display()


def test_full_screen_hides_the_mouse_pointer(screen):
    display.open_display(fullscreen=True, size=(800, 480))
    assert not pygame.mouse.get_visible()


def test_window_keeps_the_requested_size(screen):
    assert display.open_display(fullscreen=False, size=(1024, 600)).get_size() == (1024, 600)


def test_display_may_sleep_only_when_allowed(screen):
    display.open_display(fullscreen=False, size=(800, 480))
    display.allow_sleep(False)
    assert not pygame.display.get_allow_screensaver()
    display.allow_sleep(True)
    assert pygame.display.get_allow_screensaver()
    display.allow_sleep(False)
    assert not pygame.display.get_allow_screensaver()
