"""Every sentence the coach speaks, in one place: the caption shows exactly what the voice says.

Short, warm, one instruction each. Numbers are words the voice says clearly. The speech cache
pre-renders ``fixed_cues()`` at start so the common ones start without delay.
"""

from __future__ import annotations

from kiosk.program.advice import STOP_RULES, STOP_RULES_TITLE

NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve")


def number(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def kg(load_kg: float) -> str:
    whole = int(load_kg)
    if load_kg == whole:
        return f"{whole} kilo" + ("" if whole == 1 else "s")
    return f"{load_kg:g} kilos"


def kg_weights(load_kg: float) -> str:
    """"the 2-kilo weights": the dumbbells by their size."""
    return f"the {load_kg:g}-kilo weights"


# calibration
CAL_STEP_OFF = "First, please step off the mat."
CAL_STAND = "Now stand on the mat, both feet, and keep still."
CAL_DONE = "Thank you. The mat knows your weight now."
CAL_RETRY = "Let's try that once more."

# stomps
STOMP_INTRO = "Stomps. Stand tall and hold the counter with one hand."
GOOD = "Good!"
#: Below the target: encouragement, never a shout; only as firm as feels fine.
HARDER = "A little firmer, only if it feels fine."
STOMP_DONE = "Well done."


def stomp_foot(foot: str, count: int) -> str:
    return f"Stomp your {foot} foot firmly, {number(count)} times, only if it feels fine."


def stomp_switch(foot: str) -> str:
    return f"Good! Now your {foot} foot."


# holds
GET_READY = "Get ready."
HOLD_START = "Hold it there, and breathe."
TEN_LEFT = "Ten more seconds."
RELEASE = "And relax."
STRETCH_NOT_PAIN = "Stretch gently. It should never hurt."
PAIN_QUESTION = "Did that hurt? Tap your left foot for yes, or your right foot for no."
PAIN_YES = "Thank you. Next time go more gently, only to a mild stretch."
PAIN_NO = "Good. Thank you."
PAIN_REST_QUESTION = "Leave it out for today? Left foot: yes. Right foot: no."
PAIN_REST_YES = "All right, not again today. If it keeps hurting, tell your helper."
PAIN_REST_NO = "All right. Keep it gentle."


def side_cue(side: str) -> str:
    return f"Now the {side} side."


# strength
UP = "Up."
DOWN = "And down."
REST = "Rest."


def pick_up(load_kg: float | None) -> str:
    """Weights wait on a table or chair seat, never the floor: every cue says where."""
    return (f"Take {kg_weights(load_kg)} from the table or chair seat." if load_kg
            else "No weights needed for this one.")


def set_of(set_no: int, sets: int, reps: int) -> str:
    return f"Set {number(set_no)} of {number(sets)}. {number(reps).capitalize()} slow lifts."


def rest_for(seconds: int, load_kg: float | None = None) -> str:
    put_down = "Put the weights on the table or chair seat. " if load_kg else ""
    return f"{put_down}Rest for {seconds} seconds."


# strength test: finding the training load, hands-free
TEST_PICK = "Which weights will you test with?"
# each line fits two caption lines of 7 %-high capitals at 800x480 (kiosk/ui/theme.py)
TEST_PICK_HOW = "Left foot: lighter. Right foot: heavier. Then keep still."
TEST_DONE_TAP = "No more? Weights on the table or chair seat, then tap a foot."
TEST_COUNT = "How many lifts did you do?"
TEST_COUNT_HOW = "Left foot: one fewer. Right foot: one more. Then keep still."
TEST_NOT_SAVED = "No answer, so this test is not saved. We will offer it again."
TEST_TOO_EASY = "That was light. Next time, pick a heavier weight."
TEST_TOO_HARD = "Thank you. Next time, pick a lighter weight."


def test_lift(load_kg: float) -> str:
    return (f"Take {kg_weights(load_kg)} from the table or chair seat. Lift them slowly, as "
            "many times as you can.")


def test_result(target_kg: float | None) -> str:
    if not target_kg:
        return "Well done. For now, train without a weight."
    return f"Well done. From now on, train with {kg_weights(target_kg)}."


# cardio
def march_at(spm: int) -> str:
    return f"March on the spot. About {spm} steps a minute."


QUICKER = "A little quicker."
SLOWER = "A little slower."
ON_PACE = "Nice pace."
#: Surprises for any brisk marching: changes of pace only, on the spot.
SURPRISES = ("Faster now!", "Back to your normal pace.")
#: Only in an exercise made for direction changes: a hand on the counter, along the mat,
#: never a step back off it.
DIRECTION_SURPRISES = ("Faster now!", "Back to your normal pace.",
                       "Hand on the counter. Small side steps along the mat, and back.",
                       "Back to your normal pace.")
#: The screen's headline for each surprise prompt: the action itself, not "Surprise!".
SURPRISE_ACTIONS = {SURPRISES[0]: "Faster", SURPRISES[1]: "Normal pace",
                    DIRECTION_SURPRISES[2]: "Side steps"}
CARDIO_DONE = "Well done. Good work."

# extensor
EXTENSOR_HOLD = "Lift your chest and squeeze your shoulder blades. Hold."

# pause and session
PAUSED = "Paused. Step back on the mat when you are ready."
MAT_TROUBLE = "The mat needs a look. We will wait here."
RESUMED = "Welcome back."


def carry_on(done: int, total: int) -> str:
    """Said first when a session interrupted by a crash or power cut carries on."""
    return (f"Welcome back. We stopped early last time, so we carry on where we left off: "
            f"{number(done)} of {number(total)} exercises done already.")

SKIPPED = "Let's skip that one."
STOPPED = "We'll stop here. Everything you did is saved."
SESSION_DONE = "That's all for now. Well done!"
WELCOME = "Step on the mat to start."


# who is on the mat (coach/whoask.py): a household's people, chosen with the feet
WHO_HEADLINE = "Who is on the mat?"
WHO_HOW = ("Right foot: that's me.", "Left foot: next name.")
WHO_ALONE = "Please stand on the mat by yourself."  # a standing that fits no one's weigh-in
WHO_FAR = "That weigh-in is far from your last one, so it is not kept."


def set_aside(name: str) -> str:
    """Someone else (or someone the mat cannot tell) stepped onto a paused session."""
    return f"{name}'s session is kept for later."


def who_hello(name: str) -> str:
    return f"Hello, {name}!"


def who_ask(name: str) -> str:
    return f"Who is on the mat? Is it {name}?"


def who_how() -> tuple[str, ...]:
    return WHO_HOW


def who_next(name: str) -> str:
    return f"Is it {name}?"


def who_chosen(name: str) -> str:
    return f"Welcome, {name}."


def stop_rules() -> tuple[str, ...]:
    """The stop rules, said before the first session and on request (the program's text)."""
    return (f"{STOP_RULES_TITLE}.", *STOP_RULES)


def countdown() -> tuple[str, ...]:
    return ("Three.", "Two.", "One.")


def is_brief(text: str) -> bool:
    """Feedback and beats: a newer one replaces one still waiting, and one gone stale may be
    dropped, so they are never late; instruction lines always wait their turn."""
    return line_kind(text) != INSTRUCTION


#: The cue table's marks (kiosk/coach/timeline.py): an instruction is never dropped; feedback
#: to what the person just did is said at once, cutting an instruction short (said again
#: after), and dropped if stale; a beat goes before waiting instructions, dropped if stale.
INSTRUCTION, FEEDBACK, BEAT = "instruction", "feedback", "beat"


def line_kind(text: str) -> str:
    """Which of the three a line is; anything not marked here is an instruction."""
    if text in _FEEDBACK or text.endswith((" kilos.", " kilo.")) or text.rstrip(".").isdigit():
        return FEEDBACK
    return BEAT if text in _BEAT else INSTRUCTION


def fixed_cues() -> list[str]:
    """Cues worth rendering ahead of time: the ones said often or on a beat."""
    cues = [CAL_STEP_OFF, CAL_STAND, CAL_DONE, CAL_RETRY, STOMP_INTRO, GOOD, HARDER, STOMP_DONE,
            GET_READY, HOLD_START, TEN_LEFT, RELEASE, STRETCH_NOT_PAIN, PAIN_QUESTION, PAIN_YES,
            PAIN_NO, UP, DOWN, REST, QUICKER, SLOWER, ON_PACE, *DIRECTION_SURPRISES, CARDIO_DONE,
            EXTENSOR_HOLD, TEST_PICK, TEST_PICK_HOW, TEST_DONE_TAP, PAUSED, MAT_TROUBLE,
            RESUMED, SKIPPED, STOPPED, SESSION_DONE, WELCOME, WHO_HEADLINE, *WHO_HOW,
            WHO_ALONE, WHO_FAR,
            *countdown(), side_cue("left"), side_cue("right"),
            stomp_switch("left"), stomp_switch("right"), *stop_rules(),
            BAL_STEADY, BAL_TOUCH, BAL_NO_LIFT, BAL_DONE, OFF_MAT_TIMED, CHAIR_FALLBACK,
            CHAIR_OFFER, CHAIR_SIT, CHAIR_GO, CHAIR_STOP, CHAIR_UNSEEN,
            *(f(side) for f in (stand_on, heel_in_front) for side in ("left", "right"))]
    cues += [PAIN_REST_QUESTION, PAIN_REST_YES, PAIN_REST_NO, TEST_COUNT, TEST_COUNT_HOW,
             TEST_NOT_SAVED, TEST_TOO_EASY, TEST_TOO_HARD]
    cues += [number(n).capitalize() + "." for n in range(1, 13)]
    return cues


#: Feedback on a landing or a counted stand (the counts include the hold's countdown words).
_FEEDBACK = frozenset({GOOD, HARDER, *countdown(),
                       *(number(n).capitalize() + "." for n in range(1, 13))})
#: Said on the pace's beat: the paced lift and the marching pace.
_BEAT = frozenset({UP, DOWN, QUICKER, SLOWER, ON_PACE})


# balance and chair stands, seen by the mat (coach/balance_steps.py, the sit-to-stand count)
BAL_STEADY = "Stand still on both feet, one hand on the counter."
BAL_TOUCH = "Good. Rest a moment, then once more."
BAL_NO_LIFT = "That's fine. We'll leave that side for today."
BAL_DONE = "Well done. Good balance keeps you on your feet."
OFF_MAT_TIMED = "The mat can't see you there, so I'll keep the time."
CHAIR_FALLBACK = "I'll count with you now."
CHAIR_OFFER = "Your monthly leg check. To skip it, tap your right foot."
CHAIR_SIT = "Sit down, feet on the mat, arms crossed on your chest."
CHAIR_GO = "Go! Stand up all the way, and sit all the way down."
CHAIR_STOP = "Stop. Sit and rest."
CHAIR_UNSEEN = "The mat did not see you stand. We'll check another day."


def count(n: int) -> str:
    """A count said on a beat: "Seven."."""
    return number(n).capitalize() + "."


def stand_on(foot: str) -> str:
    other = "right" if foot == "left" else "left"
    return f"Lift your {other} foot a little. Stand on your {foot} foot."


def heel_in_front(foot: str) -> str:
    """Heel to toe, each side: which heel goes in front of the other foot's toes."""
    other = "right" if foot == "left" else "left"
    return f"Now your {foot} heel just in front of your {other} toes."


def stance_ceiling(seconds: float) -> str:
    return f"{seconds:g} seconds. Lovely! Put your foot down and rest."


def chair_result(stands: int) -> str:
    return f"Well done. You stood up {number(stands)} time{'' if stands == 1 else 's'}."
