"""Progression on the log, the shell's side: read the facts, run the day, write the run.

The kiosk runs it at the first session of a day (``wiring.steps_provider``) and writes the
run; ``plan`` and ``report`` read the same run, or work it out in memory when the kiosk has
not written today's yet (the rules and their inputs are the same, so the answer is too).
The rules are pure (``program/progression.py``, ``program/ledger.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from kiosk.program.catalogue import Catalogue
from kiosk.program.ledger import (
    DayRun,
    cleared_from,
    run_day,
    state_from_dict,
    state_to_dict,
    window,
)
from kiosk.program.progression import caps_from, initial_state
from kiosk.program.safety import _iso, profile_from
from kiosk.store._errors import StoreError
from kiosk.store.records import DecisionLogged, ProgressRun

log = logging.getLogger(__name__)


def cleared_pain(config: Any) -> dict[str, date]:
    """The helper's pain clearance from ``[profile] pain_cleared`` and ``pain_cleared_on``."""
    p = config.profile
    return cleared_from(p.pain_cleared, _iso(p.pain_cleared_on))


def day_run(reader: Any, config: Any, catalogue: Catalogue, today: date) -> DayRun:
    """Today's run: the logged one, or worked out from the last logged run and the facts.
    A log that cannot be read yet (a deferred log) starts from where a new person starts."""
    start = initial_state(config)
    try:
        last = reader.last_progress_run(today)
        before = None if last is None else DayRun(last[0], state_from_dict(last[1]),
                                                  logged=True)
        facts = reader.progress_facts(*window(today))
    except StoreError as exc:
        log.warning("progression reads nothing from the log yet: %s", exc)
        return DayRun(today, start)
    return run_day(before, start, facts, catalogue, profile_from(config), caps_from(config),
                   today, cleared_pain(config))


def logged(run: DayRun) -> ProgressRun:
    """The run as the log's record."""
    return ProgressRun(run.day, state_to_dict(run.state), tuple(
        DecisionLogged(d.rule, d.subject, _text(d.before), _text(d.after), d.unit, d.reason,
                       d.line()) for d in run.decisions))


def _text(value: Any) -> str:
    return "" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def run_today(store: Any, config: Any, catalogue: Catalogue, today: date,
              utc_now: Callable[[], datetime]) -> DayRun:
    """Today's run, written once (the log refuses a second run for the day). A log that
    cannot take it now still coaches at the state worked out; tomorrow's run starts from the
    last one written, so nothing is decided twice."""
    run = day_run(store, config, catalogue, today)
    if run.logged:
        return run
    try:
        store.add_progress_run(logged(run), created_utc=utc_now())
    except (StoreError, ValueError) as exc:
        log.warning("today's progression run is not logged: %s", exc)
    for d in run.decisions:
        log.info("progression: %s", d.line())
    return run
