"""The monthly check-in: when the 30-second chair stand test is offered, and its step. Pure.

Once every ``EVERY_DAYS`` (about monthly, as functional fitness is retested in the Senior Fitness
Test's programme; a strength gain shows within weeks, not days), at the end of an evening
session. Skipped (a foot tap) or unseen by the mat, it is offered again ``RETRY_DAYS`` later.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kiosk.program.model import Exercise, StepSpec

EVERY_DAYS = 28
RETRY_DAYS = 7
CHAIR_TEST_ID = "chair_stand_test"


def chair_test_due(today: date, last_done: date | None, last_offered: date | None) -> bool:
    """Whether to offer the test today, given the last one done and the last one offered."""
    if last_done is not None and (today - last_done).days < EVERY_DAYS:
        return False
    return last_offered is None or (today - last_offered).days >= RETRY_DAYS


def chair_test_step(catalogue: Mapping[str, Exercise]) -> StepSpec | None:
    """The test as a coached step, from its catalogue entry (None if the catalogue lacks it)."""
    ex = catalogue.get(CHAIR_TEST_ID)
    if ex is None:
        return None
    return StepSpec("chair_test", ex.id, ex.name, ex.instructions, block="checkin",
                    hold_s=float(ex.dose.hold_s or 30))
