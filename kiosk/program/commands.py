"""Subcommands of the program room: ``plan`` (today, the week, the catalogue) and ``onerm``.

The thin shell: read the config and catalogue, call the pure functions, print a table or JSON.
"""

from __future__ import annotations

import argparse
import textwrap
from datetime import date
from typing import TYPE_CHECKING, Any

from kiosk.cliutil import add_config, add_json, add_person, config_from, person_from
from kiosk.errors import KioskError
from kiosk.output import emit, table
from kiosk.program.advice import HONEST_CLAIM, STOP_RULES, YOGA_PILATES, stop_rules_text
from kiosk.program.catalogue import Catalogue, block_of, load_catalogue
from kiosk.program.ledger import DayRun
from kiosk.program.model import Exercise, Profile
from kiosk.program.onerm import MAX_REPS, MIN_REPS, one_rep_max
from kiosk.program.plan import (
    BLOCK_LABELS,
    DayPlan,
    block_exercises,
    cardio_minutes,
    day_as_dict,
    week_plan,
)
from kiosk.program.progression import (
    BALANCE_START_HOLD_S,
    MAX_STRENGTH_SETS,
    STOMPS_PER_FOOT_CAP,
    ProgressState,
    initial_state,
)
from kiosk.program.safety import check_request, exclusion_reason, profile_from
from kiosk.sections import SOLO

if TYPE_CHECKING:
    from kiosk.config import Config

WIDTH = 80


def register(sub: argparse._SubParsersAction) -> None:
    """Add this room's subcommands to the `osteo-kiosk` parser."""
    p = sub.add_parser("plan", help="what today and the coming week hold",
                       description="Show today's sessions and the week ahead, with why each "
                                   "block is there; or list the exercise catalogue.")
    p.add_argument("--date", type=_iso_date, metavar="YYYY-MM-DD",
                   help="show the plan from this day instead of today")
    p.add_argument("--catalogue", action="store_true",
                   help="list every exercise, its movement tags and whether this profile "
                        "allows it")
    p.add_argument("--say-stop-rules", action="store_true",
                   help="ask the kiosk to say and show when to stop at the person's next "
                        "session (and at each session of a day that has not heard them since)")
    add_config(p)
    add_json(p)
    add_person(p, "plan")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser("onerm", help="estimate a one-rep max and the weight to train with",
                       description=f"Estimate the one-rep max from a set of {MIN_REPS} to "
                                   f"{MAX_REPS} repetitions (mean of Epley and Brzycki) and "
                                   "give the 70 to 80 percent training weight, rounded to "
                                   "program.weights_kg.")
    p.add_argument("weight_kg", type=float, metavar="WEIGHT",
                   help="the weight lifted, in kilograms")
    p.add_argument("reps", type=int, metavar="REPS",
                   help=f"how many times it was lifted ({MIN_REPS} to {MAX_REPS})")
    p.add_argument("--exercise", metavar="ID",
                   help="the strength exercise, so the result is kept for it "
                        "(ids from `osteo-kiosk plan --catalogue`)")
    add_config(p)
    add_json(p)
    add_person(p, "one-rep max")
    p.set_defaults(func=cmd_onerm)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


# --- plan -----------------------------------------------------------------------------------

def cmd_plan(args: argparse.Namespace) -> int:
    config, person = person_from(args, config_from(args))
    if args.say_stop_rules:
        return ask_for_stop_rules(config, person, date.today())
    catalogue = load_catalogue()
    profile = profile_from(config)
    if args.catalogue:
        rows = catalogue_rows(catalogue, profile, config.program)
        emit(rows, args.json, None if args.json else format_catalogue(rows))
        return 0
    start = args.date or date.today()
    run = logged_run(config, catalogue, start, person)
    state = run.state
    week = week_plan(config, catalogue, start, state=state)
    data = {"profile": profile_dict(profile),
            "progress": {"stomp_target_bw": state.stomp_target_bw,
                         "weekly_min": state.weekly_min, "loads_kg": dict(state.loads_kg),
                         "rungs": dict(state.rungs), "retest_due": sorted(state.retest_due),
                         "paused": {k: v.isoformat() for k, v in state.paused.items()},
                         "decisions": [d.as_dict() for d in run.decisions]},
            "today": day_as_dict(week[0], catalogue),
            "week": [day_as_dict(d, catalogue) for d in week],
            "stop_rules": list(STOP_RULES), "about": [HONEST_CLAIM, YOGA_PILATES]}
    text = None if args.json else "\n\n".join([
        format_today(week[0], catalogue, config, state), *format_progress(run, catalogue),
        format_profile(profile),
        format_week(week), *(textwrap.fill(t, WIDTH) for t in
                             (stop_rules_text(), HONEST_CLAIM, YOGA_PILATES))])
    emit(data, args.json, text)
    return 0


def ask_for_stop_rules(config: Config, person: str, today: date) -> int:
    """Leave the request where the kiosk reads it when it plans the person's next session."""
    path = config.stop_rules_request_file(person)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(today.isoformat() + "\n", encoding="utf-8")
    except OSError as exc:
        raise KioskError(f"{path}: cannot leave the request there ({exc.strerror or exc}); "
                         "run this as the kiosk's user or with sudo") from None
    who = "" if person == SOLO else f" for {config.person(person).name}"
    print(f"The kiosk will say and show when to stop at the next session{who}.")
    print(textwrap.fill(stop_rules_text(), WIDTH))
    return 0


def logged_run(config: Config, catalogue: Catalogue, day: date,
               person: str | None = None) -> DayRun:
    """The progression run for ``day`` from the kiosk's log (read-only; worked out when the
    kiosk has not written it yet); where a new person starts when there is no log yet."""
    from kiosk.progress_log import day_run
    from kiosk.store.db import StoreError, open_reader, store_path

    try:
        reader = open_reader(store_path(config))
    except StoreError:
        return DayRun(day, initial_state(config))
    try:
        return day_run(reader.for_person(person or config.people[0].key), config, catalogue,
                       day)
    finally:
        reader.close()


def profile_dict(profile: Profile) -> dict[str, Any]:
    """The safety-relevant profile, clearances with who and when, as plain values."""
    return {"fracture_history": profile.fracture_history,
            "treated_as_fracture": profile.fracture,
            "impact_cleared": profile.impact_cleared,
            "impact_cleared_by": profile.cleared_by,
            "impact_cleared_on": profile.cleared_on.isoformat() if profile.cleared_on else None,
            "impact_override": sorted(profile.impact_override),
            "impact_override_by": profile.override_by,
            "impact_override_on": profile.override_on.isoformat() if profile.override_on
            else None,
            "floor_cleared": profile.floor_cleared}


def format_profile(profile: Profile) -> str:
    """Who may do what, and who said so, in one short paragraph."""
    history = {"yes": "yes", "no": "no",
               "unknown": "unknown (counted as yes)"}[profile.fracture_history]
    if profile.impact_cleared:
        impact = "cleared" + (f" by {profile.cleared_by}" if profile.cleared_by else "") \
            + (f" on {profile.cleared_on.isoformat()}" if profile.cleared_on else "") \
            + ("" if profile.cleared_by and profile.cleared_on else " (who and when not recorded)")
    else:
        impact = "not cleared"
    text = f"Profile: fracture history {history}; impact work {impact}"
    if profile.impact_override:
        text += (f"; impact override for {', '.join(sorted(profile.impact_override))}"
                 + (f" by {profile.override_by} on {profile.override_on.isoformat()}"
                    if profile.override_by and profile.override_on
                    else " (not signed and dated, so it does not count)"))
    if profile.fracture:
        text += "; floor work " + ("cleared" if profile.floor_cleared else "not cleared")
    return textwrap.fill(text + ".", WIDTH, subsequent_indent="  ")


def block_dose(block: str, config: Any, state: ProgressState) -> str:
    """The block's dose in a few words, as the progression state has it."""
    program = config.program
    if block == "stomps":
        return (f"{min(STOMPS_PER_FOOT_CAP, program['stomps_per_foot'])} on each foot, "
                f"target {state.stomp_target_bw:g} body weights")
    if block in ("cardio_high", "cardio_low"):
        high = block == "cardio_high"
        spm = program["cadence_high_spm" if high else "cadence_low_spm"]
        return (f"{cardio_minutes(config, state, high):.0f} min, about {spm} steps a minute "
                f"({state.weekly_min} active minutes a week)")
    if block == "strength":
        return (f"{min(MAX_STRENGTH_SETS, program['strength_sets'])} sets of "
                f"{program['strength_reps']}, rest {program['strength_rest_s']} s")
    if block == "extensor":
        holds = state.holds.get("back_extensor", program["extensor_holds"])
        return f"{holds} holds of {program['extensor_hold_s']} s"
    if block == "balance":
        return f"holds of {state.hold_s.get('balance', BALANCE_START_HOLD_S)} s at a counter"
    return f"hold each {program['hold_s']} s"


def format_progress(run: DayRun, catalogue: Catalogue) -> list[str]:
    """Paused exercises first, then the decisions of the day's progression run."""
    out = []
    for ex_id, since in sorted(run.state.paused.items()):
        name = catalogue[ex_id].name if ex_id in catalogue else ex_id
        out.append(textwrap.fill(
            f"PAUSED: {name}, after \"it hurt\" twice within a week (last on {since}). It "
            f"comes back when the helper clears it: [profile] pain_cleared = [\"{ex_id}\"] "
            "with pain_cleared_on = the date.", WIDTH, subsequent_indent="  "))
    if run.decisions:
        out.append("\n".join(["Progress today:", *(textwrap.fill(
            d.line(), WIDTH, initial_indent="  ", subsequent_indent="    ")
            for d in run.decisions)]))
    return out


def format_today(day: DayPlan, catalogue: Catalogue, config: Config,
                 state: ProgressState) -> str:
    """Today's sessions, blocks, exercises and the why of each block, wrapped to 80 columns."""
    out = [f"Plan for {day.day:%A} {day.day.day} {day.day:%B %Y}"]
    for session in day.sessions:
        out.append("")
        out.append(f"{session.slot.capitalize()}, {session.time}")
        for b in session.blocks:
            out.append(f"  {BLOCK_LABELS[b.block].capitalize()}: "
                       f"{block_dose(b.block, config, state)}")
            names = ", ".join(catalogue[e].name for e in b.exercise_ids)
            out += textwrap.wrap(names, WIDTH, initial_indent="    ", subsequent_indent="    ")
            out += textwrap.wrap(f"Why: {b.why}", WIDTH, initial_indent="    ",
                                 subsequent_indent="         ")
    for note in day.notes:
        out.append("")
        out += textwrap.wrap(f"Note: {note}", WIDTH, subsequent_indent="      ")
    return "\n".join(out)


def format_week(week: list[DayPlan]) -> str:
    """The week as one row a day: what each session holds."""
    rows = [{"day": f"{d.day:%a} {d.day.day} {d.day:%b}",
             **{s.slot: ", ".join(BLOCK_LABELS[b.block] for b in s.blocks) or "-"
                for s in d.sessions}} for d in week]
    out = ["The week", table(rows, ["day", "morning", "evening"], WIDTH)]
    notes = list(dict.fromkeys(n for d in week for n in d.notes))
    for note in notes:
        on = [f"{d.day:%a}" for d in week if note in d.notes]
        days = "Every day" if len(on) == len(week) else ", ".join(on)
        out += textwrap.wrap(f"{days}: {note}", WIDTH, subsequent_indent="  ")
    return "\n".join(out)


# --- catalogue ------------------------------------------------------------------------------

def _use(exercise: Exercise, profile: Profile, program: Any,
         planned: set[str]) -> tuple[str, str | None]:
    reason = exclusion_reason(exercise, profile)
    if reason:
        return "refused", reason
    if exercise.id in program["exclude"]:
        return "excluded", None
    if exercise.id in planned:
        return "in plan", None
    if exercise.ladder and (exercise.standard or exercise.id in program["include"]):
        return "later", None  # another rung of its ladder is in the plan now
    return "extra", None


def catalogue_rows(catalogue: Catalogue, profile: Profile, program: Any) -> list[dict[str, Any]]:
    """Every exercise with its tags and whether this profile allows it (and why not)."""
    rows = []
    include, exclude = tuple(program["include"]), tuple(program["exclude"])
    planned = {i for e in catalogue.values()
               for i in block_exercises(block_of(e), catalogue, profile, include, exclude)}
    for e in catalogue.values():
        use, reason = _use(e, profile, program, planned)
        rows.append({"id": e.id, "name": e.name, "kind": e.kind, "block": block_of(e),
                     "tags": sorted(e.tags), "sites": list(e.sites),
                     "equipment": list(e.equipment), "standard": e.standard,
                     "ladder": e.ladder or None, "rung": e.rung or None,
                     "allowed": reason is None, "use": use, "reason": reason})
    return rows


def format_catalogue(rows: list[dict[str, Any]]) -> str:
    """The catalogue table, then each refused exercise with its reason in full."""
    shown = [{"id": r["id"], "kind": r["kind"], "tags": ", ".join(r["tags"]) or "-",
              "use": r["use"]} for r in rows]
    out = [table(shown, ["id", "kind", "tags", "use"], WIDTH), ""]
    out += textwrap.wrap("use: in plan = scheduled; later = a harder or easier variant the "
                         "plan moves to; extra = add it with program.include; "
                         "excluded = left out by program.exclude; refused = not safe for "
                         "this profile, because:", WIDTH)
    for r in rows:
        if r["reason"]:
            out += textwrap.wrap(f"{r['id']}: {r['reason']}", WIDTH, initial_indent="  ",
                                 subsequent_indent="    ")
    return "\n".join(out)


# --- onerm ----------------------------------------------------------------------------------

def cmd_onerm(args: argparse.Namespace) -> int:
    config, person = person_from(args, config_from(args))
    exercise = None
    if args.exercise:
        catalogue = load_catalogue()
        exercise = check_request([args.exercise], catalogue, profile_from(config),
                                 "--exercise")[0]
        if exercise.kind != "strength":
            raise KioskError(f"--exercise: {exercise.id} is not a strength exercise (it is "
                             f"{exercise.kind}; allowed: a strength exercise)")
    result = one_rep_max(args.weight_kg, args.reps, config.program["weights_kg"])
    saved, save_note = False, None
    if exercise is not None:
        saved, save_note = _save(config, exercise.id, result, person)
    data = {**result.as_dict(), "exercise": exercise.id if exercise else None, "saved": saved}
    text = None if args.json else format_onerm(result, exercise, saved, save_note)
    emit(data, args.json, text)
    return 0


def _save(config: Config, exercise_id: str, result: Any,
          person: str) -> tuple[bool, str | None]:
    """Keep the result through the store room; say so when the store is not there yet."""
    try:
        from kiosk.store.db import save_onerm
    except ImportError:
        return False, "Not saved: the log store is not ready yet."
    save_onerm(config, exercise_id, result.weight_kg, result.reps, result.estimate_kg,
               result.target_kg, person=person)
    return True, None


def format_onerm(result: Any, exercise: Exercise | None, saved: bool,
                 save_note: str | None) -> str:
    """The estimate, the range and the target, for people."""
    lines = [f"{result.reps} lifts of {result.weight_kg:g} kg"
             + (f" ({exercise.name})" if exercise else ""),
             f"  Epley      {result.epley_kg:6.1f} kg",
             f"  Brzycki    {result.brzycki_kg:6.1f} kg",
             f"  One-rep max (the mean): {result.estimate_kg:.1f} kg",
             f"  70-80% of it: {result.low_kg:.1f} to {result.high_kg:.1f} kg",
             f"  Target: {result.target_kg:g} kg", ""]
    lines += textwrap.wrap(result.note, WIDTH)
    if exercise is None:
        lines.append("Add --exercise ID to keep this for one exercise.")
    elif saved:
        lines.append(f"Kept for {exercise.id}; its strength steps will show "
                     f"{result.target_kg:g} kg.")
    elif save_note:
        lines.append(save_note)
    return "\n".join(lines)
