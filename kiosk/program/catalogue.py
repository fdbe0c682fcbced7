"""The exercise catalogue: ``assets/exercises.toml`` read into ``Exercise`` values, checked once.

Every problem is reported as ``file: exercise id: field: what is wrong`` and all problems at
once, so a physical therapist editing the file fixes everything in one pass. The file is data;
what is safe for whom is decided in ``safety.py`` from the tags read here.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kiosk.errors import KioskError
from kiosk.paths import assets_dir
from kiosk.program.model import KINDS, TAGS, Dose, Exercise

#: Body sites an exercise can load or stretch (the article's fracture sites, and helpers).
SITES = ("spine", "hips", "wrists", "shoulders", "legs", "ankles")
#: What a person may need at hand; ``force_mat`` means the exercise is measured on the mat.
EQUIPMENT = ("chair", "counter", "wall", "dumbbell", "band", "towel", "pillow", "force_mat")
#: Every stretch must carry this line: the article's "to a point of stretch, not pain".
STRETCH_LIMIT_LINE = "Ease in to a gentle pull, never to pain."
#: Stretch holds the article prescribes, in seconds.
STRETCH_HOLD_RANGE_S = (20, 30)
#: Longest instruction line: each is shown alone in huge type and spoken.
MAX_LINE_CHARS = 60
MAX_NAME_CHARS = 28

_ID = re.compile(r"[a-z0-9_]+")
_FIELDS = ("id", "name", "kind", "instructions", "sites", "tags", "equipment", "dose", "why",
           "standard", "ladder", "rung")
#: Where weights wait, said in every exercise that uses them: never on the floor.
WEIGHTS_WAIT = ("table", "chair seat")
_DOSE_FIELDS = ("hold_s", "reps", "sets", "rest_s", "per_side")

Catalogue = Mapping[str, Exercise]


class CatalogueError(KioskError, ValueError):
    """The catalogue file is wrong; ``problems`` holds every line found."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def default_path() -> Path:
    """The packaged catalogue."""
    return assets_dir() / "exercises.toml"


def did_you_mean(word: str, options: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for a near miss, else an empty string."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def block_of(exercise: Exercise) -> str:
    """The plan block an exercise belongs to (one of ``model.BLOCKS``)."""
    if exercise.kind == "stomp":
        return "stomps"
    if exercise.kind == "cardio":
        return "cardio_high" if "high_intensity" in exercise.tags else "cardio_low"
    return exercise.kind


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Read and check the catalogue; exercises keyed by id, in file order."""
    path = Path(path) if path is not None else default_path()
    label = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError([f"{label}: cannot be read ({exc.strerror})"]) from None
    except UnicodeDecodeError as exc:  # raised by read_text, not by tomllib
        line = exc.object[:exc.start].count(b"\n") + 1
        raise CatalogueError([f"{label}: line {line}: not UTF-8 text (save it as UTF-8 TOML)"]) \
            from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError([f"{label}: not valid TOML: {exc}"]) from None
    except RecursionError:
        raise CatalogueError([f"{label}: not valid TOML: nested too deeply"]) from None
    return parse_catalogue(raw, label)


def parse_catalogue(raw: Mapping[str, Any], label: str = "<catalogue>") -> Catalogue:
    """Check a parsed TOML document and build the catalogue (pure; ``label`` names the file)."""
    problems: list[str] = []
    for key in raw:
        if key != "exercise":
            problems.append(f"{label}: {key}: unknown top-level key (allowed: [[exercise]])")
    entries = raw.get("exercise", [])
    if not isinstance(entries, list) or not entries:
        problems.append(f"{label}: exercise: no [[exercise]] tables found")
        entries = []
    exercises: dict[str, Exercise] = {}
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        where = f"{label}: exercise #{n}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an [[exercise]] table")
            continue
        ex_id = entry.get("id")
        id_ok = isinstance(ex_id, str) and bool(_ID.fullmatch(ex_id))
        if id_ok:
            assert isinstance(ex_id, str)  # id_ok says so
            where = f"{label}: {ex_id}"
            if ex_id in seen:
                problems.append(f"{where}: id: used twice (each id must be unique)")
            seen.add(ex_id)
        else:
            problems.append(f"{where}: id: {ex_id!r} is missing or not lower-case letters, "
                            "digits and _")
        found: list[str] = []
        exercise = _exercise(entry, found)
        problems += [f"{where}: {p}" for p in found]
        if exercise is not None and id_ok and not problems:
            exercises[exercise.id] = exercise
    if not problems:
        problems += ladder_problems(exercises.values(), label)
    if problems:
        raise CatalogueError(problems)
    return MappingProxyType(exercises)


def _strings(entry: Mapping[str, Any], key: str, found: list[str],
             allowed: tuple[str, ...] | None = None, required: bool = False) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        found.append(f"{key}: must be a list of texts in quotes")
        return ()
    if required and not value:
        found.append(f"{key}: must not be empty")
    for v in value:
        if allowed is not None and v not in allowed:
            found.append(f"{key}: {v!r} is unknown{did_you_mean(v, allowed)} "
                         f"(allowed: {', '.join(allowed)})")
    if len(set(value)) != len(value):
        found.append(f"{key}: has the same item twice")
    return tuple(value)


def _dose(entry: Mapping[str, Any], found: list[str]) -> Dose:
    raw = entry.get("dose", {})
    if not isinstance(raw, dict):
        found.append("dose: must be an [exercise.dose] table")
        return Dose()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in _DOSE_FIELDS:
            found.append(f"dose.{key}: unknown field{did_you_mean(key, _DOSE_FIELDS)} "
                         f"(allowed: {', '.join(_DOSE_FIELDS)})")
        elif key == "per_side":
            if not isinstance(value, bool):
                found.append("dose.per_side: must be true or false")
            else:
                values[key] = value
        elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 600:
            found.append(f"dose.{key}: {value!r} is not a whole number from 0 to 600")
        else:
            values[key] = value
    return Dose(**values)


def _exercise(entry: Mapping[str, Any], found: list[str]) -> Exercise | None:
    """One entry as an Exercise; complaints appended to ``found`` as ``field: problem``."""
    for key in entry:
        if key not in _FIELDS:
            found.append(f"{key}: unknown field{did_you_mean(key, _FIELDS)} "
                         f"(allowed: {', '.join(_FIELDS)})")
    name, kind, why = entry.get("name"), entry.get("kind"), entry.get("why")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME_CHARS:
        found.append(f"name: must be text of 1 to {MAX_NAME_CHARS} characters")
    if kind not in KINDS:
        found.append(f"kind: {kind!r} is not a kind (allowed: {', '.join(KINDS)})")
    if not isinstance(why, str) or not why.strip():
        found.append("why: must say in plain words why the exercise is here")
    standard = entry.get("standard", True)
    if not isinstance(standard, bool):
        found.append("standard: must be true or false")
    instructions = _strings(entry, "instructions", found, required=True)
    for line in instructions:
        if len(line) > MAX_LINE_CHARS:
            found.append(f"instructions: {line[:30]!r}… is longer than {MAX_LINE_CHARS} "
                         "characters (one short instruction per line)")
    sites = _strings(entry, "sites", found, SITES)
    tags = frozenset(_strings(entry, "tags", found, TAGS))
    equipment = _strings(entry, "equipment", found, EQUIPMENT)
    dose = _dose(entry, found)
    if kind == "stretch":
        lo, hi = STRETCH_HOLD_RANGE_S
        if not lo <= dose.hold_s <= hi:
            found.append(f"dose.hold_s: a stretch holds {lo} to {hi} seconds, not {dose.hold_s}")
        if STRETCH_LIMIT_LINE not in instructions:
            found.append(f"instructions: a stretch must include the line {STRETCH_LIMIT_LINE!r}")
    if kind == "stomp" and "impact" not in tags:
        found.append("tags: a stomp is impact work and must be tagged 'impact'")
    if kind in ("stomp", "strength") and dose.reps < 1:
        found.append(f"dose.reps: a {kind} exercise needs at least 1 repetition")
    if kind == "extensor" and (dose.hold_s < 1 or dose.reps < 1):
        found.append("dose: an extensor exercise needs hold_s and reps (holds) of at least 1")
    if "forward_bend" in tags and standard is True:
        found.append("standard: a forward_bend exercise is never scheduled; set standard = false")
    found += _safety_wording(kind, tags, equipment, instructions, dose)
    ladder, rung = entry.get("ladder", ""), entry.get("rung", 0)
    if not isinstance(ladder, str) or (ladder and not _ID.fullmatch(ladder)):
        found.append("ladder: must be lower-case letters, digits and _")
    elif isinstance(rung, bool) or not isinstance(rung, int) or (ladder and not 1 <= rung <= 9) \
            or (not ladder and rung):
        found.append("rung: a whole number from 1 to 9, given together with ladder")
    if found:
        return None
    assert isinstance(name, str) and isinstance(kind, str) and isinstance(why, str)  # or found
    return Exercise(id=str(entry.get("id", "")), name=name, kind=kind,
                    instructions=instructions, sites=sites, tags=tags, equipment=equipment,
                    dose=dose, why=why.strip(), standard=standard, ladder=ladder, rung=rung)


def _safety_wording(kind: object, tags: frozenset[str], equipment: tuple[str, ...],
                    instructions: tuple[str, ...], dose: Dose) -> list[str]:
    """DESIGN.md's rules that live in the words: a counter for stomps, balance and direction
    changes; weights that wait on a table or chair seat; one-sided work written right first."""
    found = []
    text = " ".join(instructions).lower()
    if kind in ("stomp", "balance") or "direction_change" in tags:
        what = "direction_change" if "direction_change" in tags else kind
        if "counter" not in equipment or "counter" not in text:
            found.append(f"equipment: a {what} exercise is done with a hand on a counter; "
                         "list 'counter' and say so in the instructions")
    if kind == "stomp" and "chair" in text:
        found.append("instructions: stomps hold a counter, not a chair back")
    if "dumbbell" in equipment and not any(w in text for w in WEIGHTS_WAIT):
        found.append("instructions: an exercise with weights must say they wait on a table "
                     "or chair seat (never the floor)")
    if dose.per_side and kind != "stomp" and "right" not in text:
        found.append("instructions: a per_side exercise is written for the right side first")
    if kind == "balance" and (dose.hold_s < 1 or dose.reps < 1):
        found.append("dose: a balance exercise needs hold_s and reps (holds) of at least 1")
    return found


def ladder_problems(exercises: Iterable[Exercise], label: str) -> list[str]:
    """Each ladder is one kind, with rungs 1, 2, 3... and no gaps or doubles."""
    ladders: dict[str, list[Exercise]] = {}
    for e in exercises:
        if e.ladder:
            ladders.setdefault(e.ladder, []).append(e)
    found = []
    for name, rungs in ladders.items():
        if sorted(e.rung for e in rungs) != list(range(1, len(rungs) + 1)):
            found.append(f"{label}: ladder {name}: rungs must run 1, 2, 3... once each (found "
                         f"{', '.join(f'{e.id}={e.rung}' for e in rungs)})")
        if len({e.kind for e in rungs}) > 1:
            found.append(f"{label}: ladder {name}: every rung must be the same kind")
    return found
