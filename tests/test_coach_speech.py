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
def test_slower_rate_gives_longer_audio_whatever_rate_the_shared_engine_was_left_at(tmp_path):
    """pyttsx3 gives both renderers one engine, and eSpeak NG's queued rate can be cancelled
    with a phrase: each render must still speak at its own renderer's rate."""
    fast_voice, slow_voice = Renderer("en", 200), Renderer("en", 100)  # the slow one set last
    fast = wav_seconds(fast_voice.render(cues.STOMP_INTRO, tmp_path / "f.wav"))
    slow = wav_seconds(slow_voice.render(cues.STOMP_INTRO, tmp_path / "s.wav"))
    again = wav_seconds(fast_voice.render(cues.STOMP_INTRO, tmp_path / "f2.wav"))
    assert slow > fast * 1.5 and slow > again * 1.5


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


def _until(condition, seconds: float = 5.0) -> bool:
    gate = threading.Event()
    for _ in range(int(seconds / 0.02)):
        if condition():
            return True
        gate.wait(0.02)
    return condition()


def test_say_never_blocks_and_stale_feedback_is_dropped_but_never_an_instruction(tmp_path):
    gate = threading.Event()
    slow = SlowRenderer(gate)
    now = [0.0]
    speech = Speech(tmp_path, renderer_factory=lambda: slow, queue_size=8, max_age_s=2.0,
                    gap_s=0.0, clock=lambda: now[0]).start()
    assert speech.wait_ready(5)
    for i in range(20):  # the worker is stuck rendering; these calls must all return at once
        speech.say(f"cue {i}")
    assert speech.stats.dropped >= 11  # the queue is bounded
    speech.say(cues.GOOD)  # feedback waiting behind them
    speech.tone("good")
    dropped = speech.stats.dropped
    now[0] = 10.0  # everything still queued is now older than max_age_s
    gate.set()
    assert _until(lambda: speech.idle() and slow.rendered[-1:] == ["cue 19"])
    speech.close()
    assert cues.GOOD not in slow.rendered  # stale feedback: dropped, never said late
    assert [t for t in slow.rendered if t.startswith("cue")][-3:] == ["cue 17", "cue 18",
                                                                      "cue 19"]
    assert speech.stats.dropped >= dropped + 1  # the "Good!" (a tone is played at once)


def test_the_voice_says_while_it_renders_lines_ahead_and_when_that_work_is_done(tmp_path):
    """``rendering_ahead`` is what the running-kiosk bench waits on before it measures the idle
    home screen: a cold cue cache is rendered on the voice's thread, once."""
    gate = threading.Event()
    slow = SlowRenderer(gate)
    speech = Speech(tmp_path, renderer_factory=lambda: slow, gap_s=0.0).start(["one", "two"])
    speech.prepare(["three"])
    assert speech.rendering_ahead()  # "one" is being rendered to prove the voice
    gate.set()
    assert speech.wait_ready(5)
    assert _until(lambda: not speech.rendering_ahead())
    assert _until(lambda: len(slow.rendered) == 3)
    speech.close()
    assert sorted(slow.rendered) == ["one", "three", "two"]
    assert all(speech.cue_path(t).exists() for t in ("one", "two", "three"))


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


def _write_wav(path: Path, pieces: list[tuple[float, bool]], rate: int = 22050) -> Path:
    """A WAV of tone (True) and silence (False) pieces, each ``seconds`` long."""
    out = array("h")
    for seconds, loud in pieces:
        n = int(seconds * rate)
        out.extend((8000 if (i // 20) % 2 else -8000) if loud else 0 for i in range(n))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(out.tobytes())
    return path


def test_speech_seconds_leaves_out_quiet_ends_and_pauses_but_not_gaps_between_words(tmp_path):
    from kiosk.coach.speech import speech_seconds

    wav = _write_wav(tmp_path / "w.wav", [(0.5, False), (1.0, True), (0.1, False), (1.0, True),
                                          (0.6, False), (0.5, True), (0.8, False)])
    # 2.5 s of sound, the 0.1 s gap between words counts, the 0.6 s pause and the ends do not
    assert speech_seconds(wav) == pytest.approx(2.6, abs=0.05)


#: Instruction lines of every kind, as the sessions say them.
SPOKEN = (cues.CAL_STAND, cues.STOMP_INTRO, cues.stomp_foot("left", 4), cues.STRETCH_NOT_PAIN,
          cues.HOLD_START, cues.PAIN_QUESTION, cues.set_of(1, 2, 8), cues.march_at(100),
          cues.EXTENSOR_HOLD, cues.TEST_DONE_TAP, cues.PAUSED, cues.STOPPED)


@needs_espeak
@pytest.mark.voice
def test_default_voice_speaks_120_to_130_words_a_minute_of_actual_speech(tmp_path):
    from kiosk.coach.speech import speech_seconds, speech_wpm
    from kiosk.config import defaults

    voice = defaults().voice
    renderer = Renderer(voice.voice, voice.rate_wpm)
    wavs = [(t, renderer.render(t, tmp_path / f"{i}.wav")) for i, t in enumerate(SPOKEN)]
    wpm = speech_wpm(wavs)
    assert 120.0 <= wpm <= 130.0, f"{wpm:.1f} words a minute"
    for text, wav in wavs:  # no single line rushes (short lines ran at 212-237 at rate 140)
        assert 60 * len(text.split()) / speech_seconds(wav) <= 165.0, text


def _quiet_runs(raw: bytes, rate: int = 22050, frame_s: float = 0.02) -> list[float]:
    """Lengths of the quiet stretches between sounds in 16-bit mono audio."""
    data = array("h", raw)
    n = int(rate * frame_s)
    loud = [(sum(x * x for x in data[i:i + n]) / n) ** 0.5 > 300
            for i in range(0, len(data) - n + 1, n)]
    first, last = loud.index(True), len(loud) - loud[::-1].index(True)
    runs, quiet = [], 0
    for is_loud in loud[first:last]:
        if is_loud:
            if quiet:
                runs.append(quiet * frame_s)
            quiet = 0
        else:
            quiet += 1
    return runs


@needs_espeak
@pytest.mark.voice
@pytest.mark.slow
def test_every_line_of_every_exercise_is_spoken_and_shown_through_the_real_voice(tmp_path):
    """The session's timeline on a fake clock drives the real speech worker, which renders
    with eSpeak NG and plays through SDL's disk audio driver (what a speaker would get), for
    every exercise a week's plan schedules: every line said is played, in order; every line is
    shown while it is said, for its measured audio plus the gap; every instruction is said."""
    import json
    import os
    import subprocess
    import sys

    raw, report = tmp_path / "played.raw", tmp_path / "report.json"
    env = {**os.environ, "SDL_AUDIODRIVER": "disk", "SDL_DISKAUDIOFILE": str(raw),
           "SDL_DISKAUDIODELAY": "1"}  # about 20x real time: the timeline's clock is fake
    script = Path(__file__).with_name("timeline_replay.py")
    subprocess.run([sys.executable, str(script), str(tmp_path / "voice"), str(report)],
                   env=env, check=True, capture_output=True, timeout=900)
    exercises = json.loads(report.read_text())
    assert len(exercises) >= 8
    for ex in exercises:
        said = [text for text, *_ in ex["said"]]
        assert ex["played"] == said, ex["exercise"]  # everything said was played, in order
        for line in ex["instructions"]:
            assert line in said, (ex["exercise"], line)
        shown = {text for _, text in ex["shown"]}
        assert set(said) <= shown, ex["exercise"]
        for (text, kind, start, audio_end, until), nxt in zip(ex["said"], ex["said"][1:],
                                                             strict=False):
            measured = ex["seconds"][text]  # the rendered WAV's length
            assert audio_end - start >= measured - 0.05, text  # never cut by the next line
            if kind == "instruction" and nxt[2] >= audio_end:  # not cut short by feedback
                assert until - start >= measured + 1.0 - 1e-6, text
                assert nxt[2] >= until - 1e-6, text  # the next waited its turn
    runs = _quiet_runs(raw.read_bytes())
    assert runs  # sound reached the device, with quiet between lines
