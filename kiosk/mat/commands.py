"""Subcommands of the mat room."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's subcommands to the `osteo-kiosk` parser."""
