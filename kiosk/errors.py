"""Errors that reach a person as one clear sentence instead of a traceback."""


class KioskError(Exception):
    """A problem the user can act on; its message is shown as is, exit code 1."""

    exit_code = 1


class ConfigError(KioskError, ValueError):
    """A configuration problem; ``problems`` holds every line found, not just the first."""

    def __init__(self, problems: list[str], partial: object = None):
        self.problems = list(problems)
        self.partial = partial  # the config with every valid key applied, for further checks
        super().__init__("\n".join(self.problems))


class UsageError(KioskError):
    """Wrong words on the command line."""

    exit_code = 2
