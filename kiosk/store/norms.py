"""Published norms for the 30-second chair stand test, as a plain table. Pure.

Source: Rikli RE, Jones CJ. Functional fitness normative scores for community-residing older
adults, ages 60-94. J Aging Phys Act 1999;7(2):162-181: the "normal range" (25th to 75th
percentile) of the 30-second chair stand for 7,183 community-dwelling Americans aged 60 to 94,
by sex and five-year age group. Their Senior Fitness Test Manual (2nd ed., Human Kinetics,
2013) reprints it with two men's ranges one stand narrower (65-69: 13-18; 85-89: 8-13); the
lower bounds are also the CDC STEADI "below average" cut-offs. Under 60 there is no norm here.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = ("Rikli & Jones, J Aging Phys Act 1999;7:162-181: normal range (25th-75th "
          "percentile) of community-dwelling adults aged 60-94")

#: (lowest age of the group, (25th, 75th percentile) full stands in 30 s)
_RANGES: dict[str, tuple[tuple[int, tuple[int, int]], ...]] = {
    "female": ((60, (12, 17)), (65, (11, 16)), (70, (10, 15)), (75, (10, 15)), (80, (9, 14)),
               (85, (8, 13)), (90, (4, 11))),
    "male": ((60, (14, 19)), (65, (12, 18)), (70, (12, 17)), (75, (11, 17)), (80, (10, 15)),
             (85, (8, 14)), (90, (7, 12))),
}
MAX_AGE = 94


@dataclass(frozen=True, slots=True)
class ChairNorm:
    """The normal range for one sex and age group, and where a count falls in it."""

    sex: str
    ages: str
    low: int
    high: int

    def verdict(self, stands: int) -> str:
        """"below", "within" or "above" the normal range."""
        return "below" if stands < self.low else "above" if stands > self.high else "within"


def chair_norm(age: int | None, sex: str) -> ChairNorm | None:
    """The normal range for ``age`` and ``sex`` ("female"/"male"); None when either is unknown
    or the age is outside 60-94, where the norms say nothing."""
    ranges = _RANGES.get(sex)
    if ranges is None or age is None or not ranges[0][0] <= age <= MAX_AGE:
        return None
    lo_age, (low, high) = [r for r in ranges if r[0] <= age][-1]
    return ChairNorm(sex, f"{lo_age}-{min(lo_age + 4, MAX_AGE)}", low, high)
