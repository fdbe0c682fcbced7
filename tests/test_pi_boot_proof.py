"""The booted arm64 proof's own tools (systemd/test-arm64.sh --boot): the PNG the scanout read-back
writes, and the home-screen check that decides PASS from QEMU's screendump and the read-back."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

SYSTEMD = Path(__file__).resolve().parents[1] / "systemd"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, SYSTEMD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def display():
    pygame.display.init()
    pygame.font.init()
    yield
    pygame.display.quit()


def test_scanout_png_holds_the_pixels_read_back(tmp_path, display):
    scanout = load("scanout")
    w, h = 7, 3
    rgb = b"".join(bytes((x * 30, y * 80, 200)) for y in range(h) for x in range(w))
    path = tmp_path / "out.png"
    path.write_bytes(scanout.png(w, h, rgb))
    pic = pygame.image.load(str(path))
    assert pic.get_size() == (w, h)
    assert tuple(pic.get_at((4, 2)))[:3] == (120, 160, 200)
    assert tuple(pic.get_at((0, 0)))[:3] == (0, 0, 200)


def run_check(*pictures: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SYSTEMD / "homescreen.py"), *map(str, pictures)],
                          capture_output=True, text=True, timeout=120,
                          env={"SDL_VIDEODRIVER": "dummy", "PATH": "/usr/bin:/bin"})


def pictures(tmp_path: Path, size=(1280, 800)) -> tuple[Path, Path]:
    homescreen = load("homescreen")
    home = tmp_path / "home.png"
    pygame.image.save(homescreen.home_drawn_here(size), str(home))
    black = tmp_path / "black.png"
    pygame.image.save(pygame.Surface(size), str(black))
    return home, black


def test_the_home_screen_passes(tmp_path, display):
    home, _ = pictures(tmp_path)
    done = run_check(home, home)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("ok  ") == 3


def test_a_black_screendump_fails_even_when_the_scanout_is_right(tmp_path, display):
    home, black = pictures(tmp_path)
    done = run_check(black, home)
    assert done.returncode == 1
    assert "FAIL screendump shows the home screen's button" in done.stdout
    assert "ok   scanout holds the home screen's button" in done.stdout


def test_another_screen_fails(tmp_path, display):
    """The problem screen (no mat) is not the home screen."""
    from kiosk.ui.paint import Painter
    from kiosk.ui.samples import sample_states
    from kiosk.ui.views import build

    problem = pygame.Surface((1280, 800))
    Painter().paint(problem, build(sample_states()["problem_no_mat"]))
    path = tmp_path / "problem.png"
    pygame.image.save(problem, str(path))
    done = run_check(path, path)
    assert done.returncode == 1
    assert done.stdout.count("FAIL") == 2  # both lack the button; they agree with each other
