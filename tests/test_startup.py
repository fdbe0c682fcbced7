"""Every failure to start shows on the screen: the display opens first, then the mat (gpiozero's
MCP3008 on mock SPI that refuses), the voice (an audio driver that fails); systemd hears READY=1
and its watchdog is fed while a problem shows, and a part that clears lets start-up go on."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pygame
import pytest
from gpiozero import Device

from kiosk import config as config_mod
from kiosk import paths, problems
from kiosk.clock import FakeClock
from kiosk.kiosk import FRAME_S, RETRY_S, ProblemScreen, show_problem, start_kiosk
from kiosk.mat.mock_adc import MockMCP3008
from kiosk.notify import Watchdog
from kiosk.ui.paint import Painter
from kiosk.ui.views import UiState, build
from tests.spi_support import HardwareSpiFactory, NoSpiFactory, SpiOffFactory

SIZE = (800, 480)


@pytest.fixture
def systemd(tmp_path, monkeypatch):
    """A socket where systemd listens, named as the unit would (WatchdogSec=30s); yields the
    messages received so far, read on demand."""
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.setblocking(False)
    monkeypatch.setenv("NOTIFY_SOCKET", str(path))
    monkeypatch.setenv("WATCHDOG_USEC", "30000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    got: list[str] = []

    def received() -> list[str]:
        while True:
            try:
                got.append(sock.recv(4096).decode())
            except BlockingIOError:
                return got
    yield received
    sock.close()


@pytest.fixture
def pins():
    """The default pin factory for one test, swappable mid-test (SPI switched on)."""
    saved = Device.pin_factory
    yield lambda factory: setattr(Device, "pin_factory", factory)
    if Device.pin_factory is not None:
        Device.pin_factory.reset()
    Device.pin_factory = saved


def kiosk_config(tmp_path, **sections):
    return config_mod.defaults().replace(storage={"data_dir": str(tmp_path / "data")},
                                         display={"width": SIZE[0], "height": SIZE[1]},
                                         **sections)


def painted(problem: problems.Problem) -> bytes:
    """The problem screen as the painter draws it on its own 800x480 surface."""
    surface = pygame.Surface(SIZE)
    Painter().paint(surface, build(UiState("problem", None, problem=problem)))  # type: ignore
    return pygame.image.tobytes(surface, "RGB")


def texts(view) -> list[str]:
    return [item.text for item in view.items if hasattr(item, "text")]


def test_which_mat_problem_is_pure():
    cases = {(True, True, True): None, (True, True, False): None,
             (True, False, True): problems.NO_SPI, (True, False, False): problems.NO_SPI,
             (False, False, True): problems.NO_MAT, (False, False, False): problems.NO_SPI}
    for (opened, hardware, spidev), want in cases.items():
        assert problems.mat_problem(opened=opened, spi_hardware=hardware,
                                    spidev_found=spidev) == want


def test_spi_off_shows_its_screen_feeds_the_watchdog_and_starts_once_spi_is_on(
        tmp_path, systemd, pins):
    """gpiozero falls back to bit-banging: refused and shown; tried every 30 s; once hardware
    SPI opens (here at t = 65 s) start-up goes on to the home screen."""
    pins(SpiOffFactory())
    clock = FakeClock()
    screens: list[bytes] = []

    def sleep(seconds: float) -> None:
        if not screens:  # what is on the display while the kiosk waits
            shown = pygame.display.get_surface()
            screens.append(pygame.image.tobytes(shown, "RGB"))
            pygame.image.save(shown, str(tmp_path / "no_spi.png"))
        clock.advance(seconds)
        if clock.now() >= 65 and not isinstance(Device.pin_factory, HardwareSpiFactory):
            Device.pin_factory.reset()
            pins(HardwareSpiFactory())
            MockMCP3008(pin_factory=Device.pin_factory).values[:2] = [30, 30]

    started = start_kiosk(kiosk_config(tmp_path), source="auto", windowed=True, frames=10_000,
                          clock=clock, sleep=sleep, dev=tmp_path)
    assert started is not None
    try:
        assert clock.now() == 3 * RETRY_S  # tried at 0, 30 and 60 s; the fourth try opened it
        assert screens == [painted(problems.NO_SPI)]
        messages = systemd()
        assert messages[0] == f"READY=1\nSTATUS=waiting: {problems.NO_SPI[0]}"
        pings = messages.count("WATCHDOG=1")
        assert pings == 5  # at 15, 30, 45, 60 and 75 s: every half WatchdogSec while shown
        assert messages[-1] == "READY=1\nSTATUS=coaching"
        started.loop.loop_once()
        assert started.app.last_view is not None and started.app.last_view.name == "home"
        assert started.app.mat.reader.spi_hardware  # type: ignore[attr-defined]
    finally:
        started.close()


@pytest.mark.parametrize(("spidev", "problem"), [(True, problems.NO_MAT),
                                                 (False, problems.NO_SPI)])
def test_no_gpio_for_the_mat_shows_why_until_the_window_closes(tmp_path, systemd, pins,
                                                                 capsys, spidev, problem):
    pins(NoSpiFactory())
    if spidev:
        (tmp_path / "spidev0.0").touch()
    clock = FakeClock()
    frames = int(2.5 * RETRY_S / FRAME_S)
    started = start_kiosk(kiosk_config(tmp_path), source="auto", windowed=True, frames=frames,
                          clock=clock, sleep=clock.advance, dev=tmp_path)
    assert started is None
    assert clock.now() == (frames - 1) * FRAME_S
    assert "WATCHDOG=1" in systemd() and systemd()[0].startswith("READY=1")
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--mat keyboard" in err[0]  # once, though tried three times


def test_the_problem_screen_paints_each_frame_and_pings_on_time(tmp_path):
    pygame.display.init()
    try:
        clock = FakeClock()
        sent: list[str] = []
        watchdog = Watchdog(15.0, clock, send=sent.append)
        watchdog.register("frame")
        screen = ProblemScreen(pygame.display.set_mode(SIZE), watchdog, clock=clock,
                               sleep=clock.advance, frames=70)
        tries: list[float] = []

        def attempt():
            tries.append(clock.now())
            return None, problems.NO_SOUND, "no sound card"

        assert screen.wait_for(attempt) is None
        assert tries == [0.0, RETRY_S]
        assert screen.shown == 70 and sent == ["WATCHDOG=1"] * 2
        assert screen.view is not None and screen.view.name == "problem"
        assert problems.NO_SOUND[0] in texts(screen.view)
        assert problems.NO_SOUND[1] in texts(screen.view)
    finally:
        pygame.quit()


def test_show_problem_draws_on_the_kiosks_own_surface_and_leaves_it_open():
    pygame.display.init()
    try:
        surface = pygame.display.set_mode(SIZE)
        surface.fill((255, 0, 0))
        show_problem(problems.CONFIG, windowed=True, frames=1, surface=surface)
        assert pygame.display.get_surface() is surface
        assert pygame.image.tobytes(surface, "RGB") == painted(problems.CONFIG)
    finally:
        pygame.quit()


def test_no_sound_is_said_then_the_coach_goes_on_with_captions(tmp_path, monkeypatch):
    pygame.quit()  # the audio driver is chosen when the mixer first opens
    monkeypatch.setenv("SDL_AUDIODRIVER", "nosuchdriver")
    clock = FakeClock()
    started = start_kiosk(kiosk_config(tmp_path), source="keyboard", windowed=True, frames=5,
                          clock=clock)
    assert started is not None
    try:
        assert not started.app.speech.status.audio_ok  # type: ignore[attr-defined]
        started.loop.loop_once()
        view = started.app.last_view
        assert view is not None and view.name == "problem"
        assert problems.NO_SOUND[0] in texts(view) and problems.NO_SOUND[1] in texts(view)
        clock.advance(11.0)  # after its 10 s (the frame that sees it over clears it)
        started.loop.loop_once()
        started.loop.loop_once()
        assert started.app.last_view.name == "home"
        assert problems.VOICE_UNAVAILABLE in started.app.notice
    finally:
        started.close()


def test_a_sound_card_that_comes_late_is_found_and_the_voice_heard_again(tmp_path, monkeypatch):
    """At boot the sound card's driver can bind after the kiosk starts (the display's did, 26 s
    late, on Debian 13 arm64): the voice worker looks again while nothing is said, and the
    home screen's note goes once the voice can be heard."""
    from kiosk.coach import speech as speech_mod

    pygame.quit()
    monkeypatch.setenv("SDL_AUDIODRIVER", "nosuchdriver")
    monkeypatch.setattr(speech_mod, "MIXER_RETRY_S", 0.2)
    clock = FakeClock()
    started = start_kiosk(kiosk_config(tmp_path), source="keyboard", windowed=True, frames=5,
                          clock=clock)
    assert started is not None
    try:
        speech = started.app.speech
        assert not speech.status.audio_ok  # type: ignore[attr-defined]
        started.loop.loop_once()
        assert problems.VOICE_UNAVAILABLE in started.app.notice
        monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")  # the card is there now
        deadline = time.monotonic() + 10
        while not speech.status.audio_ok and time.monotonic() < deadline:  # type: ignore
            time.sleep(0.05)
        assert speech.status.audio_ok, speech.status.detail  # type: ignore[attr-defined]
        assert speech.status.detail == "voice and sound ready"  # type: ignore[attr-defined]
        clock.advance(11.0)
        started.loop.loop_once()
        started.loop.loop_once()
        assert problems.VOICE_UNAVAILABLE not in started.app.notice
        assert started.app.last_view.name == "home"
    finally:
        started.close()


def run_cli(*args, **env):
    full = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    full.update({"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", **env})
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=120, env=full)


def test_run_without_gpio_tells_systemd_it_is_up_and_shows_the_screen(tmp_path):
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        sock.settimeout(5.0)
        proc = run_cli("run", "--frames", "2", XDG_DATA_HOME=str(tmp_path),
                       NOTIFY_SOCKET=str(path))
        first = sock.recv(4096).decode()
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert first.startswith("READY=1\nSTATUS=waiting: ")


def test_a_screen_that_cannot_open_is_one_line(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[display]\nwait_s = 2\n")  # the boot wait, shortened
    started = time.monotonic()
    proc = run_cli("run", "--frames", "1", "--config", str(cfg), SDL_VIDEODRIVER="nosuchdriver",
                   XDG_DATA_HOME=str(tmp_path))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("osteo-kiosk: cannot open the screen")
    assert "the screen is not ready yet" in proc.stderr  # it was waited for, 2 s not 60
    assert 2.0 <= time.monotonic() - started < 60


def test_a_bad_config_waits_for_a_late_screen_too(tmp_path, monkeypatch):
    """The config problem screen is opened the kiosk's way: a driver that binds late at boot
    is waited for (with the defaults' wait), not a crash into the restart loop."""
    import kiosk.kiosk as kk
    from kiosk.ui import display

    tries: list[str] = []

    def late_driver(**kw):
        tries.append(os.environ["SDL_VIDEODRIVER"])
        if len(tries) == 2:
            monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
        return display.open_display(**kw)

    real = kk.open_screen
    monkeypatch.setattr(kk, "open_screen", lambda cfg, windowed: real(
        cfg, windowed, opener=late_driver, sleep=lambda s: None))
    monkeypatch.setenv("SDL_VIDEODRIVER", "kmsdrm")
    show_problem(problems.CONFIG, windowed=True, frames=1)
    assert tries == ["kmsdrm", "kmsdrm"]


def test_tests_never_read_the_installed_settings(tmp_path):
    assert paths.system_config() != paths.SYSTEM_CONFIG
    proc = run_cli("config", "path", XDG_CONFIG_HOME=str(tmp_path))
    assert str(paths.SYSTEM_CONFIG) not in proc.stdout
    assert str(paths.system_config()) in proc.stdout
    assert Path(os.environ["OSTEO_KIOSK_SYSTEM_CONFIG"]) == paths.system_config()


def test_a_screen_whose_driver_binds_late_at_boot_is_waited_for(monkeypatch):
    """On Debian 13 the kiosk started 26 s before the kernel bound the display driver; SDL
    said "kmsdrm not available" and the kiosk exited. It waits (each try through pygame for
    real), and past the wait it says so in one line."""
    from kiosk.errors import KioskError
    from kiosk.kiosk import SCREEN_RETRY_S, open_screen
    from kiosk.notify import START_REST_S
    from kiosk.ui import display

    cfg = config_mod.defaults().replace(display={"width": 800, "height": 480})
    wait_s = cfg.display.wait_s
    assert wait_s == 60
    t = [0.0]
    tries: list[str] = []
    told: list[str] = []

    def sleep(s):
        t[0] += s

    def late_driver(**kw):
        tries.append(os.environ["SDL_VIDEODRIVER"])
        if len(tries) == 3:  # the driver is bound now
            monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
        return display.open_display(**kw)

    monkeypatch.setenv("SDL_VIDEODRIVER", "kmsdrm")
    try:
        surface = open_screen(cfg, windowed=True, opener=late_driver, sleep=sleep,
                              now=lambda: t[0], tell=told.append)
        assert surface.get_size() == (800, 480)
        assert tries == ["kmsdrm", "kmsdrm", "kmsdrm"] and t[0] == 2 * SCREEN_RETRY_S
    finally:
        pygame.quit()
    # systemd's start timeout is stretched with each try: the rest of the wait, and the rest
    # of the start after it (the unit's own TimeoutStartSec would end a 60 s wait)
    assert told == [f"EXTEND_TIMEOUT_USEC={int((wait_s - k + START_REST_S) * 1e6)}"
                    for k in (0, 1)]
    monkeypatch.setenv("SDL_VIDEODRIVER", "kmsdrm")
    t[0] = 0.0
    with pytest.raises(KioskError, match=r"cannot open the screen \(.*kmsdrm.*\)"):
        open_screen(cfg, windowed=True, sleep=sleep, now=lambda: t[0], tell=told.append)
    assert t[0] == wait_s
    pygame.quit()
