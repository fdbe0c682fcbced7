"""One-rep max from a submaximal set, and the 70-80 % training load rounded to weights at hand.

A true one-rep max test is not safe with fragile bones, so the maximum is estimated from a set
of 2 to 10 repetitions taken close to failure, with two standard formulas averaged:

- Epley:   1RM = w * (1 + r / 30)
- Brzycki: 1RM = w * 36 / (37 - r)

Both are fitted to sets of up to about 10 repetitions; past that they drift apart and overshoot
(Brzycki's denominator runs toward zero), and a single repetition is a maximal lift, so reps
outside 2-10 are refused. They agree exactly at 10 repetitions (both give w * 4/3).

The article asks for 70-80 % of the one-rep max. The target is the heaviest weight the person
owns that is not above 80 %. If none of their weights falls in 70-80 %, that is still the
choice (lighter is the safe side) and the note says so; if even the lightest weight is above
80 %, the lightest weight is given and the note says it is above the range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kiosk.errors import KioskError

MIN_REPS, MAX_REPS = 2, 10
TARGET_LOW, TARGET_HIGH = 0.70, 0.80
MAX_WEIGHT_KG = 300.0
#: The lightest load that is a weight at all: wrist weights and fractional plates start at a
#: quarter kilo. Below it (1e-320 kg, say) the percentages overflow to "inf%".
MIN_WEIGHT_KG = 0.25
_EPS_KG = 1e-9


def epley_kg(weight_kg: float, reps: int) -> float:
    """Epley: ``w * (1 + r/30)``."""
    return weight_kg * (1 + reps / 30)


def brzycki_kg(weight_kg: float, reps: int) -> float:
    """Brzycki: ``w * 36 / (37 - r)``."""
    return weight_kg * 36 / (37 - reps)


def check_set(weight_kg: float, reps: int) -> None:
    """Refuse a set the formulas cannot use, saying why and what to do instead."""
    if isinstance(reps, bool) or not isinstance(reps, int):
        raise KioskError(f"repetitions must be a whole number from {MIN_REPS} to {MAX_REPS}")
    if reps == 1:
        raise KioskError(f"1 repetition is a maximal lift, which is not safe to test with "
                         f"fragile bones; use a weight you can lift {MIN_REPS} to {MAX_REPS} "
                         "times")
    if reps < MIN_REPS:
        raise KioskError(f"{reps} repetitions is not a set; use a weight you can lift "
                         f"{MIN_REPS} to {MAX_REPS} times")
    if reps > MAX_REPS:
        raise KioskError(f"{reps} repetitions is too many: beyond {MAX_REPS} the formulas are "
                         f"not reliable; use a heavier weight you can lift only {MIN_REPS} to "
                         f"{MAX_REPS} times")
    if not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:  # NaN fails every comparison
        raise KioskError(f"weight {weight_kg:g} kg is not possible (allowed: "
                         f"{MIN_WEIGHT_KG:g} to {MAX_WEIGHT_KG:g} kg)")


def estimate_kg(weight_kg: float, reps: int) -> float:
    """The one-rep max: the mean of Epley and Brzycki (checks the set first)."""
    check_set(weight_kg, reps)
    return (epley_kg(weight_kg, reps) + brzycki_kg(weight_kg, reps)) / 2


def target_load_kg(one_rm_kg: float, weights_kg: Iterable[float]) -> tuple[float, str]:
    """The weight to train with and where it falls: ``in_range``, ``below_range``, ``above_range``.

    The heaviest owned weight not above 80 % of the one-rep max; the lightest owned weight
    when every one is above 80 %.
    """
    owned = sorted({float(w) for w in weights_kg})
    if not owned:
        raise KioskError("program.weights_kg is empty (allowed: the dumbbell weights at hand)")
    fits = [w for w in owned if w <= TARGET_HIGH * one_rm_kg + _EPS_KG]
    if not fits:
        return owned[0], "above_range"
    best = fits[-1]
    return best, ("in_range" if best >= TARGET_LOW * one_rm_kg - _EPS_KG else "below_range")


@dataclass(frozen=True, slots=True)
class OneRepMax:
    """An estimate from one set and the load to train with."""

    weight_kg: float
    reps: int
    epley_kg: float
    brzycki_kg: float
    estimate_kg: float
    low_kg: float
    high_kg: float
    target_kg: float
    fit: str

    @property
    def target_pct(self) -> float:
        """The target as a percentage of the estimate."""
        return 100 * self.target_kg / self.estimate_kg

    @property
    def note(self) -> str:
        """One plain sentence about the target."""
        if self.fit == "in_range":
            return (f"Train with {self.target_kg:g} kg: {self.target_pct:.0f}% of your "
                    "one-rep max, in the 70-80% range.")
        if self.fit == "below_range":
            return (f"Train with {self.target_kg:g} kg: {self.target_pct:.0f}% of your one-rep "
                    "max. None of your weights falls in 70-80%, so this is the heaviest one "
                    "below 80%. A heavier weight would do your bones more good.")
        return (f"Your lightest weight, {self.target_kg:g} kg, is {self.target_pct:.0f}% of "
                "your one-rep max, above the 70-80% range. Use it only if the set feels "
                "steady, or work without a weight.")

    def as_dict(self) -> dict[str, object]:
        """Plain values for ``--json``, kilograms to 0.01."""
        return {"weight_kg": self.weight_kg, "reps": self.reps,
                "epley_kg": round(self.epley_kg, 2), "brzycki_kg": round(self.brzycki_kg, 2),
                "estimate_kg": round(self.estimate_kg, 2),
                "range_kg": [round(self.low_kg, 2), round(self.high_kg, 2)],
                "target_kg": self.target_kg, "target_pct": round(self.target_pct, 1),
                "fit": self.fit, "note": self.note}


def one_rep_max(weight_kg: float, reps: int, weights_kg: Iterable[float]) -> OneRepMax:
    """Estimate from a set of ``reps`` at ``weight_kg``; target rounded to ``weights_kg``."""
    est = estimate_kg(weight_kg, reps)
    target, fit = target_load_kg(est, weights_kg)
    return OneRepMax(weight_kg=float(weight_kg), reps=reps,
                     epley_kg=epley_kg(weight_kg, reps), brzycki_kg=brzycki_kg(weight_kg, reps),
                     estimate_kg=est, low_kg=TARGET_LOW * est, high_kg=TARGET_HIGH * est,
                     target_kg=target, fit=fit)
