"""Between the mat and the engine: samples go to the calibrator or the detector, events come out.

The shell calls ``feed(drained_samples)`` once a frame. While the engine's calibration step is
on (``set_calibrating(True)``) samples go to the ``Calibrator`` and progress comes back as
engine events; otherwise to the ``MatDetector``, whose events pass through, plus ``Feet``
events whenever the set of loaded feet changes (the engine's step-off and skip gestures), in
time order with the batch's landings. A household's kiosk also asks for the standing load
(``measure_load``): a one-second rolling sum kept only then.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from kiosk.errors import KioskError
from kiosk.mat.balance import SteadinessMeter, steadiness_of
from kiosk.mat.calibrate import DONE, FAILED, Calibrator
from kiosk.mat.detector import MatDetector
from kiosk.mat.events import CalFailed, Calibrated, CalProgress, Fault, Feet, Landing, Presence
from kiosk.mat.force import ADC_MAX, Calibration, Layout, conductance, fit_problem
from kiosk.mat.loads import FootLoads
from kiosk.mat.watch import BodyWatch

log = logging.getLogger(__name__)

FOOT_ON_BW, FOOT_OFF_BW = 0.12, 0.06  # a foot carries weight (with hysteresis), in BW
RAW_ON_COUNTS = 150  # before any calibration: someone is on the mat above this count
WATCH_STANDING_COUNTS = 300  # a typical foot's standing reading (docs/mat.md), for _watch
STANDING_WINDOW_S = 1.0  # a standing load is the mean of this much quiet standing
STANDING_QUIET_CV = 0.05  # ... when its samples vary less than this (no step, no shuffle)


class MatLink:
    """Routes samples; holds the person's calibration and the detector built from it."""

    def __init__(self, layout: Layout, *, divider_ohms: int, target_bw: float,
                 calibration: Calibration | None = None, save_to: Path | None = None,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)):
        self.layout = layout
        self.divider_ohms = divider_ohms
        self.target_bw = target_bw
        self.save_to = save_to
        self.now = now
        self.problem = ""  # why the saved calibration does not fit, for the screen and doctor
        self.calibration: Calibration | None = None
        self.detector: MatDetector | None = None
        self.calibrator: Calibrator | None = None
        self._last_fraction = -1.0
        self._last_phase = ""
        self._feet = (False, False)
        self._raw_on = False
        self.drifted = False
        self._watcher: MatDetector | None = None
        self.watch: BodyWatch | None = None  # one-leg stances, steadiness, chair stands
        self._cal_samples: list = []  # the weigh-in's samples, for its steadiness
        self.answer_taps = False  # pass the provisional detector's taps (who is on the mat?)
        self._g = [conductance(k) for k in range(ADC_MAX + 1)]
        self._base_g: float | None = None  # the empty mat's summed conductance
        self._loads: deque[tuple[float, float]] = deque()  # (t, summed load) of the last second
        self.measure_load = False  # keep ``_loads`` (a household's kiosk asks who stepped on)
        if calibration is not None:
            self.use(calibration)

    @classmethod
    def from_config(cls, cfg, *, calibration: Calibration | str | None,
                    save_to: Path | None) -> MatLink:
        """``calibration="saved"`` loads ``save_to`` if it exists and still fits this mat."""
        layout = Layout.from_config(cfg.mat)
        link = cls(layout, divider_ohms=cfg.mat.divider_ohms,
                   target_bw=cfg.program.stomp_target_bw, save_to=save_to)
        if calibration == "saved":
            if save_to is not None and save_to.exists():
                try:
                    link.use(Calibration.load(save_to))
                except KioskError as exc:
                    link.problem = str(exc)
        elif isinstance(calibration, Calibration):
            link.use(calibration)
        return link

    def use(self, cal: Calibration) -> None:
        """Adopt a calibration if it fits this mat; otherwise note why and wait for a new one."""
        problem = fit_problem(cal, self.layout, self.divider_ohms, self.now())
        if problem:
            self.problem = problem
            self.calibration = self.detector = None
            return
        self.problem = ""
        self.drifted = False
        self.calibration = cal
        self._base_g = sum(conductance(b) for b in cal.baseline_counts)
        target = cal.target_bw or self.target_bw
        self.detector = MatDetector(cal, self.layout, target_bw=target)
        self.watch = BodyWatch(cal, self.layout)

    def forget(self) -> None:
        """Drop the calibration (a person not weighed in yet): the next session weighs in. The
        empty mat's reading is kept, so standing loads can still be measured."""
        self.calibration = self.detector = None
        self.watch = None

    @property
    def can_measure(self) -> bool:
        """Standing loads can be measured: the empty mat's reading is known (a weigh-in was
        used, even if it was forgotten since) and ``measure_load`` is on."""
        return self.measure_load and self._base_g is not None

    def standing_load(self) -> float | None:
        """The summed load (conductance, the empty mat removed) of the last second if someone
        stood still through it, else None: what ``mat.who`` compares with each person's."""
        if self._base_g is None or len(self._loads) < 2:
            return None
        if self._loads[-1][0] - self._loads[0][0] < 0.9 * STANDING_WINDOW_S:
            return None
        values = [v for _, v in self._loads]
        mean = sum(values) / len(values)
        if mean <= 0:
            return None
        spread = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
        return mean if spread / mean <= STANDING_QUIET_CV else None

    def needs_calibration(self) -> bool:
        """No calibration, one that no longer fits, or an empty mat that has drifted."""
        return self.detector is None or self.drifted

    def set_calibrating(self, active: bool) -> None:
        self.calibrator = Calibrator(self.layout, self.divider_ohms,
                                     self.now().isoformat(timespec="seconds")) if active else None
        self._last_fraction, self._last_phase = -1.0, ""
        self._cal_samples = []

    def save_calibration(self) -> dict:
        """Write the calibration just made (when this link saves) and describe it for the log."""
        cal = self.calibration
        if cal is None:
            return {}
        if self.save_to is not None:
            cal.save(self.save_to)
        return {"baseline_counts": list(cal.baseline_counts),
                "bw_conductance": cal.bw_conductance, "created": cal.created,
                "divider_ohms": cal.divider_ohms, "channels": list(cal.channels),
                "standing_share_left": cal.standing_share_left,
                "saved_to": str(self.save_to) if self.save_to else None}

    @property
    def feet(self) -> tuple[bool, bool]:
        """Which feet carry weight now (as last reported in ``Feet`` events)."""
        return self._feet

    def level_bw(self) -> tuple[float, float]:
        return self.detector.level_bw() if self.detector else (0.0, 0.0)

    def someone_on(self) -> bool:
        if self.detector is not None:
            return self.detector.present
        return self._raw_on

    def feed(self, samples: Sequence) -> list:
        """This frame's samples in, engine events out (time order). The sampler's own fault
        events (a bus that does not answer) pass straight on, in their place in time."""
        faults = [s for s in samples if isinstance(s, Fault)]
        if faults:
            rest = [s for s in samples if not isinstance(s, Fault)]
            return sorted([*faults, *self.feed(rest)], key=lambda e: e.t)
        if not samples:
            return []
        self._raw_on = max(max(c) for _, c in samples[-5:]) > RAW_ON_COUNTS
        if self.measure_load and self._base_g is not None:
            g, base = self._g, self._base_g
            self._loads.extend((t, sum(g[k] for k in c) - base) for t, c in samples)
            while self._loads and self._loads[0][0] < samples[-1][0] - STANDING_WINDOW_S:
                self._loads.popleft()
        if self.calibrator is not None:
            return self._calibrate(samples)
        if self.detector is None:
            return self._watch(samples)
        events: list = self.detector.feed_batch(samples)  # mat events, movements, Feet
        if self.watch is not None:
            events = sorted([*events, *self.watch.feed_batch(samples)], key=lambda e: e.t)
        for ev in events:
            if isinstance(ev, Fault) and ev.kind == "drift" and ev.active:
                self.drifted = True  # FSRs creep: weigh in again before the next session
                self.problem = ev.message
        feet = self._feet_change(self.detector, samples[-1][0])
        return sorted([*events, *feet], key=lambda e: e.t) if feet else events

    def _feet_change(self, detector: MatDetector, t: float) -> list[Feet]:
        """A ``Feet`` event when the set of loaded feet changes (with hysteresis)."""
        left, right = detector.level_bw()
        was_l, was_r = self._feet
        now_l = left > (FOOT_OFF_BW if was_l else FOOT_ON_BW)
        now_r = right > (FOOT_OFF_BW if was_r else FOOT_ON_BW)
        if (now_l, now_r) == self._feet:
            return []
        self._feet = (now_l, now_r)
        return [Feet(t, now_l, now_r)]

    def _watch(self, samples: Sequence) -> list:
        """Before any calibration, still watch the mat's health: a provisional detector (no
        floor, a typical standing load) finds shorted, floating, saturated and stuck channels.
        Only its faults pass; its landings mean nothing without the person's calibration, except
        as foot taps answering "who is on the mat?" (``answer_taps``) before anyone weighed in."""
        if self._watcher is None:
            n = len(self.layout.channels)
            provisional = Calibration(baseline_counts=(0.0,) * n,
                                      bw_conductance=2 * conductance(WATCH_STANDING_COUNTS),
                                      created=self.now().isoformat(timespec="seconds"),
                                      divider_ohms=self.divider_ohms,
                                      channels=self.layout.channels)
            self._watcher = MatDetector(provisional, self.layout, target_bw=self.target_bw)
        events = self._watcher.feed_batch(samples)
        out: list = [ev for ev in events if isinstance(ev, Fault) and ev.kind != "drift"]
        if self.answer_taps:
            out += [ev for ev in events if isinstance(ev, Landing | Presence)]
            out += self._feet_change(self._watcher, samples[-1][0])
            out.sort(key=lambda e: e.t)
        return out

    def _weigh_in_steadiness(self, cal: Calibration) -> dict:
        """The share and wobble of the weigh-in's last 2 s of standing still, by its own
        calibration: the weigh-in is quiet standing, so it is measured there too."""
        loads = FootLoads(cal, self.layout)
        steady = steadiness_of(((t, *loads.bw(c)) for t, c in self._cal_samples),
                               SteadinessMeter(window_s=2.0))
        self._cal_samples = []
        if steady is None:
            return {}
        return {"share_left_pct": steady.share_left_pct, "wobble_pp": steady.wobble_pp,
                "steady_s": steady.seconds}

    def _calibrate(self, samples: Sequence) -> list:
        cal = self.calibrator
        assert cal is not None
        made = cal.feed_batch(samples)
        t = samples[min(len(samples), max(cal.consumed, 1)) - 1][0]
        p = cal.progress()
        used = list(samples[:cal.consumed])
        self._cal_samples = [s for s in self._cal_samples + used if s[0] >= t - 3.0]
        if made is not None and p.phase == DONE:
            self.calibrator = None
            self.use(made)
            rest = list(samples[cal.consumed:])
            summary = {"standing_share_left": made.standing_share_left,
                       **self._weigh_in_steadiness(made)}
            return [Calibrated(t, summary), *self.feed(rest)]
        if p.phase == FAILED:
            self.calibrator = None
            reason = p.message[:1].upper() + p.message[1:]
            return [CalFailed(t, reason if reason.endswith((".", "?")) else reason + ".")]
        if p.phase != self._last_phase or abs(p.fraction - self._last_fraction) >= 0.05:
            self._last_phase, self._last_fraction = p.phase, p.fraction
            return [CalProgress(t, p.phase, p.fraction)]
        return []
