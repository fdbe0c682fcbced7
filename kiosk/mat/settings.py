"""Every threshold of the mat's detector in one validated, frozen record. Pure.

Each value carries the reason for it. Forces are in BW (1.0 = standing still on both feet, so a
foot carrying all the weight reads ~1.0); times are seconds of signal, never samples, so the
same settings hold at 100 Hz and at 1 kHz. The values were set from the physics of gait and of
the sensor, then checked by cross-validation on the shared recordings (tuned on one half of each
development set, checked on the other half): see ``docs/mat.md``. None is tuned to a recording.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from kiosk.mat.force import ADC_MAX


@dataclass(frozen=True, slots=True)
class DetectorSettings:
    """The detector's thresholds; ``DetectorSettings()`` is what the kiosk runs with."""

    # --- when a foot is loaded and when it is released
    on_bw: float = 0.25
    """A candidate contact starts this far above the foot's unloaded level. Walking contacts
    reach ~1 BW per foot and stomps more; ADC noise, spikes and a swinging foot's sway stay far
    below a quarter of that (gaitndd: swing within ~0.05 BW of its own floor)."""
    off_bw: float = 0.10
    """The least a foot must fall (above its unloaded level) to be released: hysteresis under
    ``on_bw`` so noise on a light contact cannot chatter it on and off."""
    release_fraction: float = 0.35
    """A contact is released below this fraction of its own load above the unloaded level, while
    the other foot bears weight. Relative, so a swinging foot that reads 0.10-0.25 BW above the
    empty floor (a heavy shoe, a preloaded plate, a drifting FSR) still releases. With the other
    foot in the air (single support on this one) only ``off_bw`` releases: a deep valley between
    heel and forefoot peaks (the vertical force's valley is ~0.6-0.8 of its peaks in normal gait,
    deeper in pathological gait: Perry & Burnfield, *Gait Analysis*, 2nd ed. 2010, ch. 4) is not
    a new contact, because nobody walking lifts one foot while the other is in the air."""
    release_max_bw: float = 0.30
    """The release level never sits higher than this above the unloaded level: after a 3 BW stomp
    the person stands on ~0.5 BW per foot, and a standing foot must stay in contact."""
    # --- what makes a contact a landing
    min_air_s: float = 0.10
    """A landing needs the foot released this long before: a heel-forefoot dip and a stance
    drop-out are shorter; the shortest swing in gait is ~0.3 s (Perry & Burnfield, ch. 1)."""
    refractory_s: float = 0.40
    """A foot cannot land twice within this: the fastest same-foot rhythm of marching or
    walking (180 steps/min, 0.67 s per foot) is well above, a pre-contact bump well below."""
    rise_bw: float = 0.15
    """An impact: the force rose this much within ``rise_window_s`` (3 BW/s). Weight shifts and
    slow squats load at under ~2 BW/s; stomps load at 180-344 BW/s (Ryan, Clissold & Winwood
    2021) and heel strikes at 5-15 BW/s (Perry & Burnfield, ch. 4)."""
    rise_window_s: float = 0.05
    """The window of ``rise_bw``: long enough to span several samples at 100 Hz."""
    leave_bw: float = 0.05
    """Where a foot leaves its unloaded level: the start of the ``onset_s`` clock."""
    onset_s: float = 0.10
    """A landing also when the force climbed from ``leave_bw`` to ``on_bw`` within this: a
    foot that comes down loads from nothing at once, even if its later loading is slow, while a
    weight shift sways off the floor smoothly (0.14 s or more for a full shift every 1.5 s).
    Measured between interpolated crossings, so the sampling rate does not matter."""
    support_bw: float = 0.85
    """A landing also when the other foot still bore this much as the force passed ``on_bw``:
    the person came down from single support (walking, marching), however slowly the foot
    loaded. A weight shift moves the load across, so the other foot then bears at most
    ``1 - on_bw`` = 0.75 BW; single support in gait is ~1.0-1.2 BW (Perry & Burnfield, ch. 4)."""
    landing_bw: float = 0.40
    """A landing's held peak is at least this far above the unloaded level; a lower one waits
    (within ``pending_s``) for the rest of the load. A foot that comes down takes its share of
    the body's weight: ~1 BW in walking and marching, 0.5 per foot when stepping on with both;
    a toe brushing the mat after push-off peaks near 0.3-0.37 BW (gaitndd, gaitpdb)."""
    pending_s: float = 0.60
    """A candidate that crept or bumped through ``on_bw`` without an impact stays open this long
    for the real strike: pre-load creeps or bumps 0.1-0.5 s before a heel strike."""
    peak_hold_s: float = 0.02
    """A landing is decided once nothing higher came for this long: inside the 30 ms latency
    budget after the peak, yet longer than two samples at 100 Hz."""
    # --- the unloaded level, presence and re-zero
    floor_rise_bw_per_s: float = 0.05
    """The unloaded level may rise this fast while a foot is released: FSR creep is slow
    (gaitndd: 100-270 counts over 90 s), a foot resting on the mat is not."""
    quiet_bw: float = 0.03
    """A cell whose force moves less than this is quiet: ~3 ADC counts of noise at standing."""
    idle_rezero_s: float = 2.0
    """An empty, quiet mat for this long re-zeroes both floors exactly."""
    stale_contact_s: float = 1.0
    """A contact sitting quietly under its own onset level this long is an offset, not a foot."""
    drift_bw: float = 0.25
    """The floor moved this far from the calibration: ask for a recalibration (advisory)."""
    presence_off_s: float = 0.5
    """Both feet released this long: the person stepped off."""
    footfall_gap_s: float = 2.0
    """Landings further apart than this start a new cadence count (a pause, not a rhythm)."""
    cadence_window_s: float = 6.0
    """The live cadence is the rate of landings over this much signal: 5-10 steps."""
    # --- channel health (see ``health.py``)
    railed_s: float = 0.5
    """A channel at exactly 0 or 1023 this long is a wiring fault; a stomp's peak at the rail
    lasts ~0.05 s."""
    stuck_s: float = 0.75
    """Identical readings while loaded this long: stuck (gaitndd's longest honest run: 0.51 s)."""
    floating_s: float = 0.3
    """Random jumps this long: a floating input."""
    floating_counts: int = 100
    """Mean sample-to-sample jump of a floating input is ~340 counts; real force moves less."""
    saturation_counts: int = 1000
    """At or above this (but not 1023) the FSR is at its maximum: the peak is a lower bound."""
    saturated_s: float = 0.5
    """Held at ``saturation_counts`` this long: a saturated sensor (a fault, not a stomp)."""
    recover_s: float = 0.25
    """A fault clears after this long clean."""
    bleed_min_counts: float = 3.0
    """A calibration floor at least this high means a bleed resistor: only then is 0 a cut."""
    cell_s: float = 0.1
    """Housekeeping runs once per cell of this length: faults are found within 1 s."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "floor_rise_bw_per_s" and not value > 0:
                raise ValueError(f"detector setting {f.name} must be positive, not {value!r}")
        if self.floor_rise_bw_per_s < 0:
            raise ValueError("detector setting floor_rise_bw_per_s must not be negative")
        if not self.off_bw < self.on_bw:
            raise ValueError(f"detector setting off_bw ({self.off_bw}) must be below on_bw "
                             f"({self.on_bw})")
        if not self.off_bw <= self.release_max_bw:
            raise ValueError(f"detector setting release_max_bw ({self.release_max_bw}) must not "
                             f"be below off_bw ({self.off_bw})")
        if not self.release_fraction < 1:
            raise ValueError("detector setting release_fraction must be below 1")
        if not self.leave_bw < self.on_bw:
            raise ValueError(f"detector setting leave_bw ({self.leave_bw}) must be below on_bw "
                             f"({self.on_bw})")
        if not self.saturation_counts <= ADC_MAX:
            raise ValueError(f"detector setting saturation_counts must be 1..{ADC_MAX}")
        if self.cell_s > 0.25:
            raise ValueError("detector setting cell_s must be at most 0.25 s so faults are "
                             "found within 1 s")

    def with_changes(self, **changes: Any) -> DetectorSettings:
        """A copy with some values changed (validated); an unknown name is one clear error."""
        names = {f.name for f in fields(self)}
        for name in changes:
            if name not in names:
                raise ValueError(f"unknown detector setting {name!r} (allowed: "
                                 f"{', '.join(sorted(names))})")
        return replace(self, **changes)
