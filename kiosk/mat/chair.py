"""Chair stands from the feet's total load: counted and timed. Pure: fed ``(t, left, right)``
in body weights, returns ``ChairStood``/``ChairSat`` events.

With a chair behind the mat and both feet on it, sitting leaves only the legs' share on the
feet (about a fifth to a third of body weight), and standing puts all of it there. A stand is
the total rising from under ``sit_bw`` to ``stand_bw``; a sit the way back, held in the seated
band for ``settle_s``. Falling under ``empty_bw`` is stepping off, not sitting: nothing is
counted for stepping on or off the mat.
"""

from __future__ import annotations

from enum import Enum

from kiosk.mat.movements import ChairSat, ChairStood


class Seat(Enum):
    UNKNOWN = 0
    EMPTY = 1
    SEATED = 2
    STANDING = 3


class ChairCounter:
    """Counts stands; ``up_s`` is the rise (from the last seated load to the standing load),
    ``down_s`` the way back, ``rep_s`` a whole stand and sit."""

    def __init__(self, *, stand_bw: float = 0.85, sit_bw: float = 0.55, empty_bw: float = 0.08,
                 settle_s: float = 0.2):
        if not 0 < empty_bw < sit_bw < stand_bw:
            raise ValueError(f"need 0 < empty_bw ({empty_bw}) < sit_bw ({sit_bw}) < stand_bw "
                             f"({stand_bw})")
        if not settle_s > 0:
            raise ValueError(f"settle_s must be positive, not {settle_s!r}")
        self.stand_bw, self.sit_bw, self.empty_bw, self.settle_s = (
            stand_bw, sit_bw, empty_bw, settle_s)
        self.state = Seat.UNKNOWN
        self.reps = 0
        self._band_since: float | None = None  # in the seated band since
        self._last_low = 0.0  # last time at or under the seated load (a rise starts here)
        self._last_high = 0.0  # last time at or over the standing load
        self._rise_t = 0.0  # where the current rep began

    def feed(self, t: float, left_bw: float, right_bw: float) -> list[ChairStood | ChairSat]:
        total = left_bw + right_bw
        if total >= self.stand_bw:
            self._band_since = None
            self._last_high = t
            if self.state is Seat.SEATED:
                self.state = Seat.STANDING
                self.reps += 1
                self._rise_t = self._last_low
                return [ChairStood(t, self.reps, round(t - self._last_low, 3))]
            self.state = Seat.STANDING
            return []
        if total < self.empty_bw:
            self.state, self._band_since = Seat.EMPTY, None
            return []
        if total > self.sit_bw:
            self._band_since = None
            return []
        self._last_low = t
        if self._band_since is None:
            self._band_since = t
        if self.state is Seat.SEATED or t - self._band_since < self.settle_s:
            return []
        was, self.state = self.state, Seat.SEATED
        if was is not Seat.STANDING or self.reps == 0:
            return []
        sat_t = self._band_since
        return [ChairSat(sat_t, self.reps, round(sat_t - self._last_high, 3),
                         round(sat_t - self._rise_t, 3))]
