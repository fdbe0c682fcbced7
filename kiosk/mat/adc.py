"""The real mat: ``gpiozero.MCP3008`` channels read by one sampler thread, and the optional
GPIO push buttons beside it. The only module that imports gpiozero.

The frame loop calls ``drain()`` whenever it likes and never waits: the sampler appends to a
bounded deque (``append``/``popleft`` are atomic in CPython), so there is no lock to contend.

A bus that fails is a mat fault like a loose wire: read errors that go on for ``SPI_FAULT_S``
put a ``Fault`` (kind ``spi``) into the same stream, in time order with the samples, and a
clear one after ``SPI_RECOVER_S`` of good reads; ``MatLink`` passes both on to the session.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
import threading
import time
import warnings
from collections import deque
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from kiosk.clock import Clock, MonotonicClock
from kiosk.errors import KioskError
from kiosk.mat.events import Fault
from kiosk.mat.force import Layout

if TYPE_CHECKING:
    from kiosk.sections import Mat

Sample = tuple[float, tuple[int, ...]]

NO_GPIO = "this machine has no GPIO/SPI for the mat's MCP3008"
SPI_TEXT = "the mat's sensor board does not answer ({error}): check its cable"
SPI_FAULT_S = 0.3  # read errors this long are a fault (one glitch is not): found within 1 s
SPI_RETRY_S = 0.05  # a failing bus is tried again this often
SPI_RECOVER_S = 0.25  # good reads this long clear it (as a channel fault clears: health.py)


#: gpiozero's pin library on a Pi, as the unit names it: lgpio opens the kernel's SPI device.
#: Left to itself gpiozero tries others in turn, and `doctor` over SSH (no unit environment)
#: could then judge another library's SPI than the kiosk's.
PIN_FACTORY = "lgpio"
PI_MACHINES = ("aarch64", "armv7l")  # where lgpio is installed (setup.cfg)


def name_pin_factory(env: MutableMapping[str, str] | None = None,
                     machine: str | None = None) -> str | None:
    """Name lgpio for gpiozero on a Pi unless someone named a library already; the name used."""
    env = os.environ if env is None else env
    if "GPIOZERO_PIN_FACTORY" not in env and (machine or platform.machine()) in PI_MACHINES:
        env["GPIOZERO_PIN_FACTORY"] = PIN_FACTORY
    return env.get("GPIOZERO_PIN_FACTORY")


class Mcp3008Reader:
    """One ``gpiozero.MCP3008`` per configured channel; ``read()`` gives counts in layout order."""

    def __init__(self, layout: Layout, port: int = 0, device: int = 0,
                 clock_hz: int = 1_000_000, pin_factory: Any = None):
        try:
            from gpiozero import MCP3008, Device, SPISoftwareFallback
            from gpiozero.pins.spi import SPISoftware
        except ImportError as exc:  # pragma: no cover - gpiozero is a dependency
            raise KioskError(f"{NO_GPIO} (gpiozero is not installed: {exc})") from None
        if pin_factory is not None and Device.pin_factory is None:
            # gpiozero 2.0's software SPI bus takes its pins from the default factory
            Device.pin_factory = pin_factory
        elif pin_factory is None and Device.pin_factory is None:
            name_pin_factory()  # the real mat: the library the unit names, here too
        self.layout = layout
        self.devices: list[Any] = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                # only the fallback: "always" for every category would also catch what lgpio's
                # first import warns, and on Python 3.13 (Trixie) SWIG's DeprecationWarning
                # then comes back at exit, a second line after a one-sentence error
                warnings.simplefilter("always", SPISoftwareFallback)
                for ch in layout.channels:
                    self.devices.append(MCP3008(channel=ch, port=port, device=device,
                                                pin_factory=pin_factory))
        except Exception as exc:  # gpiozero raises many kinds; all mean "no usable SPI here"
            self.close()
            raise KioskError(f"{NO_GPIO} ({type(exc).__name__}: {exc})") from None
        # When the kernel's SPI will not open (SPI switched off), gpiozero quietly bit-bangs the
        # same pins instead and only warns: keep both facts so doctor can say so.
        spi = self.devices[0]._spi
        self.spi_interface = type(spi).__name__
        self.spi_hardware = not isinstance(spi, SPISoftware)
        self.spi_fallback: str | None = next(
            (str(w.message) for w in caught if issubclass(w.category, SPISoftwareFallback)), None)
        self.spi_clock_hz: int | None = None
        try:
            self.devices[0]._spi.rate = clock_hz
            self.spi_clock_hz = int(self.devices[0]._spi.rate)
        except Exception:  # software SPI has no rate control: it bit-bangs as fast as it can
            self.spi_clock_hz = None

    def read(self) -> tuple[int, ...]:
        """One conversion per channel, in layout order (left channels, then right)."""
        return tuple(d.raw_value for d in self.devices)

    def close(self) -> None:
        for d in self.devices:
            with contextlib.suppress(Exception):  # closing is best effort
                d.close()
        self.devices = []


class Sampler:
    """Calls ``read()`` at ``rate_hz`` in its own thread, timestamping each sample.

    ``drain()`` returns everything since the last call and never blocks; ``stats()`` reports the
    achieved rate and timing jitter (for ``doctor`` and ``bench``). Read errors that persist
    become ``Fault`` events in the drained stream (see the module's docstring).
    """

    def __init__(self, read: Callable[[], tuple[int, ...]], rate_hz: float,
                 clock: Clock | None = None, buffer_s: float = 10.0,
                 sleep: Callable[[float], None] = time.sleep):
        if rate_hz <= 0:
            raise ValueError("rate_hz must be positive")
        self.read = read
        self.rate_hz = float(rate_hz)
        self.clock = clock or MonotonicClock()
        self._sleep = sleep
        self._buf: deque[Sample | Fault] = deque(maxlen=max(int(rate_hz * buffer_s), 16))
        self._intervals: deque[float] = deque(maxlen=4096)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.count = 0
        self.late = 0
        self.error: str | None = None
        self._t_last: float | None = None
        self.reader: Mcp3008Reader | None = None
        self.errors = 0  # read errors since start
        self._failing_since: float | None = None  # the first of the errors going on now
        self._good_since: float | None = None  # good reads since, while the fault stands
        self.faulty = False

    def close(self) -> None:
        """Stop sampling and release the ADC."""
        self.stop()
        if self.reader:
            self.reader.close()

    def start(self) -> Sampler:
        if self._thread and self._thread.is_alive():
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="mat-sampler", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 1.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout_s)
            self._thread = None

    @property
    def running(self) -> bool:
        return bool(self._thread and self._thread.is_alive())

    def _run(self) -> None:
        period = 1.0 / self.rate_hz
        now = self.clock.now
        next_t = now()
        while not self._stop.is_set():
            wait = next_t - now()
            if wait > 0:
                self._sleep(wait)
            t0 = now()
            try:
                counts = self.read()
            except Exception as exc:  # a dead bus must not kill the kiosk: a fault, retried
                self._read_failed(t0, f"{type(exc).__name__}: {exc}")
                if not self._stop.is_set():
                    self._sleep(SPI_RETRY_S)
                next_t = now()
                continue
            t = (t0 + now()) / 2  # the middle of the conversions
            self._read_worked(t)
            self._buf.append((t, counts))
            if self._t_last is not None:
                self._intervals.append(t - self._t_last)
            self._t_last = t
            self.count += 1
            next_t += period
            if now() - next_t > period:  # fell behind: skip ahead rather than burst
                self.late += 1
                next_t = now() + period

    def _read_failed(self, t: float, error: str) -> None:
        self.error = error
        self.errors += 1
        self._good_since = None
        if self._failing_since is None:
            self._failing_since = t
        elif not self.faulty and t - self._failing_since >= SPI_FAULT_S:
            self.faulty = True
            self._buf.append(Fault(t, None, "spi", True, SPI_TEXT.format(error=error)))

    def _read_worked(self, t: float) -> None:
        self._failing_since = None
        if not self.faulty:
            return
        if self._good_since is None:
            self._good_since = t
        elif t - self._good_since >= SPI_RECOVER_S:
            self.faulty = False
            self._good_since = None
            self._buf.append(Fault(t, None, "spi", False, ""))

    def drain(self) -> list[Sample | Fault]:
        """Samples (and fault events) since the last drain, oldest first; returns at once,
        even when empty."""
        buf = self._buf
        n = len(buf)
        return [buf.popleft() for _ in range(n)]

    def stats(self) -> dict[str, Any]:
        """Achieved rate, interval jitter (standard deviation, worst) and late samples."""
        iv = list(self._intervals)
        out: dict[str, Any] = {"target_rate_hz": self.rate_hz, "samples": self.count,
                               "late": self.late, "error": self.error}
        if len(iv) >= 2:
            mean = sum(iv) / len(iv)
            out["achieved_rate_hz"] = round(1.0 / mean, 1) if mean > 0 else None
            out["jitter_ms"] = round(statistics.pstdev(iv) * 1000, 3)
            out["worst_interval_ms"] = round(max(iv) * 1000, 3)
        else:
            out["achieved_rate_hz"] = None
            out["jitter_ms"] = None
            out["worst_interval_ms"] = None
        return out


def open_mat(mat_config: Mat, pin_factory: Any = None, clock: Clock | None = None) -> Sampler:
    """A (not yet started) sampler on the real MCP3008 as the ``[mat]`` config describes."""
    layout = Layout.from_config(mat_config)
    reader = Mcp3008Reader(layout, mat_config["spi_port"], mat_config["spi_device"],
                           mat_config["spi_clock_hz"], pin_factory)
    sampler = Sampler(reader.read, mat_config["rate_hz"], clock)
    sampler.reader = reader
    return sampler


def open_buttons(pins: dict[str, str], on_press: Callable[[str], None]) -> list[Any]:
    """``gpiozero.Button`` for each action with a pin (``{"pause": "GPIO17", ...}``); pressing
    one calls ``on_press(action)`` (from gpiozero's thread: keep it thread-safe)."""
    from gpiozero import Button

    buttons = []
    for action, pin in pins.items():
        if pin:
            button = Button(pin, bounce_time=0.05)
            button.when_pressed = (lambda a: lambda: on_press(a))(action)
            buttons.append(button)
    return buttons
