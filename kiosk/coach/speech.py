"""The voice: one worker thread owns pyttsx3 and the speech channel; nobody else waits on it.

pyttsx3 on Linux hangs or drops phrases when driven from several threads, so a single worker
creates the engine inside its own thread and renders one phrase at a time to a WAV file in the
cache (``<data_dir>/voice/``). Cached cues play through ``pygame.mixer`` within milliseconds;
common cues are rendered ahead at start. The queue is bounded; feedback (a brief cue such as
"Good!", or a tone) that went stale while waiting is dropped, so it is never said late, while
an instruction line is never dropped for its age: it is said, in order, after the ones before.
Without eSpeak NG or a sound device the kiosk carries on: captions always show, and tones play
where there is a sound device.

Pace for older listeners: older adults recall spoken instructions markedly worse as the rate
rises past ordinary conversational speed, and recover when pauses are added between phrases
(Wingfield, Poon, Lombardi & Lowe 1985, J Gerontol 40(5):579-585; Wingfield, Tun, Koh &
Rosen 1999, Psychol Aging 14(3):380-389). So the voice aims at 120-130 words a minute of actual
speech and leaves at least ``gap_s`` (1 s) of quiet between instruction lines (the session's
timeline, ``kiosk.coach.timeline``, keeps that gap and decides when each line starts; the
worker plays a line when told, from ``seconds``: its measured length). eSpeak NG's
nominal rate is not what it says: measured on rendered WAVs (``speech_wpm``), its rate 140
speaks 174 words a minute and its rate 97 speaks about 125, hence ``DEFAULT_RATE``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import queue
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.checks import Check

if TYPE_CHECKING:
    import pygame

log = logging.getLogger(__name__)

SAMPLE_RATE = 22050  # eSpeak NG renders 22.05 kHz mono 16-bit; the mixer matches, no resampling
DEFAULT_RATE = 97  # eSpeak NG's rate setting that speaks ~125 words/min (measured, see above)
DEFAULT_GAP_S = 1.0  # quiet between instruction lines (Wingfield et al. 1999, above)
TONES = {"good": ((880, 0.12),), "tick": ((660, 0.06),), "done": ((523, 0.12), (784, 0.18))}
Cue = tuple[str, str, float, bool]  # ("say" or "tone", text or tone name, event time, brief)


#: Part of every cached cue's name: a WAV rendered before the rate went inside the phrase may
#: be at the wrong rate, so it is rendered again once.
RENDER_FORMAT = 2

#: How often the worker looks again for a sound device it did not find, while nothing is said.
MIXER_RETRY_S = 10.0


class Renderer:
    """pyttsx3 with eSpeak NG, rendering text to WAV files. Create and use in ONE thread."""

    def __init__(self, voice: str = "", rate_wpm: int = DEFAULT_RATE, driver: str = "espeak"):
        import pyttsx3  # imported here: a missing voice must not stop the kiosk importing

        self.engine = pyttsx3.init(driver)  # pyttsx3 hands every caller the same engine
        self.voice, self.rate_wpm = voice, rate_wpm
        self._quiet_driver()

    @staticmethod
    def _quiet_driver() -> None:
        # pyttsx3's eSpeak driver prints "Audio saved to ..." for every file; mute that module's
        # print only, so the kiosk's own output stays clean.
        import sys

        driver = sys.modules.get("pyttsx3.drivers.espeak")
        if driver is not None:
            vars(driver)["print"] = lambda *a, **k: None  # the module's global, not ours

    def render(self, text: str, path: Path, attempts: int = 3) -> Path:
        """Speak ``text`` into ``path`` (a WAV file); returns the path.

        pyttsx3's eSpeak driver sometimes cancels the next phrase when eSpeak still reported
        "playing" at the end of the previous one (its ``stop()`` leaves a flag set); the
        cancelled phrase writes no file. One retry clears the flag, so try a few times.
        """
        tmp = path.with_suffix(".tmp.wav")
        for _ in range(attempts):
            tmp.unlink(missing_ok=True)
            # The rate goes inside the phrase, as eSpeak NG's embedded speed command (Ctrl-A,
            # words a minute, "S"): a rate set with setProperty is queued in eSpeak's command
            # queue, where the cancel above, or a rate embedded earlier, can undo it (under
            # load the kiosk spoke at another rate); and pyttsx3 shares one engine between
            # renderers. The command is not spoken.
            if self.voice:
                self.engine.setProperty("voice", self.voice)
            self.engine.save_to_file(f"\x01{self.rate_wpm}S{text}", str(tmp))
            self.engine.runAndWait()
            if tmp.exists() and tmp.stat().st_size > 44:
                tmp.replace(path)  # atomic: a half-written cue is never played
                return path
        raise RuntimeError(f"eSpeak NG rendered nothing for {text!r}")


#: How long one phrase may take to render before the voice counts as hung. eSpeak NG renders a
#: cue line in about 0.1-0.4 s on a Pi 4 (``osteo-kiosk bench``'s voice figures); ten seconds
#: is far past any real phrase, and well inside systemd's 30 s watchdog.
RENDER_LIMIT_S = 10.0


class VoiceHung(RuntimeError):
    """The voice engine did not answer within its time limit (``runAndWait`` never returned)."""


class RenderThread:
    """The :class:`Renderer` in a thread of its own, so a render that never returns (pyttsx3's
    ``runAndWait`` hanging in its driver) costs only that thread: a caller waits at most
    ``limit_s``, calling ``beat`` while it waits so the watchdog sees it alive, and after a hang
    every later call fails at once. A hung thread cannot be killed; it is a daemon, left behind.
    """

    def __init__(self, factory: Callable[[], Renderer], limit_s: float = RENDER_LIMIT_S,
                 beat: Callable[[], None] = lambda: None):
        self.limit_s = limit_s
        self.hung = ""  #: what hung, once something did
        self._factory = factory
        self._beat = beat
        self._requests: queue.SimpleQueue = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="voice-render", daemon=True)

    def start(self) -> RenderThread:
        """Create the engine inside the thread; raises its error, or VoiceHung."""
        box: list = []
        done = threading.Event()
        self._requests.put((None, None, box, done))
        self._thread.start()
        self._wait(done, "starting the voice engine")
        if isinstance(box[0], Exception):
            raise box[0]
        return self

    def render(self, text: str, path: Path) -> Path:
        if self.hung:
            raise VoiceHung(f"the voice stopped answering earlier ({self.hung})")
        box: list[Path | Exception] = []
        done = threading.Event()
        self._requests.put((text, path, box, done))
        self._wait(done, f"rendering {text!r}")
        if isinstance(box[0], Exception):
            raise box[0]
        return box[0]

    def _wait(self, done: threading.Event, what: str) -> None:
        deadline = time.monotonic() + self.limit_s
        while not done.wait(0.05):
            self._beat()
            if time.monotonic() >= deadline:
                self.hung = f"{what} took more than {self.limit_s:g} s"
                raise VoiceHung(self.hung)

    def close(self) -> None:
        self._requests.put(None)

    def _run(self) -> None:
        renderer: Renderer | None = None
        while (item := self._requests.get()) is not None:
            text, path, box, done = item
            try:
                if renderer is None:
                    renderer = self._factory()
                    box.append(renderer)
                else:
                    box.append(renderer.render(text, path))
            except Exception as exc:  # pyttsx3 raises anything from its drivers
                box.append(exc)
            done.set()


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file in seconds."""
    import wave

    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def speech_seconds(path: Path, frame_s: float = 0.02, quiet_rms: float = 300.0,
                   pause_s: float = 0.15) -> float:
    """Seconds of actual speech in a WAV: quiet at either end and pauses of ``pause_s`` or
    more (commas, full stops) left out; the short gaps inside and between words count."""
    import wave

    with wave.open(str(path), "rb") as w:
        n = max(1, int(w.getframerate() * frame_s))
        data = array("h", w.readframes(w.getnframes()))
    loud = [(sum(x * x for x in data[i:i + n]) / n) ** 0.5 > quiet_rms
            for i in range(0, len(data) - n + 1, n)]
    frames, quiet, started = 0, 0, False
    for is_loud in loud:
        if not is_loud:
            quiet += 1
            continue
        if started and quiet * frame_s < pause_s:
            frames += quiet
        frames, quiet, started = frames + 1, 0, True
    return frames * frame_s


def speech_wpm(texts_and_wavs: Iterable[tuple[str, Path]]) -> float:
    """Words a minute of actual speech over rendered lines (the measure the voice aims at)."""
    words = seconds = 0.0
    for text, path in texts_and_wavs:
        words += len(text.split())
        seconds += speech_seconds(path)
    return 60.0 * words / seconds if seconds else 0.0


def tone_samples(name: str, rate: int = SAMPLE_RATE, volume: float = 0.5) -> array:
    """A short sine tone with soft edges, as signed 16-bit mono samples."""
    out = array("h")
    for freq, seconds in TONES[name]:
        n = int(rate * seconds)
        edge = max(1, int(rate * 0.01))
        for i in range(n):
            env = min(1.0, i / edge, (n - i) / edge)
            out.append(int(32767 * volume * env * math.sin(2 * math.pi * freq * i / rate)))
    return out


@dataclass
class SpeechStatus:
    voice_ok: bool = False
    audio_ok: bool = False
    detail: str = "starting"


@dataclass
class SpeechStats:
    """Event-to-audio-start latencies (seconds) and how many cues were dropped as stale."""

    cached: list[float] = field(default_factory=list)
    first_time: list[float] = field(default_factory=list)
    tones: list[float] = field(default_factory=list)  # call to channel.play() of a tone
    dropped: int = 0


class CueQueue:
    """The cues waiting to be said. Bounded (the oldest goes when full), and a *brief* cue
    ("Good!", a count) replaces any brief cue still waiting, so feedback is never late while
    every instruction line is kept."""

    def __init__(self, maxsize: int, stats: SpeechStats):
        self.maxsize = maxsize
        self.stats = stats  # drops are counted there
        self._items: deque[Cue | None] = deque()
        self._cond = threading.Condition()

    def put(self, item: Cue | None, brief: bool = False) -> None:
        with self._cond:
            if brief:
                kept = [i for i in self._items if not (isinstance(i, tuple) and i[3])]
                self.stats.dropped += len(self._items) - len(kept)
                self._items = deque(kept)
            if len(self._items) >= self.maxsize:
                self._items.popleft()
                self.stats.dropped += 1
            self._items.append(item)
            self._cond.notify()

    def get(self, timeout: float) -> Cue | None:
        """The next item; raises ``queue.Empty`` after ``timeout`` seconds without one."""
        with self._cond:
            if not self._items and not self._cond.wait_for(lambda: bool(self._items), timeout):
                raise queue.Empty
            return self._items.popleft()

    def empty(self) -> bool:
        with self._cond:
            return not self._items

    def clear(self) -> None:
        with self._cond:
            self.stats.dropped += len(self._items)
            self._items.clear()


class Speech:
    """Non-blocking cue player. ``say`` and ``tone`` return at once; a worker does the rest."""

    def __init__(self, cache_dir: Path, *, voice: str = "", rate_wpm: int = DEFAULT_RATE,
                 gap_s: float = DEFAULT_GAP_S,
                 volume: float = 1.0, enabled: bool = True, max_age_s: float = 8.0,
                 audio_device: str = "",
                 queue_size: int = 8, clock: Callable[[], float] = time.monotonic,
                 renderer_factory: Callable[[], Renderer] | None = None):
        self.cache_dir = Path(cache_dir)
        self.voice, self.rate_wpm, self.volume = voice, rate_wpm, volume
        self.enabled = enabled
        self.gap_s = gap_s
        self._busy = False  # the worker holds a cue (rendering it or waiting out the gap)
        self.max_age_s = max_age_s
        self.audio_device = audio_device
        self.clock = clock
        self.status = SpeechStatus()
        self.stats = SpeechStats()
        self.beats = 0  # advances while the worker is alive; the watchdog reads it
        self._factory = renderer_factory or (lambda: Renderer(voice, rate_wpm))
        self.render_limit_s = RENDER_LIMIT_S
        self._render_thread: RenderThread | None = None
        self._q = CueQueue(queue_size, self.stats)
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._lengths: dict[str, float] = {}  # measured audio seconds of rendered lines
        self._prerender: list[str] = []
        self._ahead: deque[str] = deque()  # lines to render ahead (a session's instructions)
        self._pending: list[str] = []  # the worker's lines still to render ahead, in order
        self.played: list[tuple[str, float]] = []  # (line, clock() when it began), in order
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._mixer = None  # pygame.mixer once the worker has opened it
        self._mixer_retry_at = 0.0  # when to look for a sound device again (self.clock)

    # -- the frame loop calls these ------------------------------------------------------
    def start(self, prerender: Iterable[str] = ()) -> Speech:
        self._prerender = list(prerender)
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._thread.start()
        return self

    def health(self) -> tuple[bool | None, str]:
        """Whether the voice renders and plays now (None: switched off or not ready yet), and
        why not."""
        if not self.enabled or not self.wait_ready(0):
            return None, ""
        return bool(self.status.voice_ok and self.status.audio_ok), self.status.detail

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Block until the worker knows whether it has a voice (for CLI tools and tests)."""
        return self._ready.wait(timeout)

    def say(self, text: str) -> None:
        from kiosk.coach.cues import is_brief

        self._q.put(("say", text, self.clock(), is_brief(text)), brief=is_brief(text))

    def hush(self) -> None:
        """Stop the cue being said and forget those waiting (an exercise skipped or stopped)."""
        self._q.clear()
        try:
            import pygame

            if pygame.mixer.get_init():
                pygame.mixer.Channel(0).stop()
        except Exception:  # no sound device: nothing is playing
            pass

    def tone(self, name: str) -> None:
        """Played at once on its own channel (a landing's tone is never queued behind words)."""
        mixer = self._mixer
        if mixer is not None:
            t_event = self.clock()
            self._play_tone(mixer, name)
            self.stats.tones.append(self.clock() - t_event)

    def seconds(self, text: str) -> float:
        """How long ``text`` sounds: measured on its rendered WAV, else estimated. The session's
        timeline reads this to decide when the next line may start."""
        known = self._lengths.get(text)
        if known is not None:
            return known
        path = self.cue_path(text)
        if path.exists():
            try:
                known = self._lengths[text] = wav_seconds(path)
                return known
            except Exception:  # a damaged cache file: it is rendered again when said
                pass
        from kiosk.coach.steps import speaking_s

        return speaking_s(text)

    def prepare(self, texts: Iterable[str]) -> None:
        """Render these ahead of need, when nothing waits to be said (a session's lines)."""
        self._ahead.extend(t for t in texts if not self.cue_path(t).exists())

    def rendering_ahead(self) -> bool:
        """Lines still wait to be rendered ahead of need (a cold cue cache at start): the
        voice is at work though nothing is said."""
        return bool(self._ahead or self._pending)

    def idle(self) -> bool:
        """Nothing queued, nothing waiting out its gap and nothing playing."""
        if self._busy or not self._q.empty():
            return False
        try:
            import pygame

            return not (pygame.mixer.get_init() and pygame.mixer.get_busy())
        except Exception:
            return True

    def close(self) -> None:
        self._stop.set()
        self._q.put(None)
        if self._thread:
            self._thread.join(timeout=3.0 + self.render_limit_s)
        if self._render_thread is not None:
            self._render_thread.close()

    # -- the worker ------------------------------------------------------------------------
    def cue_path(self, text: str) -> Path:
        name = f"{RENDER_FORMAT}|{self.voice}|{self.rate_wpm}|{text}"
        key = hashlib.sha1(name.encode()).hexdigest()[:16]
        return self.cache_dir / f"{key}.wav"

    def _beat(self) -> None:
        self.beats += 1

    def _run(self) -> None:
        renderer = self._open_renderer()
        mixer = self._mixer = self._open_mixer()
        pending = self._pending = list(self._prerender) if renderer else []
        if pending and renderer:  # prove the voice with a real render before saying it is ready
            self._ensure(renderer, pending[0])
            del pending[:1]  # after the render: rendering_ahead() holds while it runs
        self.status.detail = self._describe()
        self._ready.set()
        while not self._stop.is_set():
            self.beats += 1
            if renderer is not None and renderer.hung:
                renderer = None  # captions and tones from here on
                pending.clear()
            if renderer is not None and self._ahead:
                pending.insert(0, self._ahead.popleft())  # this session's lines come first
            try:
                item = self._q.get(0.05 if pending else 0.2)
            except queue.Empty:
                if mixer is None and self.clock() >= self._mixer_retry_at:
                    mixer = self._mixer = self._reopen_mixer()
                if pending and renderer:  # render ahead only while nothing waits to be said
                    self._ensure(renderer, pending[0])
                    del pending[:1]  # after the render: rendering_ahead() holds while it runs
                continue
            if item is None:
                break
            kind, payload, t_event, brief = item
            if (brief or kind == "tone") and self.clock() - t_event > self.max_age_s:
                self.stats.dropped += 1  # feedback said late would be wrong; lines wait
                continue
            self._busy = True
            try:
                if kind == "tone":
                    self._play_tone(mixer, payload)
                elif renderer is not None:
                    self._speak(renderer, mixer, payload, t_event)
            finally:
                self._busy = False

    def _open_renderer(self) -> RenderThread | None:
        if not self.enabled:
            return None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            self._render_thread = RenderThread(self._factory, self.render_limit_s, self._beat)
            renderer = self._render_thread.start()
            self.status.voice_ok = True
            return renderer
        except Exception as exc:  # no eSpeak NG, no pyttsx3: captions only
            log.warning("voice unavailable, captions only: %s", exc)
            self.status.voice_ok = False
            self._voice_error = f"{type(exc).__name__}: {exc}"
            return None

    def _reopen_mixer(self):
        """A sound card that was not there at start (its driver can bind after the kiosk
        starts at boot): tried again every ``MIXER_RETRY_S`` while nothing is said."""
        mixer = self._open_mixer(quiet=True)  # which sets the next try's time
        if mixer is not None:
            log.warning("sound device found: the voice is heard again")
            self.status.detail = self._describe()
        return mixer

    def _open_mixer(self, quiet: bool = False):
        self._mixer_retry_at = self.clock() + MIXER_RETRY_S
        try:
            import pygame

            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=SAMPLE_RATE, size=-16, channels=1, buffer=512,
                                  devicename=self.audio_device or None)
            self.status.audio_ok = True
            return pygame.mixer
        except Exception as exc:
            if not quiet:
                log.warning("no sound device, captions only: %s", exc)
            self._audio_error = str(exc)
            self.status.audio_ok = False
            return None

    def _describe(self) -> str:
        if not self.enabled:
            return "voice switched off in the config; captions only"
        if not self.status.voice_ok:
            return f"no voice ({getattr(self, '_voice_error', 'unknown')}); captions only"
        if not self.status.audio_ok:
            return f"no sound device ({getattr(self, '_audio_error', 'unknown')}); captions only"
        return "voice and sound ready"

    def _ensure(self, renderer: RenderThread, text: str) -> tuple[Path, bool]:
        path = self.cue_path(text)
        if path.exists():
            return path, True
        try:
            made = renderer.render(text, path)
        except Exception as exc:  # hung or failed: the status says so (screen, doctor)
            log.warning("could not render %r: %s", text, exc)
            self.status.voice_ok = False
            self._voice_error = f"{type(exc).__name__}: {exc}"
            self.status.detail = self._describe()
            return path, False
        if not self.status.voice_ok:  # it works again (a render that failed once)
            self.status.voice_ok = True
            self.status.detail = self._describe()
        return made, False

    def _speak(self, renderer: RenderThread, mixer, text: str, t_event: float) -> None:
        from kiosk.coach.cues import is_brief

        path, was_cached = self._ensure(renderer, text)
        if mixer is None or not path.exists():
            return
        try:
            sound = self._sounds.get(text)
            if sound is None:
                sound = self._sounds[text] = mixer.Sound(str(path))
            channel = mixer.Channel(0)
            # the timeline said when: play now; only a line still sounding (longer than its
            # estimate, before it was measured) is let finish (a brief cue is dropped if stale)
            brief = is_brief(text)
            while channel.get_busy() and not self._stop.is_set():
                time.sleep(0.01)
                self.beats += 1
                if brief and self.clock() - t_event > self.max_age_s:
                    self.stats.dropped += 1
                    return
            sound.set_volume(self.volume)
            channel.play(sound)
            self.played.append((text, self.clock()))
            self._lengths.setdefault(text, sound.get_length())
            (self.stats.cached if was_cached else self.stats.first_time).append(
                self.clock() - t_event)
        except Exception as exc:
            log.warning("could not play %r: %s", text, exc)

    def _play_tone(self, mixer, name: str) -> None:
        if mixer is None or name not in TONES:
            return
        try:
            sound = self._sounds.get(f"tone:{name}")
            if sound is None:
                freq, _, channels = mixer.get_init()
                samples = tone_samples(name, rate=freq)
                if channels == 2:
                    samples = array("h", (s for s in samples for _ in (0, 1)))
                sound = self._sounds[f"tone:{name}"] = mixer.Sound(buffer=samples.tobytes())
            sound.set_volume(self.volume)
            mixer.Channel(1).play(sound)
        except Exception as exc:
            log.warning("could not play tone %s: %s", name, exc)


def doctor_checks(config, *, driver: str = "espeak",
                  limit_s: float = RENDER_LIMIT_S) -> list[Check]:
    """Is there a voice (eSpeak NG through pyttsx3)? Renders one short cue to find out, within
    ``limit_s``: a voice engine that hangs is reported, never a frozen doctor."""
    import shutil
    import tempfile

    checks = []
    if not config.voice.enabled:
        return [Check("voice", None, "switched off in the config (voice.enabled = false)",
                      "captions are shown; set voice.enabled = true to hear cues")]
    worker = RenderThread(lambda: Renderer(config.voice.voice, config.voice.rate_wpm, driver),
                          limit_s)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            seconds = wav_seconds(worker.start().render("Hello.", Path(tmp) / "hello.wav"))
        checks.append(Check("voice", True, f"eSpeak NG through pyttsx3 renders speech "
                                           f"({seconds:.2f} s for 'Hello.')"))
    except VoiceHung as exc:
        checks.append(Check("voice", False, f"the voice engine hangs: {exc}",
                            "reinstall eSpeak NG (sudo apt install --reinstall espeak-ng "
                            "libespeak-ng1) and restart; the kiosk coaches with captions and "
                            "tones meanwhile"))
    except Exception as exc:
        espeak = shutil.which("espeak-ng")
        checks.append(Check("voice", False, f"cannot render speech: {type(exc).__name__}: {exc}",
                            "install eSpeak NG: sudo apt install espeak-ng" if not espeak
                            else "check voice.voice in the config (try \"en\")"))
    finally:
        worker.close()
    return checks
