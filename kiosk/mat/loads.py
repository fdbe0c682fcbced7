"""Each foot's load in body weights from one sample, with the person's calibration. Pure.

The balance and chair watchers read loads, not counts, so they share the landing detector's
force model (``force.Calibration.luts``) and nothing else of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.mat.force import Calibration, Layout


class FootLoads:
    """``bw(counts)`` gives (left, right) in BW, the empty mat's reading removed."""

    def __init__(self, calibration: Calibration, layout: Layout):
        luts = calibration.luts(layout)
        left, right = layout.foot_slices
        self._left = list(enumerate(luts))[left]
        self._right = list(enumerate(luts))[right]

    def bw(self, counts: Sequence[int]) -> tuple[float, float]:
        return (sum(lut[counts[i]] for i, lut in self._left),
                sum(lut[counts[i]] for i, lut in self._right))
