"""The configuration's sections as frozen, typed records, built only after validation.

``config.SCHEMA`` stays the one place that says what each key allows (and what goes wrong);
these classes say what code may read, so ``cfg.mat.rate_hz`` is an ``int`` to the type checker
and ``cfg.mat.rate_hx`` is an error before the kiosk ever runs. A key added to the schema gets
a field here with the same name: ``build`` refuses a mismatch, and a test checks every section.

Lists from the file become tuples, so a section cannot be changed in place. Sections are also
read-only mappings (``section["rate_hz"]``) for code that walks keys by name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeVar


class SectionBase(Mapping[str, Any]):
    """Key access over a section's fields, in schema order."""

    def __getitem__(self, key: str) -> Any:
        if key not in self.keys_():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys_())

    def __len__(self) -> int:
        return len(self.keys_())

    @classmethod
    def keys_(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile(SectionBase):
    name: str
    fracture_history: str | bool  # "yes" | "no" | "unknown"; true/false from older files
    impact_cleared: bool
    impact_cleared_by: str
    impact_cleared_on: str  # "YYYY-MM-DD" or ""
    impact_override: tuple[str, ...]
    impact_override_by: str
    impact_override_on: str
    floor_cleared: bool
    pain_cleared: tuple[str, ...]
    pain_cleared_on: str  # "YYYY-MM-DD" or ""
    body_mass_kg: float
    birth_year: int
    sex: str


@dataclass(frozen=True)
class Schedule(SectionBase):
    morning: str
    evening: str
    quiet_start: str
    quiet_end: str
    reminders: bool
    strength_days: tuple[str, ...]
    high_cardio_days: tuple[str, ...]
    stretches_per_day: int


@dataclass(frozen=True)
class Program(SectionBase):
    stomps_per_foot: int
    stomp_target_bw: float
    stomp_ceiling_bw: float
    hold_s: int
    strength_sets: int
    strength_reps: int
    strength_rest_s: int
    extensor_holds: int
    extensor_hold_s: int
    cardio_high_min: int
    cardio_low_min: int
    cadence_high_spm: int
    cadence_low_spm: int
    weights_kg: tuple[float, ...]
    exclude: tuple[str, ...]
    include: tuple[str, ...]


@dataclass(frozen=True)
class Coach(SectionBase):
    pause_after_off_s: float
    stop_after_pause_s: float


@dataclass(frozen=True)
class Mat(SectionBase):
    source: str
    left_channels: tuple[int, ...]
    right_channels: tuple[int, ...]
    spi_port: int
    spi_device: int
    spi_clock_hz: int
    divider_ohms: int
    rate_hz: int


@dataclass(frozen=True)
class Voice(SectionBase):
    enabled: bool
    voice: str
    rate_wpm: int
    gap_s: float
    volume: float
    audio_device: str


@dataclass(frozen=True)
class Display(SectionBase):
    fullscreen: bool
    width: int
    height: int
    fps: int
    rotate: int
    sleep_after_min: int
    wait_s: int


@dataclass(frozen=True)
class Buttons(SectionBase):
    pause_pin: str
    skip_pin: str
    stop_pin: str


@dataclass(frozen=True)
class Storage(SectionBase):
    data_dir: str
    log_group: str


# the section each [table] of the file becomes; a new table needs a class and a line here
SECTIONS: dict[str, type[SectionBase]] = {
    "profile": Profile, "schedule": Schedule, "program": Program, "coach": Coach, "mat": Mat,
    "voice": Voice, "display": Display, "buttons": Buttons, "storage": Storage,
}

#: The sections that belong to one person in a household (``[people.NAME.profile]`` ...); the
#: others (mat, voice, display, buttons, storage, coach) are the kiosk's, shared by everyone.
PERSON_SECTIONS = ("profile", "schedule", "program")

#: The log's name for the one person of a config without ``[people]`` tables (and for every
#: row a log held before people were kept apart): a household keeps that history by naming
#: the person's table ``[people.me]``.
SOLO = "me"


@dataclass(frozen=True)
class Person:
    """One person of the household: ``key`` names them in the log and on the command line
    (``--person``), ``name`` is what the kiosk says and shows, and their own sections."""

    key: str
    name: str
    profile: Profile
    schedule: Schedule
    program: Program


S = TypeVar("S", bound=SectionBase)


def build(cls: type[S], name: str, values: Mapping[str, Any]) -> S:
    """A section from validated values; a schema key without a field (or the reverse) is a
    programming error named here, not a confusing TypeError."""
    have, want = set(values), set(cls.keys_())
    if have != want:
        raise RuntimeError(f"config section [{name}]: schema keys {sorted(have - want)} have no "
                           f"field in kiosk.sections.{cls.__name__}, fields {sorted(want - have)}"
                           " have no schema key")
    return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
