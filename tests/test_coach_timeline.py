"""Issue 12, points 1-6, through the pure engine with a fake clock: one timeline of voice and
captions, feedback on the beat, step-on after a summary, the schedule's session, exercises away
from the mat, the pain question."""

from datetime import datetime
from itertools import pairwise

import pytest

from kiosk.coach import cues
from kiosk.coach.engine import Phase, Session
from kiosk.coach.events import Feet, Hush, Log, Say, Tick
from kiosk.coach.steps import AWAY_READY_S, LINE_GAP_S, PAIN_WAIT_S, speaking_s
from kiosk.coach.timeline import FEEDBACK_STALE_S, MAX_CUTS, Timeline
from kiosk.mat.events import Footfall, Landing
from kiosk.program.model import StepSpec
from kiosk.reminders import next_slot
from kiosk.store.records import PainAnswered, StepStarted

STOMP = StepSpec("stomp", "stomps", "Stomps", ("Stand tall and hold the counter.",
                                               "Lift your foot a little, then stomp."),
                 block="stomps", per_foot=4, target_bw=1.5)
WALL = StepSpec("stretch", "chest_wall", "Tall at the wall",
                ("Walk to the wall and stand with your back against it.",),
                block="stretch", hold_s=20.0, sides=("left", "right"))
MARCH = StepSpec("cardio", "march", "March", ("March on the spot.",), block="cardio_low",
                 duration_s=90.0, target_spm=100.0, intensity="low")


class Clocked:
    """A session on a fake clock, ticked every 0.05 s; keeps every effect and every caption."""

    def __init__(self, *specs, seconds=speaking_s):
        self.s = Session(list(specs), seconds=seconds)
        self.t = 0.0
        self.effects: list[tuple[float, object]] = []
        self.shown: list[tuple[float, str]] = []  # (from when, caption) each time it changes

    def send(self, ev):
        self.effects += [(self.t, e) for e in self.s.handle(ev)]
        caption = self.s.view.caption
        if not self.shown or self.shown[-1][1] != caption:
            self.shown.append((self.t, caption))

    def run(self, seconds, every=None):
        end = self.t + seconds
        while self.t < end - 1e-9:
            self.t = round(self.t + 0.05, 6)
            if every:
                every(self)
            self.send(Tick(self.t))

    def said(self):
        return [(t, e.text) for t, e in self.effects if isinstance(e, Say)]


def test_every_instruction_is_said_and_shown_in_order_each_for_its_audio_and_reading_time():
    c = Clocked(STOMP, WALL)
    c.run(4)
    for k in range(8):  # quick stomps while the instructions are still being said
        c.send(Landing(c.t, "left" if k < 4 else "right", 2.0, True))
        c.run(1.2)
    c.run(150)
    lines = [ln for ln in c.s.timeline.said if ln.kind == "instruction"]
    for spec in (STOMP, WALL):  # every line of every exercise, in order
        texts = [ln.text for ln in lines]
        assert [x for x in texts if x in spec.instructions] [:len(spec.instructions)] \
            == list(spec.instructions)
    said = c.s.timeline.said
    for a, b in pairwise(said):
        if b.kind == "instruction":  # the next line waits for the one before, and its reading
            assert b.start >= a.until - 1e-9, (a, b)
        elif b.start < a.audio_end:  # feedback cut it short: it is said again, whole
            assert a.kind != "instruction" or any(x.text == a.text and x.start >= b.until
                                                  for x in said), (a, b)
            continue
        if a.kind == "instruction":  # on screen for its audio and the time to read it
            assert a.until - a.start >= speaking_s(a.text) + LINE_GAP_S - 1e-9
    shown = [text for _, text in c.shown]
    assert all(ln.text in shown for ln in lines)  # every line said reached the screen


def test_captions_clear_when_the_step_changes_and_a_stale_good_never_shows_under_the_next():
    c = Clocked(StepSpec("stomp", "s", "Stomps", (), per_foot=1, target_bw=1.5), WALL)
    c.run(5)
    c.send(Landing(c.t, "left", 2.0, True))
    c.run(0.5)
    c.send(Landing(c.t, "right", 2.0, True))  # the stomps end; the wall stretch begins
    c.run(30)
    wall_from = next(t for t, e in c.effects
                     if isinstance(e, Log) and isinstance(e.record, StepStarted)
                     and e.record.exercise_id == "chest_wall")
    first_wall = next(ln.start for ln in c.s.timeline.said if ln.step == 1)
    assert first_wall >= wall_from  # the stomps' last words are said first, and shown
    after = [text for t, text in c.shown if t >= first_wall]
    assert not {cues.GOOD, cues.stomp_switch("right"), cues.STOMP_DONE} & set(after)


def test_what_may_be_dropped_is_marked_in_the_cue_table():
    assert cues.line_kind(cues.GOOD) == cues.FEEDBACK == cues.line_kind(cues.HARDER)
    assert cues.line_kind(cues.UP) == cues.BEAT == cues.line_kind(cues.QUICKER)
    for line in (cues.stomp_foot("left", 4), cues.stomp_switch("right"), cues.PAIN_QUESTION,
                 cues.GET_READY, *STOMP.instructions, *WALL.instructions):
        assert cues.line_kind(line) == cues.INSTRUCTION, line


def test_an_instruction_is_never_dropped_for_its_age():
    tl = Timeline(speaking_s, 1.0)
    for k in range(12):
        tl.add(f"Instruction number {k} with several words in it.", 0.0, 0)
    t = 0.0
    while not tl.idle(t):
        t += 0.1
        tl.due(t)
    assert [ln.text for ln in tl.said] == [f"Instruction number {k} with several words in it."
                                           for k in range(12)]
    assert t > 60  # minutes behind, and still said


def test_a_landing_s_tone_and_word_come_on_the_beat_while_instructions_are_queued():
    c = Clocked(STOMP)
    c.run(0.5)  # the two opening lines and "stomp your left foot" are queued
    latencies = []
    for k in range(8):
        foot = "left" if k < 4 else "right"
        c.run(0.75)
        landed = c.t
        c.send(Landing(landed, foot, 2.0, True))
        c.run(0.3)
        tone = [t for t, e in c.effects if t >= landed and type(e).__name__ == "Tone"]
        word = [t for t, text in c.said() if t >= landed and text in (cues.GOOD,)]
        if k not in (3, 7):  # the last of each foot says the switch or "well done" instead
            assert word, k
            latencies.append(word[0] - landed)
        assert tone and tone[0] - landed <= 0.3
    assert max(latencies) <= 0.3
    c.run(30)
    said = [text for _, text in c.said()]
    for line in STOMP.instructions:  # the instructions resume after the feedback
        assert line in said


def test_feedback_that_cuts_an_instruction_says_it_again_whole():
    tl = Timeline(speaking_s, 1.0)
    tl.add("Stand tall and hold the counter.", 0.0, 0)
    out = tl.add(cues.GOOD, 1.0, 0)
    assert out == [Hush(), Say(cues.GOOD)]
    t = 1.0
    while not tl.idle(t):
        t += 0.05
        tl.due(t)
    assert [ln.text for ln in tl.said] == ["Stand tall and hold the counter.", cues.GOOD,
                                           "Stand tall and hold the counter."]


def test_stale_feedback_is_dropped_never_said_late():
    tl = Timeline(speaking_s, 1.0)
    line = "A line said to the end once it has been cut short as often as it may be."
    tl.add(line, 0.0, 0)
    t = 0.0
    for _ in range(MAX_CUTS):  # the cuts use the line's allowance; later feedback waits
        t += 1.0
        assert tl.add(cues.GOOD, t, 0)[0] == Hush()
        t += 1.5
        assert tl.due(t) == [Say(line)]  # said again, whole
    t += 1.0
    assert tl.add(cues.HARDER, t, 0) == []  # waits behind the line ...
    landed = t
    while not tl.idle(t):
        t += 0.05
        tl.due(t)
    assert cues.HARDER not in [ln.text for ln in tl.said]  # ... and is dropped, never late
    assert [ln.text for ln in tl.said].count(line) == MAX_CUTS + 1
    assert all(ln.start - landed <= FEEDBACK_STALE_S for ln in tl.said if ln.start >= landed
               and ln.kind == "feedback")


def test_pace_cues_only_for_someone_who_is_moving():
    c = Clocked(MARCH)
    c.run(60)  # standing still
    said = [text for _, text in c.said()]
    assert not {cues.QUICKER, cues.SLOWER, cues.ON_PACE} & set(said)
    assert c.s.view.step.pace == "still"  # the screen asks to march, not to go quicker

    def slow(cl):
        if round(cl.t * 20) % 20 == 0:
            cl.send(Footfall(cl.t, "left", 60.0))

    c = Clocked(MARCH)
    c.run(60, every=slow)
    assert cues.QUICKER in [text for _, text in c.said()]


def test_an_exercise_away_from_the_mat_never_pauses_and_leaves_time_to_get_there():
    c = Clocked(WALL)
    c.send(Feet(c.t, True, True))
    c.run(0.5)
    c.send(Feet(c.t, False, False))  # walks to the wall as the line is said
    c.run(120)
    assert c.s.view.phase is Phase.FINISHED or c.s.view.phase is Phase.RUNNING
    assert cues.PAUSED not in [text for _, text in c.said()]
    said = c.said()
    for side in ("left", "right"):  # from the end of "now the ... side" to the hold
        cue_t = next(t for t, text in said if text == cues.side_cue(side))
        hold_t = next(t for t, text in said if text == cues.HOLD_START and t > cue_t)
        heard = cue_t + speaking_s(cues.side_cue(side)) + LINE_GAP_S
        assert hold_t - heard >= AWAY_READY_S - 0.06
        assert hold_t - cue_t >= 10.0


def test_the_pain_question_is_spoken_repeated_once_and_answerable_for_20_s():
    c = Clocked(StepSpec("stretch", "calf", "Calf", (), block="stretch", hold_s=15.0))
    while c.s.view.step is None or c.s.view.step.phase != "ask":
        c.run(0.05)
    asked = c.t
    c.run(PAIN_WAIT_S)
    questions = [t for t, text in c.said() if text == cues.PAIN_QUESTION]
    assert len(questions) == 2  # spoken, and once more when unanswered
    assert c.s.view.step.phase == "ask"  # still open well past 20 s after it was asked
    assert c.t - questions[0] >= 20.0
    c.send(Landing(c.t, "right", 0.8, False))
    assert [e.record for _, e in c.effects if isinstance(e, Log)
            and isinstance(e.record, PainAnswered)] == [PainAnswered(hurt=False)]
    assert c.t - asked >= 20.0


def test_the_pain_question_is_the_headline():
    from kiosk.ui.views import UiState, build

    c = Clocked(StepSpec("stretch", "calf", "Calf", (), block="stretch", hold_s=15.0))
    while c.s.view.step is None or c.s.view.step.phase != "ask":
        c.run(0.05)
    view = build(UiState(mode="session", now=datetime(2026, 1, 1, 9), session=c.s.view))
    titles = [i.text for i in view.items if getattr(i, "size", "") == "title"]
    assert "Did that hurt?" in titles


@pytest.mark.parametrize(("now", "done", "slot"), [
    ("07:00", set(), "morning"),  # before either: the next one
    ("10:00", set(), "morning"),
    ("14:00", set(), "morning"),  # a missed morning can be done in the afternoon
    ("19:00", set(), "morning"),  # ... or the evening: the morning one first
    ("19:00", {"morning"}, "evening"),
    ("12:00", {"morning"}, "morning"),  # an extra: the evening one is not used up early
    ("20:00", {"morning", "evening"}, "evening"),
    ("02:30", set(), "morning"),
])
def test_the_schedule_decides_the_session_not_the_hour(now, done, slot):
    at = datetime.fromisoformat(f"2026-11-24T{now}")
    assert next_slot(at, {"morning": "09:00", "evening": "17:30"}, done) == slot


def test_an_evening_time_early_in_the_day_is_honoured():
    sched = {"morning": "01:00", "evening": "02:15"}
    assert next_slot(datetime(2026, 11, 24, 3, 0), sched, {"morning"}) == "evening"
    assert next_slot(datetime(2026, 11, 24, 0, 30), sched, set()) == "morning"
