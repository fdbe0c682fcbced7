"""Calibration as a pure state machine: empty mat, then standing still on both feet = 1.0 BW.

The same class runs behind ``osteo-kiosk calibrate``, the on-screen calibration step and
``replay``'s self-calibration from a trace's opening, so all three agree on what "still" means.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.mat.force import ADC_MAX, Calibration, Layout, conductance

EMPTY, STANDING, DONE, FAILED = "empty", "standing", "done", "failed"

NOTHING = "the mat reads nothing — is it plugged in?"


@dataclass(frozen=True, slots=True)
class CalibrationProgress:
    """Where calibration is: ``phase``, ``fraction`` done (0..1) and what to tell the person."""

    phase: str
    fraction: float
    message: str


class Calibrator:
    """Feed ``(t, counts)``; ``feed`` returns the ``Calibration`` once, when it is made."""

    def __init__(self, layout: Layout, divider_ohms: int, created: str, *,
                 empty_s: float = 1.0, standing_s: float = 2.0, quiet_counts: int = 8,
                 empty_max_count: int = 200, step_on_conductance: float = 0.08,
                 still_fraction: float = 0.15, min_share: float = 0.2,
                 timeout_s: float = 30.0):
        if empty_s <= 0 or standing_s <= 0 or timeout_s <= 0:
            raise ValueError("durations must be positive")
        if not 0 < min_share < 0.5:
            raise ValueError("min_share must be between 0 and 0.5")
        self.layout = layout
        self.divider_ohms = divider_ohms
        self.created = created
        self.empty_s, self.standing_s, self.timeout_s = empty_s, standing_s, timeout_s
        self.quiet_counts, self.empty_max_count = quiet_counts, empty_max_count
        self.step_on_conductance, self.still_fraction = step_on_conductance, still_fraction
        self.min_share = min_share
        self._nl = len(layout.left)
        self._g = [conductance(k) for k in range(ADC_MAX + 1)]
        self.phase = EMPTY
        self.failure: str | None = None
        self.result: Calibration | None = None
        self._phase_t: float | None = None
        self._win_t0: float | None = None
        self._lo: list[int] = []
        self._hi: list[int] = []
        self._sum: list[float] = []
        self._n = 0
        self._baseline: list[float] = []
        self._g0 = (0.0, 0.0)
        self._stepped_on = False
        self._still_t0: float | None = None
        self._still: list[tuple[float, float, float, float]] = []  # t, total, left, right
        self._tot_lo = self._tot_hi = 0.0
        self._elapsed = 0.0
        self._message = "Step off the mat and keep it clear."
        self._max_seen = 0
        self.consumed = 0
        self._hist: tuple[tuple[int, ...] | None, tuple[int, ...] | None] = (None, None)

    def progress(self) -> CalibrationProgress:
        """Phase, fraction done and the sentence to show and say."""
        if self.phase == DONE:
            return CalibrationProgress(DONE, 1.0, "Calibrated: thank you.")
        if self.phase == FAILED:
            return CalibrationProgress(FAILED, 0.0, self.failure or "calibration failed")
        if self.phase == EMPTY:
            frac = 0.3 * min(self._elapsed / self.empty_s, 1.0)
        else:
            frac = 0.3 + 0.7 * min(self._elapsed / self.standing_s, 1.0)
        return CalibrationProgress(self.phase, round(frac, 3), self._message)

    def feed_batch(self, samples: Sequence[tuple[float, Sequence[int]]]) -> Calibration | None:
        """Feed many samples; stops at the calibration (see ``consumed``)."""
        self.consumed = 0
        for t, counts in samples:
            self.consumed += 1
            if self.feed(t, counts) is not None:
                return self.result
            if self.phase == FAILED:
                return None
        return None

    def feed(self, t: float, counts: Sequence[int]) -> Calibration | None:
        """One sample. Returns the calibration on the sample that completes it, else None."""
        if self.phase in (DONE, FAILED):
            return None
        if self._phase_t is None:
            self._phase_t = t
        if len(counts) != len(self.layout.channels):
            raise ValueError(f"each sample needs {len(self.layout.channels)} counts")
        a, b = self._hist
        self._hist = (b, tuple(counts))
        if a is not None and b is not None:  # median of 3: a one-sample spike is not movement
            counts = tuple(sorted(x)[1] for x in zip(a, b, counts, strict=True))
        if self.phase == EMPTY:
            self._feed_empty(t, counts)
        else:
            self._feed_standing(t, counts)
        if self.phase not in (DONE, FAILED) and t - self._phase_t > self.timeout_s:
            self._fail_timeout()
        return self.result if self.phase == DONE else None

    def _feed_empty(self, t: float, counts: Sequence[int]) -> None:
        if max(counts) >= ADC_MAX:
            self._fail("a sensor reads full scale: its wires are shorted")
            return
        if max(counts) > self.empty_max_count:
            self._message = "Please step off the mat: it must be empty first."
            self._win_t0 = None
            self._elapsed = 0.0
            return
        self._message = "Step off the mat and keep it clear."
        if self._win_t0 is not None and all(
                max(h, c) - min(lo, c) <= self.quiet_counts
                for lo, h, c in zip(self._lo, self._hi, counts, strict=True)):
            self._lo = [min(lo, c) for lo, c in zip(self._lo, counts, strict=True)]
            self._hi = [max(h, c) for h, c in zip(self._hi, counts, strict=True)]
            self._sum = [s + c for s, c in zip(self._sum, counts, strict=True)]
            self._n += 1
        else:  # something moved: the quiet second starts again here
            self._win_t0 = t
            self._lo, self._hi = list(counts), list(counts)
            self._sum = [float(c) for c in counts]
            self._n = 1
        self._elapsed = t - self._win_t0
        if self._elapsed >= self.empty_s:
            self._baseline = [s / self._n for s in self._sum]
            g = [conductance(b) for b in self._baseline]
            self._g0 = (sum(g[: self._nl]), sum(g[self._nl:]))
            self.phase = STANDING
            self._phase_t = t
            self._elapsed = 0.0
            self._message = "Now stand still on the mat, one foot on each side."

    def _feed_standing(self, t: float, counts: Sequence[int]) -> None:
        g = self._g
        nl = self._nl
        self._max_seen = max(self._max_seen, *counts)
        gl = sum(g[c] for c in counts[:nl]) - self._g0[0]
        gr = sum(g[c] for c in counts[nl:]) - self._g0[1]
        total = gl + gr
        if not self._stepped_on:
            if total < self.step_on_conductance:
                return
            self._stepped_on = True
        if total < self.step_on_conductance:  # stepped off again
            self._still_t0 = None
            self._elapsed = 0.0
            self._message = "Now stand still on the mat, one foot on each side."
            return
        if self._still_t0 is None:
            self._still = []
        self._still.append((t, total, gl, gr))
        # Still = the window's totals within still_fraction of the newest. When a reading does
        # not fit, only the oldest samples that disagree leave (the tail of the step-on ramp),
        # so ADC noise can never restart the whole window.
        lo = min(total, self._tot_lo) if self._still_t0 is not None else total
        hi = max(total, self._tot_hi) if self._still_t0 is not None else total
        if hi - lo > self.still_fraction * total:
            keep = self._still
            while len(keep) > 1 and (max(x[1] for x in keep) - min(x[1] for x in keep)
                                     > self.still_fraction * total):
                keep.pop(0)
            lo, hi = min(x[1] for x in keep), max(x[1] for x in keep)
        self._tot_lo, self._tot_hi = lo, hi
        self._still_t0 = self._still[0][0]
        self._elapsed = t - self._still_t0
        self._message = "Hold still, one foot on each side..."
        if self._elapsed < self.standing_s:
            return
        n = len(self._still)
        mean_l = sum(s[2] for s in self._still) / n
        mean_r = sum(s[3] for s in self._still) / n
        share = mean_l / (mean_l + mean_r)
        if not self.min_share <= share <= 1 - self.min_share:
            foot = "left" if share > 0.5 else "right"
            self._message = (f"Only the {foot} side is loaded: stand with one foot on each side.")
            self._still_t0 = None
            self._elapsed = 0.0
            return
        self.result = Calibration(
            baseline_counts=tuple(round(b, 2) for b in self._baseline),
            bw_conductance=round(mean_l + mean_r, 5),
            created=self.created, divider_ohms=self.divider_ohms,
            channels=self.layout.channels, standing_share_left=round(share, 3))
        self.phase = DONE

    def _fail_timeout(self) -> None:
        if self.phase == EMPTY:
            self._fail("the mat will not settle: step off it and keep it still")
        elif not self._stepped_on:
            if self._max_seen <= max(self._baseline, default=0) + 2:
                self._fail(NOTHING)
            else:
                self._fail("nobody stepped on: stand on the mat, one foot on each side")
        else:
            self._fail("could not see you standing still on both feet: "
                       "stand with one foot on each side and keep still")

    def _fail(self, reason: str) -> None:
        self.phase = FAILED
        self.failure = reason
