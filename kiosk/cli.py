"""The ``osteo-kiosk`` command: one entry point, one subcommand per task.

Rooms register their own subcommands (``kiosk/<room>/commands.py``); this module owns the
parser, the shared options and the rule that errors are one clear sentence, not a traceback
(a traceback only with ``OSTEO_KIOSK_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import NoReturn

from kiosk import __version__
from kiosk.errors import KioskError, UsageError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one sentence and a pointer, exit 2
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def build_parser() -> argparse.ArgumentParser:
    from kiosk import app_commands
    from kiosk.mat import commands as mat_commands
    from kiosk.program import commands as program_commands
    from kiosk.store import commands as store_commands

    parser = _Parser(prog="osteo-kiosk",
                     description="A hands-free home exercise coach for strong bones.")
    parser.add_argument("--version", action="version", version=f"osteo-kiosk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for room in (app_commands, program_commands, mat_commands, store_commands):
        room.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one subcommand; return its exit code."""
    debug = os.environ.get("OSTEO_KIOSK_DEBUG") == "1"
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")  # stderr: the journal
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help()
            return 2
        return int(args.func(args) or 0)
    except KioskError as exc:
        if debug:
            raise
        print(f"osteo-kiosk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last net: one sentence, never a traceback
        if debug:
            raise
        print(f"osteo-kiosk: unexpected problem: {type(exc).__name__}: {exc} "
              "(run again with OSTEO_KIOSK_DEBUG=1 for details)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
