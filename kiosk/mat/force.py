"""From ADC counts to force in body weights: the divider's conductance, baseline removed.

An FSR from 3.3 V to the ADC input with a fixed resistor R to ground gives ``v = R/(R+R_fsr)``,
so ``v/(1-v) = R/R_fsr``: the FSR's conductance in units of 1/R, which is roughly proportional
to force. The mat never assumes newtons: a person's standing load is 1.0 BW and every force is
a multiple of it. Pure: no clock, no files except in ``save``/``load``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.errors import KioskError

if TYPE_CHECKING:
    from kiosk.sections import Mat

ADC_MAX = 1023
"""Full scale of the 10-bit MCP3008."""

_V_CAP = (ADC_MAX - 0.5) / ADC_MAX  # keeps 1023 finite: the model is meaningless at the rail


def conductance(count: float) -> float:
    """The FSR's conductance in units of 1/R_divider for one ADC reading (0..1023)."""
    v = min(max(count, 0.0) / ADC_MAX, _V_CAP)
    return v / (1.0 - v)


def count_for(conductance_value: float) -> float:
    """The ADC reading that a conductance gives: the inverse of ``conductance``."""
    g = max(conductance_value, 0.0)
    return ADC_MAX * g / (1.0 + g)


@dataclass(frozen=True, slots=True)
class Layout:
    """Which MCP3008 channels lie under each foot (1 or 2 each, summed per foot).

    A sample's counts come in the order ``left channels, then right channels``.
    """

    left: tuple[int, ...] = (0,)
    right: tuple[int, ...] = (1,)

    def __post_init__(self) -> None:
        for name, chans in (("left", self.left), ("right", self.right)):
            if not 1 <= len(chans) <= 2:
                raise ValueError(f"{name} foot needs 1 or 2 channels, not {len(chans)}")
            if any(not 0 <= c <= 7 for c in chans):
                raise ValueError(f"{name} channels must be MCP3008 channels 0-7")
        if set(self.left) & set(self.right) or len(set(self.channels)) != len(self.channels):
            raise ValueError("each channel may lie under one foot only, once")

    @property
    def channels(self) -> tuple[int, ...]:
        """All channels in sample order."""
        return self.left + self.right

    @property
    def foot_slices(self) -> tuple[slice, slice]:
        """Where each foot's counts sit inside a sample."""
        n = len(self.left)
        return slice(0, n), slice(n, n + len(self.right))

    def channel_foot(self, index: int) -> str:
        """The foot of the channel at ``index`` in sample order."""
        return "left" if index < len(self.left) else "right"

    @classmethod
    def from_config(cls, mat: Mat) -> Layout:
        """The layout from the ``[mat]`` config section."""
        return cls(tuple(mat.left_channels), tuple(mat.right_channels))


@dataclass(frozen=True, slots=True)
class Calibration:
    """One person on one mat: the empty-mat reading per channel and what standing weighs.

    ``bw_conductance`` is the summed conductance (baseline removed, both feet) of standing still,
    i.e. 1.0 BW. ``target_bw`` is a personal stomp target from practice stomps, if any.
    """

    baseline_counts: tuple[float, ...]
    bw_conductance: float
    created: str
    divider_ohms: int
    channels: tuple[int, ...] = ()
    target_bw: float | None = None
    standing_share_left: float = 0.5
    version: int = field(default=1)

    def __post_init__(self) -> None:
        if not self.bw_conductance > 0:
            raise ValueError("body-weight conductance must be positive")
        if self.channels and len(self.channels) != len(self.baseline_counts):
            raise ValueError("one baseline per channel")

    @property
    def created_at(self) -> datetime:
        return datetime.fromisoformat(self.created)

    def luts(self, layout: Layout) -> list[list[float]]:
        """Per channel (sample order), a table count -> BW with that channel's baseline removed.

        Tables make the detector's hot path one index per sample instead of arithmetic.
        """
        if len(self.baseline_counts) != len(layout.channels):
            raise KioskError(f"the calibration has {len(self.baseline_counts)} channels but the "
                             f"mat layout has {len(layout.channels)}; please recalibrate")
        g_table = [conductance(k) for k in range(ADC_MAX + 1)]
        out = []
        for base in self.baseline_counts:
            g0 = conductance(base)
            out.append([(g - g0) / self.bw_conductance for g in g_table])
        return out

    def save(self, path: str | os.PathLike) -> None:
        """Write as JSON (atomically: a crash never leaves half a calibration)."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(p.suffix + ".tmp")
        try:
            tmp.write_text(json.dumps(asdict(self), indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, p)
        except OSError as exc:
            raise KioskError(f"{p}: cannot save the calibration ({exc.strerror})") from None

    @classmethod
    def load(cls, path: str | os.PathLike) -> Calibration:
        """Read a saved calibration; every problem names the file."""
        p = Path(path)
        try:
            raw = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KioskError(f"{p}: no such calibration file (run `osteo-kiosk calibrate`)")\
                from None
        except OSError as exc:
            raise KioskError(f"{p}: cannot read the calibration ({exc.strerror})") from None
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise KioskError(f"{p}: not a calibration file (it is not JSON)") from None
        try:
            return cls(
                baseline_counts=tuple(float(x) for x in raw["baseline_counts"]),
                bw_conductance=float(raw["bw_conductance"]),
                created=str(raw["created"]),
                divider_ohms=int(raw["divider_ohms"]),
                channels=tuple(int(c) for c in raw.get("channels", ())),
                target_bw=None if raw.get("target_bw") is None else float(raw["target_bw"]),
                standing_share_left=float(raw.get("standing_share_left", 0.5)),
                version=int(raw.get("version", 1)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise KioskError(f"{p}: not a valid calibration ({exc})") from None


MAX_AGE_DAYS = 90
"""FSRs creep and people change weight: after this the kiosk asks for a fresh calibration."""


def fit_problem(cal: Calibration, layout: Layout, divider_ohms: int, now: datetime,
                max_age_days: int = MAX_AGE_DAYS) -> str | None:
    """Why ``cal`` no longer fits this mat (a sentence ending in "please recalibrate"), or None.

    Dynamic misfit (the empty mat has drifted) is found live by the detector's ``drift`` fault.
    """
    if cal.channels and tuple(cal.channels) != layout.channels:
        return (f"the calibration was made on channels {list(cal.channels)} but the mat uses "
                f"{list(layout.channels)}; please recalibrate")
    if len(cal.baseline_counts) != len(layout.channels):
        return "the calibration does not match the mat's channels; please recalibrate"
    if cal.divider_ohms != divider_ohms:
        return (f"the calibration was made with {cal.divider_ohms} ohm dividers but the mat has "
                f"{divider_ohms}; please recalibrate")
    try:
        created = cal.created_at
    except ValueError:
        return "the calibration's date cannot be read; please recalibrate"
    if created.tzinfo is None and now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    elif created.tzinfo is not None and now.tzinfo is None:
        created = created.replace(tzinfo=None)
    age_days = (now - created).total_seconds() / 86400
    if age_days > max_age_days:
        return f"the calibration is {int(age_days)} days old; please recalibrate"
    return None


#: The stomp target's floor, well above walking: the program's ``progression.STOMP_FLOOR_BW``
#: (the mat room may not import the program; a test keeps the two equal).
STOMP_FLOOR_BW = 1.4


def personal_target_bw(practice_peaks_bw: Sequence[float], default_bw: float,
                       lo_bw: float = STOMP_FLOOR_BW) -> float:
    """A stomp target from practice stomps: 90% of their median, never above the configured one,
    and never below the program's floor, well above walking.

    Lowers the bar for someone who cannot yet reach the default (so sets can be completed) but
    never raises it: harder loading is a clinician's call, made in the config.
    """
    peaks = sorted(p for p in practice_peaks_bw if p > 0)
    if not peaks:
        return default_bw
    mid = len(peaks) // 2
    median = peaks[mid] if len(peaks) % 2 else (peaks[mid - 1] + peaks[mid]) / 2
    return round(min(default_bw, max(lo_bw, 0.9 * median)), 2)
