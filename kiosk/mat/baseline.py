"""The simple fixed-threshold counter: a yardstick for the detector, never used live. Pure.

Per foot, force in BW above the calibration's empty floor; a contact is counted each time the
force rises above ``on_bw`` after it was below ``off_bw``. No adaptive floor, no rise rate, no
health checks: what anyone would write first. ``replay --baseline``, ``bench`` and the dev-set
tests run it beside ``MatDetector`` so the detector is shown to beat it, not assumed to.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import add

from kiosk.mat.events import FEET, Foot
from kiosk.mat.force import Calibration, Layout


class ThresholdCounter:
    """Count contacts per foot with two fixed thresholds (hysteresis)."""

    def __init__(self, calibration: Calibration, layout: Layout, on_bw: float = 0.25,
                 off_bw: float = 0.10):
        if not 0 < off_bw < on_bw:
            raise ValueError(f"off_bw ({off_bw}) must be above 0 and below on_bw ({on_bw})")
        luts = calibration.luts(layout)
        sl = layout.foot_slices
        self._luts = [luts[sl[0]], luts[sl[1]]]
        self._chans = [list(range(len(layout.channels)))[s] for s in sl]
        self.on_bw, self.off_bw = on_bw, off_bw
        self._loaded = [False, False]
        self._started = False
        self.times: dict[Foot, list[float]] = {f: [] for f in FEET}

    @property
    def counts(self) -> dict[Foot, int]:
        return {f: len(t) for f, t in self.times.items()}

    def feed_batch(self, samples: Sequence[tuple[float, Sequence[int]]]) -> None:
        """Samples in time order; a foot loaded at the first sample is not counted."""
        if not samples:
            return
        ts = [t for t, _ in samples]
        cols = list(zip(*(c for _, c in samples), strict=True))
        for f in (0, 1):
            lut, chans = self._luts[f], self._chans[f]
            xs = list(map(lut[0].__getitem__, cols[chans[0]]))
            if len(chans) == 2:
                xs = list(map(add, xs, map(lut[1].__getitem__, cols[chans[1]])))
            if not self._started:
                self._loaded[f] = xs[0] > self.on_bw
            loaded = self._loaded[f]
            for t, x in zip(ts, xs, strict=True):
                if loaded:
                    loaded = x >= self.off_bw
                elif x > self.on_bw:
                    loaded = True
                    self.times[FEET[f]].append(t)
            self._loaded[f] = loaded
        self._started = True
