"""What `config check` warns about: values the schema accepts but a helper should look at twice.

Not errors (the kiosk still runs, and the plan caps what it must), but each says what the
published dose is and what the kiosk will do instead, so an extreme never passes silently.
"""

from __future__ import annotations

from typing import Any

from kiosk.program.catalogue import Catalogue
from kiosk.program.model import BLOCKS
from kiosk.program.plan import BLOCK_LABELS, block_exercises
from kiosk.program.progression import MAX_STRENGTH_SETS, STOMPS_PER_FOOT_CAP
from kiosk.program.safety import profile_from

#: Force-plate stomps: 2.9-3.1 body weights at moderate effort, 4.4-4.9 hard (Ryan, Clissold
#: & Winwood 2021); this mat under-reads, so above 3 on it is hard effort or out of reach.
HARD_STOMP_BW = 3.0
#: Too Fit To Fracture (Giangregorio 2014): 8-12 repetitions.
MIN_STRENGTH_REPS = 8


def program_warnings(config: Any, catalogue: Catalogue) -> list[str]:
    """Every warning for this config, as ``section.key: what and why`` lines."""
    p, out = config.program, []
    if p["stomps_per_foot"] > STOMPS_PER_FOOT_CAP:
        out.append(f"program.stomps_per_foot: {p['stomps_per_foot']} is more than the "
                   f"article's {STOMPS_PER_FOOT_CAP} a foot; the kiosk gives "
                   f"{STOMPS_PER_FOOT_CAP}")
    for key in ("stomp_target_bw", "stomp_ceiling_bw"):
        if p[key] > HARD_STOMP_BW:
            out.append(f"program.{key}: {p[key]:g} body weights is hard effort (force-plate "
                       "stomps reach about 3 at moderate effort); check it with the clinician")
    if p["stomp_target_bw"] > p["stomp_ceiling_bw"]:
        out.append(f"program.stomp_target_bw: {p['stomp_target_bw']:g} is above "
                   f"program.stomp_ceiling_bw ({p['stomp_ceiling_bw']:g}); the ceiling wins")
    if p["strength_sets"] > MAX_STRENGTH_SETS:
        out.append(f"program.strength_sets: {p['strength_sets']} is more than the 1-3 sets "
                   f"advised without supervision; the kiosk gives {MAX_STRENGTH_SETS}")
    if p["strength_reps"] < MIN_STRENGTH_REPS:
        out.append(f"program.strength_reps: {p['strength_reps']} is below the 8-12 advised; "
                   "fewer, heavier lifts are for supervised training")
    out += _profile_warnings(config.profile)
    out += _empty_blocks(config, catalogue)
    return out


def _profile_warnings(profile: Any) -> list[str]:
    out = []
    if profile["impact_cleared"] and not (profile["impact_cleared_by"]
                                          and profile["impact_cleared_on"]):
        out.append("profile.impact_cleared: true, but who cleared it and when are not "
                   "recorded (profile.impact_cleared_by, profile.impact_cleared_on)")
    if profile["impact_override"] and profile["fracture_history"] in ("no", False):
        out.append("profile.impact_override: has no effect while fracture_history is 'no'; "
                   "impact_cleared is what allows stomps then")
    return out


def _empty_blocks(config: Any, catalogue: Catalogue) -> list[str]:
    """A block, or the whole program, left with nothing by ``program.exclude``."""
    include, exclude = tuple(config.program["include"]), tuple(config.program["exclude"])
    profile = profile_from(config)
    picked = {b: block_exercises(b, catalogue, profile, include, exclude) for b in BLOCKS}
    if not any(picked.values()):
        return ["program.exclude: every exercise is excluded or refused: the plan is empty"]
    unfiltered = {b: block_exercises(b, catalogue, profile, include) for b in BLOCKS}
    return [f"program.exclude: leaves no {BLOCK_LABELS[b]} exercise (the block is skipped)"
            for b in BLOCKS if unfiltered[b] and not picked[b]]
