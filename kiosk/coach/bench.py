"""Voice figures: event-to-audio latency for cached and first-time cues beside pyttsx3's own
``say()``, and frame times with and without speech playing (the worker must not slow frames)."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def _stats_ms(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    xs = sorted(xs)
    return {"n": len(xs), "median_ms": round(1000 * statistics.median(xs), 3),
            "p95_ms": round(1000 * xs[min(len(xs) - 1, int(0.95 * len(xs)))], 3),
            "max_ms": round(1000 * xs[-1], 3)}


def _frame_times(frames: int, busy) -> list[float]:
    """Render a real screen ``frames`` times; ``busy()`` is called before each frame."""
    import pygame

    from kiosk.coach.engine import Session
    from kiosk.coach.events import Tick
    from kiosk.program.model import StepSpec
    from kiosk.ui.paint import Painter
    from kiosk.ui.views import UiState, build

    pygame.display.init()
    surface = pygame.Surface((1280, 720))
    painter = Painter()
    session = Session([StepSpec("stretch", "x", "Calf stretch", (), hold_s=25.0)])
    from datetime import datetime

    out = []
    for i in range(frames):
        busy(i)
        t0 = time.perf_counter()
        session.handle(Tick(i / 30))
        painter.paint(surface, build(UiState("session", datetime(2026, 1, 1, 9),
                                             session=session.view)))
        out.append(time.perf_counter() - t0)
    return out


def _has_sound_card() -> bool:
    try:
        with open("/proc/asound/cards") as f:
            return "no soundcards" not in f.read()
    except OSError:
        return False


def _wait_idle(speech, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    time.sleep(0.02)
    while not speech.idle() and time.monotonic() < deadline:
        time.sleep(0.01)


def _feedback_latency(speech, gap_s: float, landings: int = 16) -> dict:
    """Landing to tone and to "Good!" (channel.play) while a stomp step's instructions are
    still queued: the real session timeline and voice, on the real clock, at 30 frames/s."""
    from kiosk.coach import cues
    from kiosk.coach.engine import Session
    from kiosk.coach.events import Hush, Say, Tick, Tone
    from kiosk.mat.events import Landing
    from kiosk.program.model import StepSpec

    lines = (cues.STOMP_INTRO, "Lift your foot a little, then bring it down firmly.",
             "Keep your back tall and your knees soft as you land.")
    spec = StepSpec("stomp", "stomps", "Stomps", lines, block="stomps", per_foot=landings,
                    target_bw=1.5)
    session = Session([spec], seconds=speech.seconds, gap_s=gap_s)
    tones_before = len(speech.stats.tones)
    t_land: list[float] = []
    played_from = len(speech.played)
    start = time.monotonic()
    nxt = start + 0.8  # the first landing comes while the first line is being said
    while len(t_land) < landings:
        now = time.monotonic()
        events: list[object] = []
        if now >= nxt:
            t_land.append(now)
            events.append(Landing(now, "left", 2.0, True))
            nxt = now + 1.1
        for ev in (*events, Tick(now)):
            for e in session.handle(ev):
                if isinstance(e, Say):
                    speech.say(e.text)
                elif isinstance(e, Tone):
                    speech.tone(e.name)
                elif isinstance(e, Hush):
                    speech.hush()
        time.sleep(max(0.0, now + 1 / 30 - time.monotonic()))
    _wait_idle(speech)
    goods = [t for text, t in speech.played[played_from:] if text == cues.GOOD]
    words = []
    for t in t_land:
        after = [g - t for g in goods if g >= t]
        if after and after[0] < 1.0:
            words.append(after[0])
    queued = sum(1 for ln in session.timeline.said if ln.kind == "instruction")
    return {"landings": len(t_land), "word": _stats_ms(words),
            "words_said": len(words), "tone": _stats_ms(speech.stats.tones[tones_before:]),
            "instruction_lines_said": queued, "started_s": round(time.monotonic() - start, 1)}


def bench(config) -> dict:
    from kiosk.coach import cues
    from kiosk.coach.speech import Renderer, Speech, speech_wpm

    result: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        speech = Speech(Path(tmp), voice=config.voice.voice, rate_wpm=config.voice.rate_wpm,
                        max_age_s=30.0).start([cues.GOOD, cues.HARDER])
        speech.wait_ready(10)
        result["status"] = speech.status.detail
        if not speech.status.voice_ok:
            speech.close()
            return result
        time.sleep(1.0)  # let the two prerenders finish
        for i in range(10):  # each cue said when the voice is free: latency, not queueing
            _wait_idle(speech)
            speech.say(cues.GOOD if i % 2 else cues.HARDER)
            _wait_idle(speech)
            speech.say(f"A new sentence, number {i}.")
        _wait_idle(speech)
        # a landing's feedback while instructions are queued (issue 12: within 300 ms)
        result["landing_to_feedback"] = _feedback_latency(speech, config.voice.gap_s)
        quiet = _frame_times(150, lambda i: None)
        talking = _frame_times(150, lambda i: speech.say(f"Talking while drawing {i // 30}.")
                               if i % 30 == 0 else None)
        speech.close()
        # measured from the event to channel.play(); the mixer's 512-frame buffer adds at most
        # this much before the sound leaves the speaker
        result["mixer_buffer_ms"] = round(1000 * 512 / 22050, 1)
        result["cue_latency_cached"] = _stats_ms(speech.stats.cached)
        result["cue_latency_first_time"] = _stats_ms(speech.stats.first_time)
        result["dropped_stale"] = speech.stats.dropped
        result["frame_silent"] = _stats_ms(quiet)
        result["frame_while_speaking"] = _stats_ms(talking)
        # pyttsx3's own path: say() + runAndWait() synthesises and plays in one blocking call
        says = []
        try:
            r = Renderer(config.voice.voice, config.voice.rate_wpm)
            for _ in range(3):
                t0 = time.perf_counter()
                r.engine.say(cues.GOOD)
                r.engine.runAndWait()
                says.append(time.perf_counter() - t0)
            result["pyttsx3_say_blocking"] = _stats_ms(says)
            lines = [cues.STOMP_INTRO, cues.stomp_foot("left", 4), cues.PAIN_QUESTION,
                     cues.HOLD_START, cues.EXTENSOR_HOLD, cues.PAUSED]
            result["speech_wpm"] = round(speech_wpm(
                (t, r.render(t, Path(tmp) / f"wpm{i}.wav")) for i, t in enumerate(lines)), 1)
            result["gap_s"] = config.voice.gap_s
            result["pyttsx3_say_note"] = (
                "say() renders, then plays through aplay and blocks until it ends"
                + ("" if _has_sound_card() else "; no sound card here, so aplay fails at once "
                   "and this is the render time alone"))
        except Exception as exc:
            result["pyttsx3_say_blocking"] = {"error": str(exc)}
    return result
