"""A log that could not be opened at start (a read-only or full SD card, a wrong owner): the
kiosk coaches anyway. Reads find nothing yet; each write tries to open the log again, so the
recorder's held records reach the file as soon as it can be written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.store._schema import SOLO
from kiosk.store._writer import Store
from kiosk.store.facts import ProgressFacts, Progression

#: The writer methods the recorder calls; each opens the log first.
_WRITES = ("begin_session", "begin_step", "add_landing", "add_hold", "add_set", "add_interval",
           "add_pain", "finish_step", "finish_session", "add_calibration", "add_onerm",
           "add_balance", "add_steadiness", "add_chair_rep", "add_chair_test",
           "rest_for_today", "add_progress_run", "reopen_session", "reopen_step")


class DeferredStore:
    """Stands in for :class:`Store` until ``open_log()`` succeeds, then passes everything on."""

    def __init__(self, open_log: Callable[[], Store], path: Path, problem: str):
        self._open_log = open_log
        self._opened: dict[str, Store] = {}  # shared by every person's view once it opens
        self.path = path
        self.problem = problem  #: why the log could not be opened, for the screen and journal
        self.notices: list[str] = []
        self.person: str | None = SOLO

    @property
    def _store(self) -> Store | None:
        store = self._opened.get("log")
        return store.for_person(self.person) if store is not None else None

    @property
    def opened(self) -> bool:
        return self._store is not None

    def for_person(self, person: str | None) -> DeferredStore:
        """The same stand-in for one person's records (as ``Store.for_person``)."""
        view = object.__new__(DeferredStore)  # not copy.copy: it probes __getattr__ on a
        view.__dict__.update(self.__dict__)  # view with no attributes yet, which recursed
        view.person = person
        return view

    def _real(self) -> Store:
        if "log" not in self._opened:
            self._opened["log"] = self._open_log()  # a StoreError keeps the records waiting
            self.notices.extend(self._opened["log"].notices)
        store = self._store
        assert store is not None
        return store

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # own attributes only: never the log's private parts
            raise AttributeError(name)
        if name in _WRITES:
            return getattr(self._real(), name)
        if self._store is not None:
            return getattr(self._store, name)
        raise AttributeError(name)

    # reads while there is no log: nothing logged yet, as for a new log ----------------------

    def sessions(self, **kwargs: Any) -> list[dict]:
        return self._store.sessions(**kwargs) if self._store else []

    def steps_of(self, session_id: int) -> list[dict]:
        return self._store.steps_of(session_id) if self._store else []

    def session_so_far(self, plan_date: date, slot: str) -> dict | None:
        return self._store.session_so_far(plan_date, slot) if self._store else None

    def latest_onerm_targets(self) -> dict[str, float]:
        return self._store.latest_onerm_targets() if self._store else {}

    def latest_calibration(self) -> dict | None:
        return self._store.latest_calibration() if self._store else None

    def chair_test_dates(self) -> tuple[date | None, date | None]:
        return self._store.chair_test_dates() if self._store else (None, None)

    def progress_facts(self, first: date, last: date) -> ProgressFacts:
        return self._store.progress_facts(first, last) if self._store else ProgressFacts()

    def last_progress_run(self, on_or_before: date) -> tuple[date, dict[str, Any]] | None:
        return self._store.last_progress_run(on_or_before) if self._store else None

    def decisions(self, first: date, last: date) -> list[Progression]:
        return self._store.decisions(first, last) if self._store else []

    def rest_today(self, plan_date: date) -> set[str]:
        return self._store.rest_today(plan_date) if self._store else set()

    def stop_rules_said(self) -> date | None:
        return self._store.stop_rules_said() if self._store else None

    def backup_if_due(self) -> Path | None:
        return self._store.backup_if_due() if self._store else None

    def close(self) -> None:
        if "log" in self._opened:
            self._opened["log"].close()
