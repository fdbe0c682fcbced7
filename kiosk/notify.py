"""Talking to systemd: readiness, status and a watchdog that only pets while every part is alive.

The unit is ``Type=notify`` with ``WatchdogSec=``: systemd waits for ``READY=1`` before it counts
the kiosk as started, and kills and restarts it when ``WATCHDOG=1`` stops arriving. A thread that
hangs (the frame loop, the mat sampler, the speech worker) must stop the pings, so the
:class:`Watchdog` pings only when every registered heartbeat has beaten since the last ping.

The sd_notify protocol is one datagram to the AF_UNIX socket named in ``$NOTIFY_SOCKET`` (a
leading ``@`` means an abstract socket); no libsystemd needed. Outside systemd every call is a
harmless no-op, so the same code runs on a laptop and in tests.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk.clock import Clock, MonotonicClock

log = logging.getLogger(__name__)


def notify(message: str, env: Mapping[str, str] | None = None) -> bool:
    """Send one sd_notify message such as ``"READY=1"``; False when not under systemd or it failed.

    Never raises: a kiosk must not crash because systemd could not be told something.
    """
    address = (os.environ if env is None else env).get("NOTIFY_SOCKET", "")
    if address.startswith("@"):
        address = "\0" + address[1:]
    elif not address.startswith("/"):
        return False  # unset, or a kind of socket (vsock) the kiosk never runs under
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.connect(address)
            sock.sendall(message.encode("utf-8"))
    except OSError as exc:
        log.debug("sd_notify %r failed: %s", message, exc)
        return False
    return True


def ready(status: str = "", env: Mapping[str, str] | None = None) -> bool:
    """Tell systemd the kiosk is up (display, mat and log ready), with an optional status line."""
    return notify("READY=1" + (f"\nSTATUS={status}" if status else ""), env)


def status(text: str, env: Mapping[str, str] | None = None) -> bool:
    """Set the one-line status shown by ``systemctl status osteo-kiosk``."""
    return notify(f"STATUS={text}", env)


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """Half of ``WatchdogSec`` (systemd's advice), or None when no watchdog is asked for us."""
    env = os.environ if env is None else env
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    pid = env.get("WATCHDOG_PID")
    if usec <= 0 or (pid and pid != str(os.getpid())):
        return None
    return usec / 2_000_000


class Watchdog:
    """Pings systemd's watchdog only while every registered heartbeat keeps beating.

    Register one name per part that must stay alive. A part either calls ``beat(name)`` whenever
    it makes progress (also while idle, e.g. after each ``queue.get(timeout=1)``), or is
    registered with ``progress``, a function returning a counter it advances (such as the speech
    worker's ``beats``), which ``poll()`` reads. Call ``poll()`` often (every frame): it sends
    ``WATCHDOG=1`` when ``interval_s`` has passed since the last ping and every part has
    progressed since then; otherwise it withholds the ping and systemd restarts the kiosk once
    ``WatchdogSec`` runs out. ``interval_s=None`` (no watchdog in the unit) turns it off.
    """

    def __init__(self, interval_s: float | None, clock: Clock | None = None,
                 send: Callable[[str], object] | None = None):
        self.interval_s = interval_s
        self._clock = clock or MonotonicClock()
        self._send = send or notify
        self._lock = threading.Lock()
        self._names: list[str] = []
        self._probes: dict[str, Callable[[], object]] = {}
        self._seen: dict[str, object] = {}
        self._beaten: set[str] = set()
        self._last_ping = self._clock.now()
        self._warned: frozenset[str] = frozenset()

    @classmethod
    def from_env(cls, clock: Clock | None = None) -> Watchdog:
        """A watchdog timed by systemd's ``$WATCHDOG_USEC``; inert when the unit has none."""
        return cls(watchdog_interval_s(), clock)

    @classmethod
    def for_kiosk(cls, clock: Clock | None = None,
                  **progress: Callable[[], object]) -> Watchdog:
        """The kiosk's watchdog: ``frame()`` beats for the frame loop; each keyword is another
        part's progress counter, e.g. ``for_kiosk(sampler=lambda: mat.samples_read,
        speech=lambda: speech.beats)``."""
        watchdog = cls.from_env(clock)
        watchdog.register("frame")
        for name, counter in progress.items():
            watchdog.register(name, counter)
        return watchdog

    def frame(self) -> bool:
        """Call once per frame: the frame loop's beat, then :meth:`poll`."""
        self.beat("frame")
        return self.poll()

    def ready(self, text: str = "") -> bool:
        """Send ``READY=1`` (whether or not the unit has a watchdog)."""
        return ready(text)

    def register(self, name: str, progress: Callable[[], object] | None = None) -> None:
        """Add a part that must progress between pings (frame loop, sampler, speech worker)."""
        with self._lock:
            if name not in self._names:
                self._names.append(name)
            if progress is not None:
                self._probes[name] = progress
                self._seen[name] = progress()

    def beat(self, name: str) -> None:
        """Record progress of one part; cheap enough to call on every sample or frame."""
        with self._lock:
            self._beaten.add(name)

    def stalled(self) -> list[str]:
        """The registered parts that have not beaten since the last ping."""
        with self._lock:
            return [n for n in self._names if n not in self._beaten]

    def poll(self) -> bool:
        """Ping if it is time and every part has progressed; True when a ping was sent."""
        if self.interval_s is None:
            return False
        now = self._clock.now()
        with self._lock:
            for name, progress in self._probes.items():
                value = progress()
                if value != self._seen[name]:
                    self._seen[name] = value
                    self._beaten.add(name)
            if now - self._last_ping < self.interval_s:
                return False
            missing = frozenset(n for n in self._names if n not in self._beaten)
            if missing:
                if missing != self._warned:  # say it once per stall, into the journal
                    log.warning("watchdog withheld: no progress from %s",
                                ", ".join(sorted(missing)))
                    self._warned = missing
                return False
            self._beaten.clear()
            self._last_ping = now
            self._warned = frozenset()
        self._send("WATCHDOG=1")
        return True


# --- back-off after crashes ----------------------------------------------------------------
#: systemd 252 (Bookworm) restarts at a fixed RestartSec; RestartSteps= needs 254. So the
#: kiosk grows the delay itself: starts recorded in the runtime directory (cleared at boot),
#: and a start soon after others waits 5, 10, 20 ... up to 300 s before opening anything.
BACKOFF_WINDOW_S = 600.0
BACKOFF_FIRST_S = 5.0
BACKOFF_MAX_S = 300.0
#: What a start needs after a wait (the screen, mat, log and voice), told to systemd with
#: each wait, so its start timeout (the unit's TimeoutStartSec) never ends a deliberate one.
START_REST_S = 60.0


def backoff_s(recent_starts: list[float], now: float) -> float:
    """How long to wait before starting, given earlier start times (epoch seconds)."""
    recent = [t for t in recent_starts if 0 <= now - t <= BACKOFF_WINDOW_S]
    if not recent:
        return 0.0
    return min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2.0 ** (len(recent) - 1))


def crash_backoff(env: Mapping[str, str] | None = None, sleep=None, now=None) -> float:
    """Under systemd: record this start, then wait out the back-off (telling systemd, so its
    start timeout stretches). Elsewhere it does nothing. Returns the seconds waited."""
    import time as _time

    env = os.environ if env is None else env
    folder = env.get("RUNTIME_DIRECTORY")
    if not folder or not env.get("NOTIFY_SOCKET"):
        return 0.0
    path = Path(folder.split(":")[0]) / "starts"
    now = _time.time() if now is None else now
    try:
        starts = [float(x) for x in path.read_text().split()]
    except (OSError, ValueError):
        starts = []
    wait = backoff_s(starts, now)
    try:
        kept = [t for t in starts if now - t <= BACKOFF_WINDOW_S] + [now]
        path.write_text(" ".join(f"{t:.0f}" for t in kept))
    except OSError:
        pass
    if wait:
        notify(f"EXTEND_TIMEOUT_USEC={int((wait + START_REST_S) * 1e6)}", env)
        status(f"waiting {wait:.0f} s after {len(starts)} recent start(s)", env)
        (sleep or _time.sleep)(wait)
    return wait
