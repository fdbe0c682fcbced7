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


@pytest.mark.parametrize(("driver", "hint"), [("KMSDRM", "opengles2"), ("kmsdrm", "opengles2"),
                                              ("x11", "0"), ("wayland", None), ("dummy", None)])
def test_each_driver_presents_the_way_that_shows(driver, hint):
    """KMSDRM through OpenGL ES 2 (desktop OpenGL left the Pi's screen black under emulation,
    docs/pi.md), X11 through its own framebuffer, the rest as SDL chooses."""
    assert display.framebuffer_presenter(driver) == hint


def test_kmsdrm_gets_the_gles2_presenter_before_the_window_opens(screen, monkeypatch):
    seen = []
    monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION", raising=False)
    monkeypatch.setattr(pygame.display, "get_driver", lambda: "KMSDRM")
    real_set_mode = pygame.display.set_mode

    def set_mode(*args, **kwargs):
        seen.append(display.os.environ.get("SDL_FRAMEBUFFER_ACCELERATION"))
        return real_set_mode(*args, **kwargs)

    monkeypatch.setattr(pygame.display, "set_mode", set_mode)
    display.open_display(fullscreen=True, size=(800, 480))
    assert seen == ["opengles2"]


def test_a_presenter_set_from_outside_is_kept(screen, monkeypatch):
    monkeypatch.setenv("SDL_FRAMEBUFFER_ACCELERATION", "opengl")
    monkeypatch.setattr(pygame.display, "get_driver", lambda: "KMSDRM")
    display.open_display(fullscreen=False, size=(640, 400))
    assert display.os.environ["SDL_FRAMEBUFFER_ACCELERATION"] == "opengl"


def test_without_the_gles2_renderer_sdl_chooses(screen, monkeypatch):
    """An SDL built without OpenGL ES 2 refuses the hint: the window still opens."""
    tries = []
    monkeypatch.delenv("SDL_FRAMEBUFFER_ACCELERATION", raising=False)
    monkeypatch.setattr(pygame.display, "get_driver", lambda: "KMSDRM")
    real_set_mode = pygame.display.set_mode

    def set_mode(*args, **kwargs):
        hint = display.os.environ.get("SDL_FRAMEBUFFER_ACCELERATION")
        tries.append(hint)
        if hint == "opengles2":
            raise pygame.error("Requested renderer for SDL_FRAMEBUFFER_ACCELERATION is not "
                               "available")
        return real_set_mode(*args, **kwargs)

    monkeypatch.setattr(pygame.display, "set_mode", set_mode)
    assert display.open_display(fullscreen=False, size=(640, 400)).get_size() == (640, 400)
    assert tries == ["opengles2", None]
