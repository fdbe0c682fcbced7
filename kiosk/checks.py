"""One line of ``osteo-kiosk doctor``: what was checked, whether it is fine, what to do if not."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Check:
    """``ok`` is True (fine), False (a failure: doctor exits non-zero) or None (a warning)."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""
