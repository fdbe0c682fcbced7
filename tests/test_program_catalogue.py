"""The catalogue file: it covers the article, it is well formed, and mistakes are named."""

import re
from pathlib import Path

import pytest

from kiosk.coach import cues
from kiosk.program import advice
from kiosk.program.catalogue import (
    MAX_LINE_CHARS,
    STRETCH_LIMIT_LINE,
    CatalogueError,
    block_of,
    load_catalogue,
    parse_catalogue,
)
from kiosk.program.model import BLOCKS, KINDS
from kiosk.program.plan import BLOCK_WHY

# the shared folder beside the checkout (../shared), as tests/test_mat_replay.py finds its data
SEED = Path(__file__).resolve().parents[2] / "shared/seed/best-workouts-for-osteoporosis.txt"


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


def standard(cat, block):
    return [e for e in cat.values() if e.standard and block_of(e) == block]


def test_every_kind_and_block_has_standard_exercises(cat):
    assert {e.kind for e in cat.values()} == set(KINDS)
    for block in BLOCKS:
        assert standard(cat, block), block


def test_cardio_covers_marching_sideways_backward_and_surprise(cat):
    low = {e.id for e in standard(cat, "cardio_low")}
    high = {e.id for e in standard(cat, "cardio_high")}
    assert {"march_in_place", "side_steps", "back_steps"} <= low
    assert {"brisk_march", "surprise_steps"} <= high
    assert all("force_mat" in cat[i].equipment for i in low | high)


def test_strength_covers_spine_hips_and_wrists(cat):
    sites = {s for e in standard(cat, "strength") for s in e.sites}
    assert {"spine", "hips", "wrists"} <= sites
    assert any("dumbbell" in e.equipment for e in standard(cat, "strength"))


def test_the_four_stretches_are_there(cat):
    stretches = {e.id: e for e in standard(cat, "stretch")}
    assert "spine" in stretches["wall_back_lengthen"].sites  # spinal extensors
    assert "shoulders" in stretches["shoulder_drop"].sites  # shoulder elevators
    assert "shoulders" in stretches["cross_arm_stretch"].sites  # external rotators
    assert "hips" in stretches["hip_front_stretch"].sites  # hip flexors
    assert "ankles" in stretches["shin_stretch"].sites  # ankle dorsiflexors


def test_every_stretch_says_stretch_not_pain_and_holds_20_to_30_s(cat):
    stretches = [e for e in cat.values() if e.kind == "stretch"]
    assert len(stretches) >= 5
    for e in stretches:
        assert STRETCH_LIMIT_LINE in e.instructions, e.id
        assert 20 <= e.dose.hold_s <= 30, e.id


def test_unsafe_exercises_are_catalogued_but_never_standard(cat):
    for tag in ("forward_bend", "side_bend", "rotation"):
        tagged = [e for e in cat.values() if tag in e.tags]
        assert tagged, tag
        assert not any(e.standard for e in tagged), tag
    assert "forward_bend" in cat["toe_touch"].tags
    assert "forward_bend" in cat["sit_up"].tags
    assert "forward_bend" in cat["knees_to_chest"].tags  # the classic back stretch


def test_impact_work_is_tagged_and_brisk_marching_is_not_impact(cat):
    assert "impact" in cat["heel_stomp"].tags and "impact" in cat["jog_in_place"].tags
    for e in cat.values():
        if block_of(e) == "cardio_high":
            assert "high_intensity" in e.tags
    assert "impact" not in cat["brisk_march"].tags  # walking level: for everyone
    assert "impact" not in cat["surprise_steps"].tags


def test_direction_changes_stay_on_the_mat_with_a_hand_on_a_counter(cat):
    turning = [e for e in cat.values() if "direction_change" in e.tags]
    assert {"side_steps", "back_steps", "surprise_steps"} <= {e.id for e in turning}
    for e in turning:
        text = " ".join(e.instructions).lower()
        assert "counter" in text and "counter" in e.equipment, e.id
        assert "off the mat" not in text and "chair back" not in text, e.id
    back = " ".join(cat["back_steps"].instructions).lower()
    assert "small step back" in back and "stay on the mat" in back
    assert not [e for e in cat.values() if e.kind == "cardio" and "direction_change" not in e.tags
                and re.search(r"\b(sideways|backward|step back|to the side)\b",
                              " ".join(e.instructions).lower())]


def test_stomps_hold_a_counter_and_weights_wait_on_a_table_or_chair_seat(cat):
    stomp = " ".join(cat["heel_stomp"].instructions).lower()
    assert "counter" in stomp and "chair" not in stomp and "only if it feels fine" in stomp
    for e in cat.values():
        if "dumbbell" in e.equipment:
            text = " ".join(e.instructions).lower()
            assert "table" in text or "chair seat" in text, e.id


def test_cues_that_invite_a_lean_say_what_not_to_do_first(cat):
    drop = cat["shoulder_drop"].instructions
    assert any("don't lean to the side" in line.lower() for line in drop)
    shin = [line.lower() for line in cat["shin_stretch"].instructions]
    straight = next(i for i, line in enumerate(shin) if "back straight" in line)
    toes = next(i for i, line in enumerate(shin) if "toes" in line)
    assert straight < toes


def test_spine_core_and_balance_progress_by_variant(cat):
    def ladder(name):
        return [e.id for e in sorted((e for e in cat.values() if e.ladder == name),
                                     key=lambda e: e.rung)]

    assert ladder("back_extensor") == ["seated_back_lift", "wall_press", "band_back_lift",
                                       "prone_back_lift"]
    assert "floor" in cat["prone_back_lift"].tags
    assert ladder("core")[0] == "seated_brace" and ladder("row")[0] == "band_row"
    assert "band" in cat["band_row"].equipment
    assert len(ladder("balance")) >= 3
    assert all("counter" in e.equipment for e in cat.values() if e.kind == "balance")
    brace = " ".join(cat["seated_brace"].instructions).lower()
    assert "lower tummy" in brace and "back straight" in brace


def test_no_claim_the_evidence_does_not_carry(cat):
    texts = [e.why for e in cat.values()] + list(BLOCK_WHY.values())
    for text in texts:
        assert not re.search(r"grows? stronger|makes? bone grow|build up", text), text


def test_ladder_rungs_must_run_without_gaps():
    entries = [{**GOOD, "id": "a", "ladder": "x", "rung": 1},
               {**GOOD, "id": "b", "ladder": "x", "rung": 3}]
    with pytest.raises(CatalogueError, match=r"ladder x: rungs must run 1, 2, 3"):
        parse_catalogue({"exercise": entries}, "ex.toml")


def test_texts_are_short_and_plain(cat):
    for e in cat.values():
        assert e.why and len(e.why) <= 120, e.id
        assert 3 <= len(e.instructions) <= 8, e.id
        for line in e.instructions:
            assert len(line) <= MAX_LINE_CHARS, (e.id, line)
            assert line[0].isupper() and line[-1] in ".!?", (e.id, line)


def _shingles(text, n=6):
    words = re.findall(r"[a-z']+", text.lower())
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


@pytest.mark.skipif(not SEED.exists(), reason="seed article not present")
def test_no_sentence_is_copied_from_the_article(cat):
    article = _shingles(SEED.read_text(encoding="utf-8"))
    texts = [e.name for e in cat.values()] + [e.why for e in cat.values()]
    texts += [line for e in cat.values() for line in e.instructions] + list(BLOCK_WHY.values())
    texts += [*advice.STOP_RULES, advice.YOGA_PILATES, advice.HONEST_CLAIM]
    texts += [*cues.fixed_cues(), *cues.DIRECTION_SURPRISES]
    for text in texts:
        assert not (_shingles(text) & article), text


GOOD = {"id": "x_one", "name": "X", "kind": "strength", "instructions": ["Do it."],
        "why": "Because.", "dose": {"reps": 8, "sets": 2}}


@pytest.mark.parametrize(("change", "expected"), [
    ({"tags": ["rotaton"]}, "x_one: tags: 'rotaton' is unknown (did you mean 'rotation'?)"),
    ({"kind": "yoga"}, "x_one: kind: 'yoga' is not a kind"),
    ({"sites": ["knee"]}, "x_one: sites: 'knee' is unknown"),
    ({"equipment": ["kettlebell"]}, "x_one: equipment: 'kettlebell' is unknown"),
    ({"colour": "red"}, "x_one: colour: unknown field"),
    ({"dose": {"reps": 8, "rest": 60}}, "x_one: dose.rest: unknown field (did you mean 'rest_s'?)"),
    ({"dose": {"reps": 8, "per_side": 1}}, "x_one: dose.per_side: must be true or false"),
    ({"dose": {"reps": 0}}, "x_one: dose.reps: a strength exercise needs at least 1"),
    ({"why": ""}, "x_one: why: must say"),
    ({"instructions": []}, "x_one: instructions: must not be empty"),
    ({"instructions": ["A" * 61 + "."]}, "x_one: instructions: 'AAAA"),
    ({"tags": ["forward_bend"]}, "x_one: standard: a forward_bend exercise is never scheduled"),
    ({"kind": "stretch", "dose": {"hold_s": 40}}, "x_one: dose.hold_s: a stretch holds 20 to 30"),
    ({"kind": "stretch", "dose": {"hold_s": 25}},
     "x_one: instructions: a stretch must include the line"),
    ({"kind": "stomp"}, "x_one: tags: a stomp is impact work"),
    ({"id": "Bad Id"}, "exercise #1: id: 'Bad Id' is missing or not lower-case"),
    ({"tags": ["direction_change"]}, "x_one: equipment: a direction_change exercise is done "
                                     "with a hand on a counter"),
    ({"kind": "stomp", "tags": ["impact"], "equipment": ["counter"],
      "instructions": ["Hold the counter or a chair back."]},
     "x_one: instructions: stomps hold a counter, not a chair back"),
    ({"equipment": ["dumbbell"]}, "x_one: instructions: an exercise with weights must say they "
                                  "wait on a table or chair seat"),
    ({"dose": {"reps": 8, "per_side": True}}, "x_one: instructions: a per_side exercise is "
                                              "written for the right side first"),
    ({"kind": "balance", "equipment": ["counter"], "instructions": ["Hold the counter."]},
     "x_one: dose: a balance exercise needs hold_s and reps"),
    ({"ladder": "legs"}, "x_one: rung: a whole number from 1 to 9, given together with ladder"),
])
def test_mistakes_name_file_exercise_and_field(change, expected):
    entry = {**GOOD, **change}
    with pytest.raises(CatalogueError) as err:
        parse_catalogue({"exercise": [entry]}, "ex.toml")
    assert any(p.startswith("ex.toml: ") and expected in p for p in err.value.problems), \
        err.value.problems


def test_a_good_entry_loads():
    cat = parse_catalogue({"exercise": [GOOD]}, "ex.toml")
    assert cat["x_one"].dose.reps == 8 and cat["x_one"].standard is True


def test_every_problem_is_reported_at_once():
    entries = [{**GOOD, "kind": "yoga"}, {**GOOD, "id": "x_two", "tags": ["twist"]},
               {**GOOD}]
    with pytest.raises(CatalogueError) as err:
        parse_catalogue({"exercise": entries, "version": 2}, "ex.toml")
    text = str(err.value)
    assert "x_one: kind" in text and "x_two: tags" in text
    assert "version: unknown top-level key" in text
    assert "x_one: id: used twice" in text


def test_file_errors_name_the_file(tmp_path):
    with pytest.raises(CatalogueError, match=r"nope.toml: cannot be read"):
        load_catalogue(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[exercise]\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"bad.toml: not valid TOML"):
        load_catalogue(bad)


def test_per_side_exercises_are_written_for_the_right_side_first(cat):
    for e in cat.values():
        if e.dose.per_side and e.kind != "stomp":
            assert any("right" in line for line in e.instructions), e.id
