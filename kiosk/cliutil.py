"""What every subcommand shares: the config option, the --json option, the loaded config."""

from __future__ import annotations

import argparse

from kiosk import config as config_mod
from kiosk.errors import KioskError


def add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", metavar="FILE",
                   help="config file (else $OSTEO_KIOSK_CONFIG, ~/.config/osteo-kiosk/"
                        "config.toml, /etc/osteo-kiosk/config.toml)")


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON for machines, not a table")


def config_from(args: argparse.Namespace) -> config_mod.Config:
    """The effective configuration for this invocation (every problem raised at once)."""
    return config_mod.load(getattr(args, "config", None))


def add_person(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--person", metavar="NAME",
                   help=f"whose {what}, in a household (a [people.NAME] table, or their name)")


def person_from(args: argparse.Namespace, config: config_mod.Config
                ) -> tuple[config_mod.Config, str]:
    """The configuration of the person ``--person`` names and their log key; a household needs
    one named, a single-person config is that person. A wrong name is one line."""
    name = getattr(args, "person", None)
    allowed = ", ".join(config.names())
    if name is None:
        if config.household:
            raise KioskError(f"--person: this kiosk has {len(config.people)} people; say whose "
                             f"(allowed: {allowed})")
        return config, config.people[0].key
    try:
        key = config.find(name).key
    except KeyError:
        raise KioskError(f"--person: {name!r} is not one of the people (allowed: {allowed})") \
            from None
    return config.for_person(key), key
