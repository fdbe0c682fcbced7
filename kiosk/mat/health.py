"""Channel health: is each ADC channel reading a sensor, or a wiring fault? Pure.

Judged once per time cell on the whole cell (so batching cannot change a verdict). A channel's
fault must hold for its duration before it is raised and clears after ``recover_s`` clean; the
detector turns channel verdicts into per-foot ``Fault`` events and ignores a faulty foot.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.mat.force import ADC_MAX, Calibration, conductance, count_for
from kiosk.mat.settings import DetectorSettings

FAULT_TEXT = {
    "no_mat": "the mat is not connected: check its plug",
    "railed_low": "{foot} sensor (channel {ch}) reads 0: a wire is loose or cut",
    "railed_high": "{foot} sensor (channel {ch}) reads full scale: its wires are shorted",
    "floating": "{foot} sensor (channel {ch}) reads random noise: its input is not connected",
    "saturated": "{foot} sensor (channel {ch}) is at its maximum: the divider resistor is too "
                 "large for this load",
    "stuck": "{foot} sensor (channel {ch}) has not changed at all: the sensor or ADC is stuck",
    "drift": "the empty mat reads {bw:.2f} BW under the {foot} foot: please recalibrate",
}


def jumpy(seq: Sequence[int], floating_counts: int) -> bool:
    """Do these readings jump about like a floating input (before it is a fault)?

    A real landing moves at most ~1000 counts up and a few hundred down in 16 samples; a
    floating input averages ~340 counts per sample. Twice ``floating_counts`` lies between.
    """
    if len(seq) <= 2:
        return False
    jumps = sum(map(abs, map(int.__sub__, seq[1:], seq[:-1])))
    return jumps >= 2 * floating_counts * (len(seq) - 1)


class ChannelHealth:
    """Per channel: the fault it has now (``kinds``), from cells of raw counts."""

    def __init__(self, calibration: Calibration, settings: DetectorSettings):
        s = settings
        self.settings = s
        nch = len(calibration.baseline_counts)
        self._durations = {"railed_low": s.railed_s, "railed_high": s.railed_s,
                           "floating": s.floating_s, "saturated": s.saturated_s,
                           "stuck": s.stuck_s}
        # A channel "is loaded" (so constancy means stuck) 20% BW above its own empty reading.
        self._loaded_count = [count_for(conductance(b) + 0.2 * calibration.bw_conductance)
                              for b in calibration.baseline_counts]
        self._bleed = [b >= s.bleed_min_counts for b in calibration.baseline_counts]
        self._runs: list[dict[str, float]] = [{} for _ in range(nch)]
        self.kinds: list[str | None] = [None] * nch
        self._clean_since: list[float | None] = [None] * nch
        self._stuck_value: list[int | None] = [None] * nch
        self._prev_count = [0] * nch

    def cell(self, t_first: float, t_last: float, cols: Sequence[Sequence[int]]) -> None:
        """Judge one cell (``cols``: each channel's counts in it) and update ``kinds``."""
        s = self.settings
        for c, col in enumerate(cols):
            mn, mx = min(col), max(col)
            runs = self._runs[c]
            if (not runs and self.kinds[c] is None and (mx > 0 or not self._bleed[c])
                    and mn < s.saturation_counts and mx - mn < 2 * s.floating_counts
                    and (mn != mx or mn <= self._loaded_count[c])):
                self._stuck_value[c] = mn if mn == mx else None
                continue  # the usual case: a healthy channel
            zero = mx == 0 and self._bleed[c]
            full = mn >= ADC_MAX
            sat = not full and mn >= s.saturation_counts
            stuck = (mn == mx and not full and not sat and mn > self._loaded_count[c]
                     and self._stuck_value[c] in (None, mn))
            self._stuck_value[c] = mn if mn == mx else None
            floating = False
            if mx - mn >= 2 * s.floating_counts and len(col) > 2:
                prev = [self._prev_count[c], *col[:-1]]
                jumps = sum(map(abs, map(int.__sub__, col, prev)))
                floating = jumps >= s.floating_counts * len(col)
            conds = {"railed_low": zero, "railed_high": full, "floating": floating,
                     "saturated": sat, "stuck": stuck}
            found = None
            for kind, cond in conds.items():
                if cond:
                    start = runs.setdefault(kind, t_first)
                    if found is None and t_last - start >= self._durations[kind] - 1e-9:
                        found = kind
                else:
                    runs.pop(kind, None)
            cur = self.kinds[c]
            if found:
                self.kinds[c] = found
                self._clean_since[c] = None
            elif cur is not None:
                if conds[cur]:
                    self._clean_since[c] = None
                else:
                    since = self._clean_since[c]
                    if since is None:
                        since = self._clean_since[c] = t_first
                    if t_last - since >= s.recover_s - 1e-9:
                        self.kinds[c] = None
                        self._clean_since[c] = None
        self._prev_count = [col[-1] for col in cols]
