"""Shared test set-up: SDL without a screen or sound card, and no user files touched."""

import os

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# never the installed /etc/osteo-kiosk/config.toml: an environment variable, so the tests'
# subprocesses are kept from it too
os.environ["OSTEO_KIOSK_SYSTEM_CONFIG"] = os.devnull + ".osteo-kiosk-tests/config.toml"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Point XDG folders at a temporary home so no test reads or writes the real ones."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("OSTEO_KIOSK_CONFIG", raising=False)


@pytest.fixture
def mock_factory():
    """gpiozero's own pattern: a ``MockFactory`` as the default pin factory for one test, then
    the previous factory back (whatever it was) and the mock pins released."""
    saved = Device.pin_factory
    factory = MockFactory()
    Device.pin_factory = factory
    try:
        yield factory
    finally:
        Device.pin_factory = saved
        factory.reset()
