"""The TOML configuration: one schema, a default for every key, errors collected not thrown.

Every problem is reported as ``file: section.key: what is wrong (allowed: ...)`` and all of them
are reported at once, so a helper editing the file over SSH fixes everything in one pass.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kiosk import sections
from kiosk.errors import ConfigError
from kiosk.paths import system_config, xdg_config_file, xdg_data_dir

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Key:
    """One setting: its default, a checker returning a complaint or None, and what is allowed."""

    default: Any
    check: Callable[[Any], str | None]
    allowed: str
    doc: str = ""


def _boolean(doc: str, default: bool) -> Key:
    return Key(default, lambda v: None if isinstance(v, bool) else "not true/false",
               "true or false", doc)


def _integer(doc: str, default: int, lo: int, hi: int) -> Key:
    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int):
            return "not a whole number"
        return None if lo <= v <= hi else f"{v} is out of range"

    return Key(default, check, f"a whole number from {lo} to {hi}", doc)


def _number(doc: str, default: float, lo: float, hi: float) -> Key:
    def check(v: Any) -> str | None:
        if isinstance(v, bool) or not isinstance(v, int | float):
            return "not a number"
        return None if lo <= v <= hi else f"{v} is out of range"

    return Key(default, check, f"a number from {lo:g} to {hi:g}", doc)


def _choice(doc: str, default: str, *options: str) -> Key:
    def check(v: Any) -> str | None:
        return None if v in options else f"{v!r} is not one of the choices"

    return Key(default, check, ", ".join(repr(o) for o in options), doc)


def _text(doc: str, default: str, pattern: str | None = None, allowed: str = "any text") -> Key:
    def check(v: Any) -> str | None:
        if not isinstance(v, str):
            return "not text (put it in quotes)"
        if pattern and not re.fullmatch(pattern, v):
            return f"{v!r} is not in the right form"
        return None

    return Key(default, check, allowed, doc)


def _clock_time(doc: str, default: str) -> Key:
    def check(v: Any) -> str | None:
        if not isinstance(v, str) or not re.fullmatch(r"\d\d:\d\d", v):
            return f"{v!r} is not a time of day"
        hh, mm = int(v[:2]), int(v[3:])
        return None if hh < 24 and mm < 60 else f"{v!r} is not a time of day"

    return Key(default, check, '"HH:MM", 24-hour, in quotes', doc)


def _calendar_date(doc: str) -> Key:
    def check(v: Any) -> str | None:
        if isinstance(v, date):
            return "a date must be in quotes"
        try:
            if v != "":
                date.fromisoformat(v)
        except (TypeError, ValueError):
            return f"{v!r} is not a date"
        return None

    return Key("", check, '"YYYY-MM-DD" or "" (none)', doc)


def _list_of(doc: str, default: list, item: Key, lo: int, hi: int, unique: bool = True) -> Key:
    def check(v: Any) -> str | None:
        if not isinstance(v, list):
            return "not a list (use [ ... ])"
        if not lo <= len(v) <= hi:
            return f"has {len(v)} items"
        for x in v:
            problem = item.check(x)
            if problem:
                return f"item {x!r}: {problem}"
        if unique and len({repr(x) for x in v}) != len(v):
            return "has the same item twice"
        return None

    return Key(default, check, f"a list of {lo} to {hi} items, each {item.allowed}", doc)


_day = _choice("", "mon", *WEEKDAYS)
_exercise_id = _text("", "", r"[a-z0-9_]+", "exercise ids from `osteo-kiosk plan --catalogue`")
_pin = _text("", "", r"(|GPIO\d{1,2}|BOARD\d{1,2}|\d{1,2})", '"" (none) or a pin such as "GPIO17"')

SCHEMA: Mapping[str, Mapping[str, Key]] = {
    "profile": {
        "name": _text("How the coach greets the person.", ""),
        "fracture_history": Key(
            "unknown",
            lambda v: None if v in ("yes", "no", "unknown") or isinstance(v, bool)
            else f"{v!r} is not one of the choices",
            "'yes', 'no', 'unknown' (true/false from older files mean yes/no)",
            "Has had an osteoporotic fracture. 'unknown' counts as yes: most spine fractures "
            "are never diagnosed. After one, no side bending, twisting, floor work (unless "
            "cleared) or impact above brisk walking (unless overridden)."),
        "impact_cleared": _boolean(
            "A clinician has cleared impact work (stomps, jogging). Off until one says so.",
            False),
        "impact_cleared_by": _text("Who cleared impact work (name and role).", ""),
        "impact_cleared_on": _calendar_date("When impact work was cleared."),
        "impact_override": _list_of(
            "After a fracture, the higher-impact exercises a clinician's separate, dated "
            "override allows (e.g. [\"heel_stomp\"]).", [], _exercise_id, 0, 10),
        "impact_override_by": _text("Who signed the impact override.", ""),
        "impact_override_on": _calendar_date("When the impact override was given."),
        "floor_cleared": _boolean(
            "A clinician has cleared getting down to the floor and up (needed after a "
            "fracture for floor exercises).", False),
        "pain_cleared": _list_of(
            "Exercises paused after two \"it hurt\" answers in a week that the helper has "
            "looked at and cleared (e.g. [\"calf_stretch\"]); needs pain_cleared_on.", [],
            _exercise_id, 0, 40),
        "pain_cleared_on": _calendar_date("When the helper cleared the paused exercises; "
                                          "a pause after this day needs a new date."),
        "body_mass_kg": _number("Body mass, for the sit-to-stand estimate; 0 if not known.",
                                0.0, 0.0, 250.0),
        "birth_year": _integer("Year of birth, for the chair stand check's norms (0: not given).",
                               0, 0, 2100),
        "sex": _choice("Sex, for the chair stand check's norms (\"\": not given).", "", "",
                       "female", "male"),
    },
    "schedule": {
        "morning": _clock_time("When the morning session is due.", "09:00"),
        "evening": _clock_time("When the evening session is due.", "17:30"),
        "quiet_start": _clock_time("From this time the kiosk stays silent.", "21:00"),
        "quiet_end": _clock_time("Until this time the kiosk stays silent.", "08:00"),
        "reminders": _boolean("Remind on screen and by voice when a session is due.", True),
        "strength_days": _list_of("Days for strength work (2-3, not back to back).",
                                  ["mon", "wed", "fri"], _day, 2, 3),
        "high_cardio_days": _list_of("Days for brisker cardio (2-3); the others are gentle.",
                                     ["tue", "thu", "sat"], _day, 2, 3),
        "stretches_per_day": _integer("Stretch once (evening) or twice a day.", 2, 1, 2),
    },
    "program": {
        "stomps_per_foot": _integer("Stomps on each foot in one set (the kiosk gives at most "
                                    "4, the article's dose).", 4, 1, 12),
        "stomp_target_bw": _number(
            "How hard a stomp must land at first, in multiples of standing body weight; it "
            "rises as the person reaches it.", 1.5, 1.4, 4.0),
        "stomp_ceiling_bw": _number(
            "The highest the stomp target may rise to, in body weights.", 2.5, 1.4, 4.0),
        "hold_s": _integer("How long each stretch is held, in seconds.", 25, 20, 30),
        "strength_sets": _integer("Sets of each strength exercise.", 2, 1, 4),
        "strength_reps": _integer("Repetitions in a strength set (heavy, so few).", 8, 3, 12),
        "strength_rest_s": _integer("Rest between strength sets, in seconds.", 90, 30, 240),
        "extensor_holds": _integer("Holds of the daily back-extensor exercise.", 5, 1, 10),
        "extensor_hold_s": _integer("Seconds each back-extensor hold lasts.", 5, 3, 10),
        "cardio_high_min": _integer("Minutes of brisk marching on a brisk day.", 10, 1, 40),
        "cardio_low_min": _integer("Minutes of easy marching on a gentle day.", 10, 1, 40),
        "cadence_high_spm": _integer("Target steps per minute on a brisk day.", 115, 80, 150),
        "cadence_low_spm": _integer("Target steps per minute on a gentle day.", 90, 60, 130),
        "weights_kg": _list_of("The dumbbell weights at hand; targets round to these.",
                               [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0],
                               _number("", 1.0, 0.25, 100.0), 1, 40),
        "exclude": _list_of("Exercises to leave out.", [], _exercise_id, 0, 50),
        "include": _list_of("Extra exercises to add (refused if unsafe for the profile).",
                            [], _exercise_id, 0, 50),
    },
    "coach": {
        "pause_after_off_s": _number("Stepping off the mat this long pauses the session.",
                                     3.0, 1.0, 10.0),
        "stop_after_pause_s": _number("A pause this long ends the session (completed sets kept).",
                                      600.0, 60.0, 3600.0),
    },
    "mat": {
        "source": _choice("Where foot force comes from.", "auto",
                          "auto", "mcp3008", "keyboard", "sim"),
        "left_channels": _list_of("MCP3008 channels under the left foot.", [0],
                                  _integer("", 0, 0, 7), 1, 2),
        "right_channels": _list_of("MCP3008 channels under the right foot.", [1],
                                   _integer("", 1, 0, 7), 1, 2),
        "spi_port": _integer("SPI bus (0 = SPI0).", 0, 0, 1),
        "spi_device": _integer("SPI chip select (0 = CE0).", 0, 0, 1),
        "spi_clock_hz": _integer("SPI clock; the MCP3008 allows 1.35 MHz at 3.3 V.",
                                 1_000_000, 50_000, 1_350_000),
        "divider_ohms": _integer("The fixed resistor of each FSR's voltage divider.",
                                 10_000, 1_000, 1_000_000),
        "rate_hz": _integer("Samples per second on each channel.", 250, 50, 1000),
    },
    "voice": {
        "enabled": _boolean("Speak cues aloud (captions are always shown).", True),
        "voice": _text("eSpeak NG voice, such as \"en-gb\"; empty for the default.", "en"),
        # eSpeak NG's rate setting; 97 speaks ~125 words/min of actual speech, the pace for
        # older listeners (measured and cited in kiosk/coach/speech.py)
        "rate_wpm": _integer("eSpeak NG speaking rate; 97 speaks about 125 words a minute.",
                             97, 80, 250),
        "gap_s": _number("Seconds of quiet between spoken lines.", 1.0, 0.5, 5.0),
        "volume": _number("Loudness from 0 to 1.", 1.0, 0.0, 1.0),
        "audio_device": _text("SDL audio output device name; empty for the default.", ""),
    },
    "display": {
        "fullscreen": _boolean("Fill the screen (the kiosk); false opens a window.", True),
        "width": _integer("Window width in pixels; 0 uses the screen's own size.", 0, 0, 7680),
        "height": _integer("Window height in pixels; 0 uses the screen's own size.", 0, 0, 4320),
        "fps": _integer("Frames drawn per second.", 30, 10, 60),
        # the screens are laid out for landscape only: a quarter turn would make them portrait
        "rotate": Key(
            0,
            lambda v: None if type(v) is int and v in (0, 180) else
            "not a whole number" if type(v) is not int else
            f"{v} would turn the screens to portrait" if v % 180 == 90 else
            f"{v} is not a half turn",
            "0 or 180; mount the screen in landscape",
            "Turn the picture by 180 degrees for a screen mounted upside down."),
        "sleep_after_min": _integer("Let the screen go dark after this many minutes on the "
                                    "home screen with nobody on the mat and no reminder due; "
                                    "0 means never.", 15, 0, 120),
        # Debian 13 arm64 bound its display driver 26 s after the kiosk started (docs/pi.md)
        "wait_s": _integer("Seconds to wait at start for a screen whose driver comes up late "
                           "(at boot); after that the kiosk exits and systemd starts it again.",
                           60, 0, 300),
    },
    "buttons": {
        "pause_pin": _pin,
        "skip_pin": _pin,
        "stop_pin": _pin,
    },
    "storage": {
        "data_dir": _text("Where the log, calibration and voice cache live; empty for "
                          "$XDG_DATA_HOME/osteo-kiosk.", "", r"(|/.*|~.*)",
                          '"" or an absolute path such as "/var/lib/osteo-kiosk"'),
        "log_group": _text("A group that may read the log (files become 0640); empty for 0600.",
                           ""),
    },
}


MAX_PEOPLE = 4  # a household: Nintendo's board keeps eight; a kiosk's list of names, four
_PERSON_KEY = r"[a-z][a-z0-9_-]{0,19}"
_SAYABLE = r"[^\W\d_](?:[^\W\d_]|[ '.-]){0,19}"  # letters, spaces, hyphens, apostrophes


@dataclass(frozen=True)
class Config:
    """The effective configuration: defaults overlaid with the file, all validated, as typed
    sections (``kiosk.sections``) a checker can follow.

    ``profile``, ``schedule`` and ``program`` are the person's in a single-person file; in a
    household (``[people.NAME]`` tables) they are the shared starting values with a default
    profile (nobody's clearances), and ``for_person(key)`` is that person's configuration.
    ``people`` always lists everyone (a single-person file: one person, ``sections.SOLO``)."""

    profile: sections.Profile
    schedule: sections.Schedule
    program: sections.Program
    coach: sections.Coach
    mat: sections.Mat
    voice: sections.Voice
    display: sections.Display
    buttons: sections.Buttons
    storage: sections.Storage
    source: Path | None = None
    people: tuple[sections.Person, ...] = ()
    household: bool = False  # the file lists people in [people.NAME] tables

    @classmethod
    def from_values(cls, values: Mapping[str, Any], source: Path | None = None) -> Config:
        """Typed sections from values already checked against ``SCHEMA`` (``people``: per
        person key, that person's full ``profile``, ``schedule`` and ``program`` values)."""
        built = {name: sections.build(kind, name, values[name])
                 for name, kind in sections.SECTIONS.items()}
        household = "people" in values
        if household:
            people = tuple(_person(key, own) for key, own in values["people"].items())
        else:
            people = (_person(sections.SOLO, {s: values[s] for s in sections.PERSON_SECTIONS}),)
        return cls(**built, source=source, people=people,  # type: ignore[arg-type]
                   household=household)

    def as_dict(self) -> dict[str, Any]:
        """Plain values by section (lists as lists), as the file and ``--json`` hold them; a
        household's people under ``people``, each with their own sections."""
        out: dict[str, Any] = {name: _plain(getattr(self, name)) for name in sections.SECTIONS}
        if self.household:
            out["people"] = {p.key: {s: _plain(getattr(p, s)) for s in sections.PERSON_SECTIONS}
                             for p in self.people}
        return out

    def replace(self, **changes: Mapping[str, Any]) -> Config:
        """A copy with some keys changed, e.g. ``replace(profile={"impact_cleared": True})``;
        in a household a person's sections change with it (the demo clears everyone's impact
        work this way)."""
        values = self.as_dict()
        for name, section_changes in changes.items():
            values[name].update(section_changes)
            for own in values.get("people", {}).values():
                if name in own:
                    own[name].update(section_changes)
        if self.household:  # a household's shared profile is the default one, not a table
            values.pop("profile")
        return validated(values, str(self.source or "<override>"), self.source)

    def person(self, key: str) -> sections.Person:
        """Someone by their log key, exactly (the kiosk's own lookup: a name never stands in
        for a key); KeyError names who there is."""
        for p in self.people:
            if p.key == key:
                return p
        raise KeyError(f"no person {key!r} (allowed: {', '.join(self.names())})")

    def find(self, name: str) -> sections.Person:
        """Someone as a helper names them on the command line: their log key first, then
        their name, in any case (``config`` refuses a name that is another person's key)."""
        wanted = name.casefold()
        for match in (lambda p: p.key.casefold() == wanted,
                      lambda p: p.name.casefold() == wanted):
            for p in self.people:
                if match(p):
                    return p
        raise KeyError(f"no person {name!r} (allowed: {', '.join(self.names())})")

    def names(self) -> tuple[str, ...]:
        """Everyone's log key, in the file's order."""
        return tuple(p.key for p in self.people)

    def for_person(self, key: str) -> Config:
        """This configuration as one person's: their profile, schedule and program, the
        kiosk's own sections unchanged (what the plan, the coach and the report read)."""
        p = self.person(key)
        return dataclasses.replace(self, profile=p.profile, schedule=p.schedule,
                                   program=p.program)

    def calibration_file(self, person: str | None = None) -> Path:
        """A person's weigh-in on the mat (the first person's by default):
        ``calibration.json`` for the one person of a file without people, and for a
        household's ``[people.me]``, who keeps it; else ``calibration-NAME.json``."""
        key = person if person is not None else self.people[0].key
        return self.data_dir / ("calibration.json" if key == sections.SOLO
                                else f"calibration-{key}.json")

    def stop_rules_request_file(self, person: str | None = None) -> Path:
        """Where ``plan --say-stop-rules`` leaves the day a person's helper asked for the stop
        rules to be said at their next session (an ISO date)."""
        key = person if person is not None else self.people[0].key
        return self.data_dir / ("say-stop-rules" if key == sections.SOLO
                                else f"say-stop-rules-{key}")

    @property
    def data_dir(self) -> Path:
        return Path(self.storage.data_dir).expanduser() if self.storage.data_dir else xdg_data_dir()


def _plain(section: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in section.items()}


def _person(key: str, own: Mapping[str, Mapping[str, Any]]) -> sections.Person:
    built = {s: sections.build(sections.SECTIONS[s], s, own[s]) for s in sections.PERSON_SECTIONS}
    name = built["profile"]["name"] or ("" if key == sections.SOLO else key.capitalize())
    return sections.Person(key, name, **built)  # type: ignore[arg-type]


def defaults() -> Config:
    """Every key at its default."""
    return Config.from_values(defaults_values())


def _hint(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def problems_in(raw: Mapping[str, Any], label: str) -> list[str]:
    """Every problem in a parsed TOML document's kiosk-wide and single-person tables, as
    ``label: section.key: ... (allowed: ...)`` (``people`` tables: ``people_problems``)."""
    found: list[str] = []
    for section, table in raw.items():
        if section == "people":
            continue
        if section not in SCHEMA:
            found.append(f"{label}: {section}: unknown section{_hint(section, list(SCHEMA))} "
                         f"(allowed: {', '.join(SCHEMA)}, people)")
            continue
        found += _table_problems(section, table, label, section)
    return found


def _table_problems(section: str, table: Any, label: str, dotted: str) -> list[str]:
    """The problems of one ``[section]`` table, named ``label: dotted.key``."""
    if not isinstance(table, dict):
        return [f"{label}: {dotted}: must be a [{dotted}] table"]
    found = []
    keys = SCHEMA[section]
    for key, value in table.items():
        if key not in keys:
            found.append(f"{label}: {dotted}.{key}: unknown key{_hint(key, list(keys))} "
                         f"(allowed: {', '.join(keys)})")
            continue
        problem = keys[key].check(value)
        if problem:
            found.append(f"{label}: {dotted}.{key}: {problem} (allowed: {keys[key].allowed})")
    return found


def _overlay(values: dict[str, Any], section: str, table: Any) -> None:
    """Put a table's valid keys over ``values`` (a section's values), floats as floats."""
    if not isinstance(table, dict):
        return
    for key, value in table.items():
        spec = SCHEMA[section].get(key)
        if spec is not None and not spec.check(value):
            values[key] = float(value) if isinstance(spec.default, float) else value


def people_problems(raw: Any, shared: Mapping[str, Mapping[str, Any]], label: str,
                    has_profile: bool) -> tuple[dict[str, dict[str, dict[str, Any]]], list[str]]:
    """A household's ``[people.NAME]`` tables: each person's sections (their profile over the
    defaults, their schedule and program over the shared ones) and every problem, as
    ``label: people.NAME.section.key: ...``. Names are spoken and shown: letters only, each
    told apart from the others."""
    if not isinstance(raw, dict):
        return {}, [f"{label}: people: must be tables such as [people.anna.profile] "
                    f"(allowed: 1 to {MAX_PEOPLE} people)"]
    found: list[str] = []
    if not raw:
        found.append(f"{label}: people: nobody is listed (allowed: 1 to {MAX_PEOPLE} "
                     "[people.NAME] tables)")
    if len(raw) > MAX_PEOPLE:
        found.append(f"{label}: people: {len(raw)} people are listed (allowed: at most "
                     f"{MAX_PEOPLE})")
    if has_profile:
        found.append(f"{label}: profile: a household keeps each person's profile in their own "
                     "table (allowed: [people.NAME.profile], no top-level [profile])")
    people: dict[str, dict[str, dict[str, Any]]] = {}
    said: dict[str, str] = {}
    for key, table in raw.items():
        where = f"people.{key}"
        if not re.fullmatch(_PERSON_KEY, key):
            found.append(f"{label}: {where}: {key!r} cannot name a person in the log (allowed: "
                         "lower-case letters, digits, - and _, starting with a letter, up to "
                         "20, such as people.anna)")
        if not isinstance(table, dict):
            found.append(f"{label}: {where}: must be a table (allowed: [{where}.profile], "
                         f"[{where}.schedule], [{where}.program])")
            continue
        own: dict[str, dict[str, Any]] = {
            s: dict(defaults_values()[s] if s == "profile" else shared[s])
            for s in sections.PERSON_SECTIONS}
        for section, sub in table.items():
            if section not in sections.PERSON_SECTIONS:
                kind = ("is the kiosk's, shared by everyone (allowed: a top-level "
                        f"[{section}])") if section in SCHEMA else (
                    f"unknown section{_hint(section, list(sections.PERSON_SECTIONS))} (allowed: "
                    f"{', '.join(sections.PERSON_SECTIONS)})")
                found.append(f"{label}: {where}.{section}: {kind}")
                continue
            found += _table_problems(section, sub, label, f"{where}.{section}")
            _overlay(own[section], section, sub)
        found += _schedule_checks(own["schedule"], label, f"{where}.schedule")
        name = own["profile"]["name"] or key.capitalize()
        if not re.fullmatch(_SAYABLE, name):
            found.append(f"{label}: {where}.profile.name: {name!r} cannot be said and shown as a "
                         "name (allowed: letters, spaces, - and ', up to 20)")
        if name.casefold() in said:
            found.append(f"{label}: {where}.profile.name: {name!r} is also people."
                         f"{said[name.casefold()]}'s name (allowed: a name no one else has)")
        said.setdefault(name.casefold(), key)
        people[key] = own
    for name, key in said.items():  # --person takes a key or a name: neither may be ambiguous
        if name in raw and name != key:
            found.append(f"{label}: people.{key}.profile.name: {name!r} is also the key of "
                         f"people.{name} (allowed: a name that is not another person's key)")
    return people, found


def _cross_checks(values: Mapping[str, Mapping[str, Any]], label: str) -> list[str]:
    found = []
    mat = values["mat"]
    shared = set(mat["left_channels"]) & set(mat["right_channels"])
    if shared:
        found.append(f"{label}: mat.right_channels: channel {sorted(shared)[0]} is also a left "
                     "channel (allowed: each MCP3008 channel under one foot only)")
    return found + _schedule_checks(values["schedule"], label, "schedule")


def _schedule_checks(sched: Mapping[str, Any], label: str, dotted: str) -> list[str]:
    """A schedule's rules across keys, named ``label: dotted.key``."""
    found = []
    for key, why in (("strength_days", "days with a rest day between, so muscles recover"),
                     ("high_cardio_days", "brisk days with a gentle day between")):
        pair = _back_to_back(sched[key])
        if pair:
            found.append(f"{label}: {dotted}.{key}: {pair[0]} and {pair[1]} are back to back "
                         f"(allowed: {why})")
    if sched["morning"] >= sched["evening"]:
        found.append(f"{label}: {dotted}.evening: {sched['evening']} is not after the morning "
                     f"session at {sched['morning']} (allowed: a time later than "
                     f"{dotted}.morning)")
    return found


def _back_to_back(days: list[str]) -> tuple[str, str] | None:
    """Two of ``days`` that follow each other, Sunday into Monday included."""
    for a in days:
        b = WEEKDAYS[(WEEKDAYS.index(a) + 1) % 7]
        if b in days:
            return a, b
    return None


def defaults_values() -> dict[str, dict[str, Any]]:
    """Every key's default, by section."""
    return {s: {k: key.default for k, key in keys.items()} for s, keys in SCHEMA.items()}


def validated(raw: Mapping[str, Any], label: str, source: Path | None = None) -> Config:
    """Overlay ``raw`` on the defaults; raise ConfigError listing every problem."""
    found = problems_in(raw, label)
    values: dict[str, Any] = defaults_values()
    for section, table in raw.items():
        if section in SCHEMA:
            _overlay(values[section], section, table)
    found += _cross_checks(values, label)
    if "people" in raw:
        values["people"], more = people_problems(raw["people"], values, label,
                                                 "profile" in raw)
        found += more
        values["profile"] = defaults_values()["profile"]
        if not values["people"]:
            del values["people"]
    if found:
        raise ConfigError(found, Config.from_values(values, source))
    return Config.from_values(values, source)


def find_file(explicit: str | os.PathLike | None = None) -> tuple[Path | None, bool]:
    """The config file to use and whether it was asked for by name (so must exist)."""
    if explicit:
        return Path(explicit), True
    env = os.environ.get("OSTEO_KIOSK_CONFIG")
    if env:
        return Path(env), True
    for candidate in (xdg_config_file(), system_config()):
        if candidate.is_file():
            return candidate, False
    return None, False


def load(explicit: str | os.PathLike | None = None) -> Config:
    """Find, read and validate the configuration (defaults when there is no file)."""
    path, named = find_file(explicit)
    if path is None:
        return defaults()
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if named:
            raise ConfigError([f"{label}: no such config file"]) from None
        return defaults()
    except OSError as exc:
        raise ConfigError([f"{label}: cannot be read ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:  # raised by read_text, not by tomllib
        line = exc.object[:exc.start].count(b"\n") + 1
        raise ConfigError([f"{label}: line {line}: not UTF-8 text (save it as UTF-8 TOML)"]) \
            from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{label}: not valid TOML: {exc}"]) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError([f"{label}: not valid TOML: nested too deeply"]) from None
    return validated(raw, label, path)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return repr(value)


def to_toml(config: Config, comments: bool = True) -> str:
    """The effective configuration as a TOML document (comments explain each key)."""
    lines = []
    for section, keys in SCHEMA.items():
        if section == "profile" and config.household:
            continue  # each person's profile is in their own table below
        lines.append(f"[{section}]")
        for key, spec in keys.items():
            if comments and spec.doc:
                lines.append(f"# {spec.doc} Allowed: {spec.allowed}.")
            lines.append(f"{key} = {_toml_value(getattr(config, section)[key])}")
        lines.append("")
    if config.household:
        if comments:
            lines.append("# The household: each person's own profile, schedule and program.")
        for person in config.people:
            for section in sections.PERSON_SECTIONS:
                lines.append(f"[people.{person.key}.{section}]")
                own = getattr(person, section)
                lines += [f"{k} = {_toml_value(own[k])}" for k in SCHEMA[section]]
                lines.append("")
    return "\n".join(lines)
