"""Where things live: packaged assets and the XDG data and config directories."""

from __future__ import annotations

import os
from pathlib import Path

APP = "osteo-kiosk"


def assets_dir() -> Path:
    """The folder holding the catalogue, fonts and sounds (installed or source tree)."""
    try:
        from importlib.resources import files

        path = Path(str(files("kiosk.assets")))
        if (path / "exercises.toml").exists():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[1] / "assets"


def xdg_data_dir() -> Path:
    """``$XDG_DATA_HOME/osteo-kiosk``, or ``~/.local/share/osteo-kiosk``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP


def xdg_config_file() -> Path:
    """``$XDG_CONFIG_HOME/osteo-kiosk/config.toml``, or under ``~/.config``."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / APP / "config.toml"


SYSTEM_CONFIG = Path("/etc/osteo-kiosk/config.toml")


def system_config() -> Path:
    """The machine's settings file, or ``$OSTEO_KIOSK_SYSTEM_CONFIG``: tests point it elsewhere
    (their subprocesses too), so an installed kiosk's settings never leak into them."""
    return Path(os.environ.get("OSTEO_KIOSK_SYSTEM_CONFIG") or SYSTEM_CONFIG)
