"""The voice: a real pyttsx3 + eSpeak NG render, the cache, and a worker that never blocks."""

import shutil
import threading
import wave
from array import array
from pathlib import Path

import pytest

from kiosk.coach import cues
from kiosk.coach.speech import Renderer, Speech, tone_samples, wav_seconds

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="eSpeak NG is not installed (apt install espeak-ng)")


def rms(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        data = array("h", w.readframes(w.getnframes()))
    return (sum(x * x for x in data) / max(1, len(data))) ** 0.5


@needs_espeak
@pytest.mark.voice
def test_real_cue_renders_to_a_wav_of_plausible_length(tmp_path):
    short = Renderer("en", 140).render(cues.GOOD, tmp_path / "good.wav")
    long = Renderer("en", 140).render(cues.PAIN_QUESTION, tmp_path / "q.wav")
    with wave.open(str(short)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 22050)
    assert 0.3 < wav_seconds(short) < 2.0
    # 14 words at 140 words a minute: about 6 s, allowing for pauses at the commas
    assert 4.0 < wav_seconds(long) < 10.0
    assert rms(short) > 500 and rms(long) > 500  # speech, not silence


@needs_espeak
@pytest.mark.voice
def test_slower_rate_gives_longer_audio(tmp_path):
    fast = wav_seconds(Renderer("en", 200).render(cues.STOMP_INTRO, tmp_path / "f.wav"))
    slow = wav_seconds(Renderer("en", 100).render(cues.STOMP_INTRO, tmp_path / "s.wav"))
    assert slow > fast * 1.5


@needs_espeak
@pytest.mark.voice
@pytest.mark.slow
def test_worker_prerenders_caches_and_plays(tmp_path):
    speech = Speech(tmp_path, voice="en", max_age_s=30).start([cues.GOOD])
    assert speech.wait_ready(10) and speech.status.voice_ok
    deadline = threading.Event()
    for _ in range(100):  # rendered ahead while idle
        if speech.cue_path(cues.GOOD).exists():
            break
        deadline.wait(0.05)
    speech.say(cues.GOOD)
    speech.say("A sentence nobody rendered before.")
    for _ in range(100):
        if len(speech.stats.cached) + len(speech.stats.first_time) == 2:
            break
        deadline.wait(0.05)
    speech.close()
    assert speech.cue_path(cues.GOOD).exists()
    assert speech.cue_path("A sentence nobody rendered before.").exists()
    assert len(speech.stats.first_time) == 1 and len(speech.stats.cached) == 1


class SlowRenderer:
    """Stands in for eSpeak NG being slow: blocks until released, then writes a short WAV."""

    def __init__(self, gate: threading.Event):
        self.gate = gate
        self.rendered: list[str] = []

    def render(self, text, path):
        self.gate.wait(5)
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(array("h", [0] * 2205).tobytes())
        self.rendered.append(text)
        return path


def test_say_never_blocks_and_stale_cues_are_dropped(tmp_path):
    gate = threading.Event()
    slow = SlowRenderer(gate)
    now = [0.0]
    speech = Speech(tmp_path, renderer_factory=lambda: slow, queue_size=4, max_age_s=2.0,
                    clock=lambda: now[0]).start()
    assert speech.wait_ready(5)
    for i in range(20):  # the worker is stuck rendering; these calls must all return at once
        speech.say(f"cue {i}")
    assert speech.stats.dropped >= 15
    now[0] = 10.0  # everything still queued is now stale
    gate.set()
    speech.close()
    assert len(slow.rendered) <= 2


def test_missing_voice_falls_back_to_captions(tmp_path):
    def broken():
        raise RuntimeError("libespeak-ng.so.1: cannot open shared object file")

    speech = Speech(tmp_path, renderer_factory=broken).start()
    assert speech.wait_ready(5)
    speech.say(cues.GOOD)  # no error: the screen still shows the words
    speech.close()
    assert not speech.status.voice_ok
    assert "captions only" in speech.status.detail and "libespeak" in speech.status.detail


def test_voice_switched_off_in_config(tmp_path):
    speech = Speech(tmp_path, enabled=False).start()
    assert speech.wait_ready(5)
    speech.close()
    assert "switched off" in speech.status.detail


def test_tones_are_short_and_not_silent():
    for name in ("good", "tick", "done"):
        samples = tone_samples(name)
        assert 0.05 * 22050 <= len(samples) <= 0.4 * 22050
        assert max(samples) > 10000 and samples[0] == 0


def test_every_fixed_cue_is_short_enough_to_follow():
    for text in cues.fixed_cues():
        assert len(text.split()) <= 16, text


def test_brief_cues_replace_brief_ones_still_waiting():
    from kiosk.coach.speech import CueQueue, SpeechStats

    q = CueQueue(8, SpeechStats())
    q.put(("say", cues.STOMP_INTRO, 0.0, False))
    q.put(("say", cues.GOOD, 0.1, True), brief=True)
    q.put(("say", cues.HARDER, 0.2, True), brief=True)
    q.put(("say", cues.stomp_switch("right"), 0.3, False))
    q.put(("say", cues.GOOD, 0.4, True), brief=True)
    said = [q.get(0.1)[1] for _ in range(3)]
    assert said == [cues.STOMP_INTRO, cues.stomp_switch("right"), cues.GOOD]
    assert q.stats.dropped == 2 and q.empty()
    assert cues.is_brief("Three.") and cues.is_brief("4 kilos.")
    assert not cues.is_brief(cues.PAIN_QUESTION)
