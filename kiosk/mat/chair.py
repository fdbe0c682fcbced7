"""Chair stands from the feet's total load: counted and timed. Pure: fed ``(t, left, right)``
in body weights, returns ``ChairStood``/``ChairSat`` events.

With a chair behind the mat and both feet on it, sitting leaves only the legs' share on the
feet (about a fifth to a third of body weight), and standing puts all of it there. A stand is
the total rising from under ``sit_bw`` to ``stand_bw``; a sit the way back, held in the seated
band for ``settle_s`` with both feet resting on the mat (each at least a fifth of the load:
in walking one foot is in the air while the other can read low). Falling under ``empty_bw``
is stepping off, not sitting: nothing is counted for stepping on or off the mat.
"""

from __future__ import annotations

from enum import Enum

from kiosk.mat.movements import ChairSat, ChairStood

SEAT_WAIT_S = 1.5  # a sit that never gets back to the last seated level ends here
SEATED_FOOT_SHARE = 0.2  # sitting, both feet rest on the mat: each carries this share or more
SEAT_FROM_EMPTY_S = 1.0  # stepping onto the mat passes the seated band quicker than this


class Seat(Enum):
    UNKNOWN = 0
    EMPTY = 1
    SEATED = 2
    STANDING = 3


class ChairCounter:
    """Counts stands; ``up_s`` is the rise (from the feet's load leaving its seated level, by
    ``level_bw``, to the standing load), ``down_s`` the way back (from the standing load to the
    seated level), ``rep_s`` a whole stand and sit."""

    def __init__(self, *, stand_bw: float = 0.85, sit_bw: float = 0.55, empty_bw: float = 0.08,
                 settle_s: float = 0.2, level_bw: float = 0.05):
        if not 0 < empty_bw < sit_bw < stand_bw:
            raise ValueError(f"need 0 < empty_bw ({empty_bw}) < sit_bw ({sit_bw}) < stand_bw "
                             f"({stand_bw})")
        if not settle_s > 0:
            raise ValueError(f"settle_s must be positive, not {settle_s!r}")
        self.stand_bw, self.sit_bw, self.empty_bw, self.settle_s = (
            stand_bw, sit_bw, empty_bw, settle_s)
        self.level_bw = level_bw
        self._seat_bw = sit_bw  # the seated level: the least load of the last sitting
        self._seated_at: float | None = None  # back at the seated level after a stand
        self.state = Seat.UNKNOWN
        self.reps = 0
        self._band_since: float | None = None  # in the seated band since
        self._last_low = 0.0  # last time at or under the seated load (a rise starts here)
        self._last_high = 0.0  # last time at or over the standing load
        self._rise_t = 0.0  # where the current rep began

    def feed(self, t: float, left_bw: float, right_bw: float) -> list[ChairStood | ChairSat]:
        total = left_bw + right_bw
        if total >= self.stand_bw:
            self._band_since = self._seated_at = None
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
        if total > self.sit_bw or min(left_bw, right_bw) < SEATED_FOOT_SHARE * total:
            self._band_since = None  # above the seated band, or one foot up (walking)
            return []
        near_seat = total <= self._seat_bw + self.level_bw
        if near_seat:
            self._last_low = t
            if self._seated_at is None:
                self._seated_at = t
        if self._band_since is None:
            self._band_since = t
        if self.state is Seat.SEATED:
            self._seat_bw = min(self._seat_bw, total)
            return []
        settle = self.settle_s if self.state is Seat.STANDING else SEAT_FROM_EMPTY_S
        if t - self._band_since < settle:
            return []
        if self.state is Seat.STANDING and self._seated_at is None \
                and t - self._band_since < SEAT_WAIT_S:
            return []  # still on the way down to the seated level
        was, self.state = self.state, Seat.SEATED
        self._seat_bw = total
        if was is not Seat.STANDING or self.reps == 0:
            return []
        sat_t = self._seated_at if self._seated_at is not None else self._band_since
        return [ChairSat(sat_t, self.reps, round(sat_t - self._last_high, 3),
                         round(sat_t - self._rise_t, 3))]
