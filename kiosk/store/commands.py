"""Subcommands of the store room."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's subcommands to the `osteo-kiosk` parser."""
