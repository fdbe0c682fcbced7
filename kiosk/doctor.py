"""``osteo-kiosk doctor``: a checklist of what the kiosk needs, with what to do for each failure.

A helper runs it over SSH when the coach does not appear or stays silent. Each room contributes a
*check provider* (``config -> Checks``): this module owns the config, data folder, screen, sound
and voice checks and also runs ``kiosk.mat.doctor.checks`` and ``kiosk.coach.speech.doctor_checks``
when those exist. A provider that crashes becomes a failed line, never a traceback. Any failure
makes the exit code 1, so scripts and the install notes can rely on it.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import importlib
import importlib.metadata
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path

from kiosk import config as config_mod
from kiosk.checks import Check
from kiosk.cliutil import add_config, add_json
from kiosk.errors import ConfigError
from kiosk.output import emit

Provider = Callable[[config_mod.Config], Iterable[Check]]

# Other rooms' providers, found at run time so doctor works before (and without) them.
OPTIONAL: tuple[tuple[str, str], ...] = (
    ("kiosk.mat.doctor", "checks"),
    ("kiosk.coach.speech", "doctor_checks"),
    ("kiosk.store._doctor", "doctor_checks"),
)
_PIP = "sudo /opt/osteo-kiosk/venv/bin/pip install"


def config_check(explicit: str | None) -> tuple[config_mod.Config, Check]:
    """Load the config; on errors report them all and go on with the defaults."""
    try:
        config = config_mod.load(explicit)
    except ConfigError as exc:
        return config_mod.defaults(), Check(
            "config", False, "; ".join(exc.problems),
            "edit the file as the messages say, then run doctor again")
    where = str(config.source) if config.source else "no config file, defaults in use"
    return config, Check("config", True, f"{where}: valid" if config.source else where)


def data_dir_checks(config: config_mod.Config) -> list[Check]:
    """The folder for the log, calibration and voice cache must be writable (by the kiosk)."""
    path = config.data_dir
    fix = (f"make {path} a folder the kiosk user can write (sudo systemctl restart osteo-kiosk "
           "creates /var/lib/osteo-kiosk), or set storage.data_dir")
    name = "data directory"
    if path.exists() and not path.is_dir():
        return [Check(name, False, f"{path} is a file, not a folder", fix)]
    if not path.exists():
        parent = next(p for p in path.parents if p.exists())
        if parent.is_dir() and os.access(parent, os.W_OK | os.X_OK):
            return [Check(name, True, f"{path} will be created on first use")]
        return [Check(name, False, f"{path} does not exist and {parent} is not writable", fix)]
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
        return [Check(name, True, f"{path} is writable")]
    except OSError as exc:
        st = path.stat()
        if st.st_uid != os.getuid() and st.st_mode & 0o200:  # e.g. the kiosk user's, over SSH
            return [Check(name, True, f"{path} is writable by its owner (uid {st.st_uid})")]
        return [Check(name, False, f"{path} is not writable ({exc.strerror})", fix)]


def sdl_video_drivers() -> list[str] | None:
    """The video drivers compiled into the SDL that pygame loaded; None when it cannot tell.

    pygame has no API for this, so ask libSDL2 itself (found in this process's memory map).
    """
    try:
        import pygame  # noqa: F401  (loads libSDL2)

        maps = Path("/proc/self/maps").read_text()
        found = re.search(r"(/\S*/libSDL2-2[^/\s]*\.so[^/\s]*)$", maps, re.MULTILINE)
        if not found:
            return None
        sdl = ctypes.CDLL(found.group(1))
        sdl.SDL_GetVideoDriver.restype = ctypes.c_char_p
        return [sdl.SDL_GetVideoDriver(i).decode() for i in range(sdl.SDL_GetNumVideoDrivers())]
    except (ImportError, OSError, AttributeError):
        return None


FLAVOURS = ("pygame", "pygame-ce")
_REINSTALL = (f"{_PIP.replace(' install', ' uninstall')} -y pygame pygame-ce, then sudo "
              "systemd/install.sh (it puts back the locked pygame-ce)")


def pygame_flavours(paths: Sequence[str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Each installed pygame flavour: (version, site folder) per copy found on ``paths``."""
    found: dict[str, list[tuple[str, str]]] = {}
    for dist in importlib.metadata.distributions(path=list(sys.path if paths is None else paths)):
        name = re.sub(r"[-_.]+", "-", (dist.metadata["Name"] or "").lower())
        if name in FLAVOURS:
            found.setdefault(name, []).append((dist.version, str(dist.locate_file(""))))
    return found


def flavour_check(paths: Sequence[str] | None = None) -> Check:
    """pygame and pygame-ce both fill the same ``pygame`` folder: installed side by side, the
    one installed last silently wins (pygame's SDL has no kmsdrm) and ``pip check`` is quiet."""
    found = pygame_flavours(paths)
    folders = {name: {where for _, where in copies} for name, copies in found.items()}
    copies = "; ".join(f"{name} {v} in {where}" for name, cs in found.items() for v, where in cs)
    if len(found) < 2:
        return Check("pygame flavour", True, copies or "neither pygame nor pygame-ce installed")
    if folders["pygame"] & folders["pygame-ce"]:
        return Check("pygame flavour", False, f"both flavours share one folder: {copies}",
                     _REINSTALL)
    winner = next(iter(found))  # found in path order: the first copy is what imports
    if winner != "pygame-ce":  # the kiosk would draw with an SDL that has no kmsdrm
        return Check("pygame flavour", False, f"both flavours, and pygame (not pygame-ce) is "
                                              f"first on the path: {copies}", _REINSTALL)
    return Check("pygame flavour", None, f"both flavours, the first on the path wins: {copies}",
                 _REINSTALL)


def desktop_running() -> bool:
    """Whether an X or Wayland desktop runs here (SSH sessions have no DISPLAY, so look for the
    servers' sockets too)."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return True
    return any(Path("/tmp/.X11-unix").glob("X*")) or any(Path("/run/user").glob("*/wayland-*"))


def driver_check(about: str, drivers: list[str] | None, desktop: bool) -> Check:
    """kmsdrm is how the kiosk draws on Pi OS Lite; without a desktop nothing else can."""
    if drivers is None:
        return Check("display driver", None, f"{about}; could not list SDL's drivers")
    if "kmsdrm" in (d.lower() for d in drivers):
        return Check("display driver", True, f"{about}: {' '.join(drivers)}")
    fix = f"use pygame-ce 2.5 or newer: {_REINSTALL}"
    if desktop:
        return Check("display driver", None, f"{about} has no kmsdrm: {' '.join(drivers)} (fine "
                     "on this desktop, black on Pi OS Lite)", fix)
    return Check("display driver", False, f"{about} has no kmsdrm and there is no desktop: "
                 f"nothing can be drawn ({' '.join(drivers)})", fix)


DRI = Path("/dev/dri")
_SCREEN_FIX = ("plug the screen in before power-on; keep dtoverlay=vc4-kms-v3d in "
               "/boot/firmware/config.txt; the user needs the video and render groups "
               "(the service has them)")


def dri_problem(dri: Path = DRI) -> str | None:
    """Why no DRM card under ``dri`` can be opened for drawing, or None when one can."""
    if not dri.is_dir():
        return f"there is no {dri} (no KMS display driver is loaded)"
    cards = sorted(dri.glob("card*"))
    if not cards:
        return f"{dri} has no card"
    errors = []
    for card in cards:
        try:
            os.close(os.open(card, os.O_RDWR | os.O_CLOEXEC))
            return None
        except OSError as exc:
            errors.append(f"{card}: {exc.strerror}")
    return "cannot open " + ", ".join(errors)


def display_checks(config: config_mod.Config, dri: Path = DRI) -> list[Check]:
    """SDL must have kmsdrm compiled in (Pi OS Lite has no desktop) and reach a screen."""
    try:
        import pygame
    except ImportError as exc:
        return [Check("display driver", False, f"pygame cannot be imported ({exc})",
                      f"{_PIP} pygame-ce")]
    flavour = "pygame-ce" if getattr(pygame, "IS_CE", False) else "pygame"
    sdl = ".".join(str(n) for n in pygame.get_sdl_version())
    about = f"{flavour} {pygame.version.ver}, SDL {sdl}"
    checks = [flavour_check(), driver_check(about, sdl_video_drivers(), desktop_running())]
    try:
        pygame.display.init()
        driver = pygame.display.get_driver()
        sizes = pygame.display.get_desktop_sizes()
    except pygame.error as exc:
        problem = dri_problem(dri)
        hint = f" ({problem})" if problem else ""
        checks.append(Check("screen", False, f"SDL cannot open a display: {exc}{hint}",
                            _SCREEN_FIX))
        return checks
    finally:
        pygame.display.quit()
    size = f"{sizes[0][0]}x{sizes[0][1]}" if sizes else "no screen size"
    asked = os.environ.get("SDL_VIDEODRIVER", "")
    if driver in ("dummy", "offscreen") and asked:
        checks.append(Check("screen", None, f"{driver} driver (SDL_VIDEODRIVER={asked}): "
                            "nothing is shown", "unset SDL_VIDEODRIVER (the service uses kmsdrm)"))
    elif driver in ("dummy", "offscreen"):  # SDL found no screen and quietly drew nowhere
        problem = dri_problem(dri) or "kmsdrm did not start (another program holds the screen?)"
        checks.append(Check("screen", False, f"SDL fell back to its {driver} driver, nothing is "
                            f"shown: {problem}", _SCREEN_FIX))
    else:
        checks.append(Check("screen", True, f"{driver}, {size}"))
    return checks


def alsa_cards(proc: Path = Path("/proc/asound/cards")) -> list[str]:
    """Sound cards as ALSA numbers them (``"0 vc4hdmi0"``), from the kernel's own list."""
    try:
        text = proc.read_text()
    except OSError:
        return []
    return [f"{m[1]} {m[2].strip()}" for m in re.finditer(r"^\s*(\d+)\s+\[([^\]]+)\]", text, re.M)]


def audio_checks(config: config_mod.Config) -> list[Check]:
    """A sound card must exist and SDL must be able to open the configured output."""
    cards = alsa_cards()
    checks = [Check("sound card", True, ", ".join(cards)) if cards else Check(
        "sound card", False, "ALSA lists no sound card",
        "plug in the HDMI screen or a USB speaker; for the headphone jack keep dtparam=audio=on "
        "in /boot/firmware/config.txt and reboot; `aplay -l` lists the cards")]
    try:
        import pygame

        pygame.mixer.init(devicename=config.voice.audio_device or None)
        opened = pygame.mixer.get_init()
        assert opened is not None  # init() above opened the mixer or raised
        freq, _, channels = opened
        pygame.mixer.quit()
        checks.append(Check("audio output", True, f"{config.voice.audio_device or 'default'} "
                                                  f"at {freq} Hz, {channels} channels"))
    except (ImportError, pygame.error) as exc:
        checks.append(Check("audio output", False, f"SDL cannot open sound: {exc}",
                            "check voice.audio_device; if the kiosk is running it may hold the "
                            "device: sudo systemctl stop osteo-kiosk, then run doctor again"))
    return checks


def voice_checks(config: config_mod.Config) -> list[Check]:
    """eSpeak NG must be installed and pyttsx3 able to start it (the speech room renders a cue)."""
    name = "eSpeak NG"
    if not config.voice.enabled:
        return [Check(name, None, "voice.enabled is false: captions only",
                      "set voice.enabled = true to hear the coach")]
    if not shutil.which("espeak-ng") or not ctypes.util.find_library("espeak-ng"):
        return [Check(name, False, "eSpeak NG is not installed",
                      "sudo apt install espeak-ng libespeak-ng1")]
    try:
        import pyttsx3

        voices = pyttsx3.init("espeak").getProperty("voices")
    except Exception as exc:  # pyttsx3 raises anything from its drivers
        return [Check(name, False, f"pyttsx3 cannot start eSpeak NG: {exc}",
                      f"{_PIP} --force-reinstall pyttsx3")]
    return [Check(name, True, f"installed; pyttsx3 starts it ({len(voices)} voices)")]


BUILTIN: tuple[Provider, ...] = (data_dir_checks, display_checks, audio_checks, voice_checks)


def _failing(name: str, detail: str) -> Provider:
    return lambda config: [Check(name, False, detail,
                                 "reinstall: sudo systemd/install.sh (OSTEO_KIOSK_DEBUG=1 for "
                                 "details)")]


def providers() -> list[Provider]:
    """This module's checks, then those of the rooms that offer them."""
    found = list(BUILTIN)
    for module, attr in OPTIONAL:
        try:
            found.append(getattr(importlib.import_module(module), attr))
        except ModuleNotFoundError as exc:
            if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
                continue  # that room has no checks (yet)
            found.append(_failing(module, f"cannot be loaded: {exc}"))
        except AttributeError:
            continue
        except Exception as exc:
            found.append(_failing(module, f"cannot be loaded: {type(exc).__name__}: {exc}"))
    return found


def run_checks(config: config_mod.Config, provided: Sequence[Provider]) -> list[Check]:
    """Every provider's checks in order; a provider that raises becomes one failed check."""
    out: list[Check] = []
    for provider in provided:
        try:
            out.extend(provider(config))
        except Exception as exc:
            name = getattr(provider, "__module__", "check") + "." + getattr(
                provider, "__name__", "?")
            out.append(Check(name, False, f"the check crashed: {type(exc).__name__}: {exc}",
                             "run again with OSTEO_KIOSK_DEBUG=1 and report it"))
    return out


_MARK = {True: "[ ok ]", False: "[FAIL]", None: "[warn]"}


def checklist(checks: Sequence[Check]) -> str:
    """The checks as lines a person reads: a mark, the name, the detail, then the fix."""
    width = max((len(c.name) for c in checks), default=0)
    lines = []
    for c in checks:
        lines.append(f"{_MARK[c.ok]} {c.name.ljust(width)}  {c.detail}")
        if c.ok is not True and c.fix:
            lines.append(f"{' ' * 7}{' ' * width}  fix: {c.fix}")
    failed = sum(c.ok is False for c in checks)
    warned = sum(c.ok is None for c in checks)
    lines.append(f"{len(checks) - failed - warned} ok, {warned} warning{'s' * (warned != 1)}, "
                 f"{failed} failed")
    return "\n".join(lines)


def command(args: argparse.Namespace, provided: Sequence[Provider] | None = None) -> int:
    """Run every check, print the checklist (or JSON); exit code 1 when anything failed."""
    config, first = config_check(getattr(args, "config", None))
    checks = [first, *run_checks(config, providers() if provided is None else provided)]
    emit([asdict(c) for c in checks], getattr(args, "json", False), checklist(checks))
    return 1 if any(c.ok is False for c in checks) else 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``osteo-kiosk doctor`` to the parser."""
    p = sub.add_parser("doctor", help="check the mat, voice, sound, screen, data folder and config",
                       description="Check everything the kiosk needs and say what to do about "
                                   "each problem. Exits with 1 when anything failed.")
    add_config(p)
    add_json(p)
    p.set_defaults(func=command)
