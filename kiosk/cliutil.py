"""What every subcommand shares: the config option, the --json option, the loaded config."""

from __future__ import annotations

import argparse

from kiosk import config as config_mod


def add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE",
                   help="config file (else $OSTEO_KIOSK_CONFIG, ~/.config/osteo-kiosk/"
                        "config.toml, /etc/osteo-kiosk/config.toml)")


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for machines, not a table")


def config_from(args: argparse.Namespace) -> config_mod.Config:
    """The effective configuration for this invocation (every problem raised at once)."""
    return config_mod.load(getattr(args, "config", None))
