"""An MCP3008 on gpiozero's mock SPI pins, bit by bit, playing back force traces.

It lets tests, ``bench`` and experiments run the real ``gpiozero.MCP3008`` code path without a
Pi. It does not import gpiozero's devices (only the mock pin machinery, which adc.py's caller
hands in as a ``MockFactory``), so ``adc.py`` stays the one module that talks to the ADC.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from gpiozero.pins.mock import MockSPIDevice

CLOCK, MOSI, MISO, SELECT = 11, 10, 9, 8
"""SPI0 pins (BCM): what gpiozero's software SPI uses for port 0, device 0 under MockFactory."""


class MockMCP3008(MockSPIDevice):
    """The slave side of an MCP3008: start bit, single/diff bit, 3 channel bits, then the result.

    After the channel bits the chip clocks out one sampling bit and a null bit before the 10
    result bits; ``LEAD_BITS`` is those two. A wrong count gives garbage without any error,
    which is why the tests round-trip known values through ``gpiozero.MCP3008``.

    Values come from ``values`` (8 channels, counts 0..1023, settable any time) or, per
    channel, from a trace: each conversion of a channel returns that channel's next value and
    the last one is held when the trace ends. While ``error`` is set every conversion raises it
    inside gpiozero's transfer, as spidev raises ``OSError`` (EIO) when the chip or its cable is
    gone, so a test sees the kiosk meet a failing bus through the real read path.
    """

    LEAD_BITS = 2
    BITS = 10
    rx_buf: list[bool]  # set by gpiozero's MockSPIDevice, which has no type hints

    def __init__(self, clock_pin: int = CLOCK, mosi_pin: int = MOSI, miso_pin: int = MISO,
                 select_pin: int = SELECT, *, pin_factory: object = None):
        super().__init__(clock_pin, mosi_pin, miso_pin, select_pin, pin_factory=pin_factory)
        self.values: list[int] = [0] * 8
        self._traces: dict[int, Sequence[int]] = {}
        self._cursor: dict[int, int] = {}
        self._lock = threading.Lock()
        self.conversions = 0
        self.state = "idle"
        self.error: BaseException | None = None

    def play(self, samples: Sequence[tuple[float, Sequence[int]]],
             channels: Sequence[int]) -> None:
        """Play ``(t, counts)`` samples: ``counts[i]`` on ``channels[i]``, one per conversion."""
        with self._lock:
            for i, ch in enumerate(channels):
                self._traces[ch] = [c[i] for _, c in samples]
                self._cursor[ch] = 0

    def remaining(self, channel: int) -> int:
        """How many trace values ``channel`` has left to play."""
        with self._lock:
            trace = self._traces.get(channel, ())
            return max(len(trace) - self._cursor.get(channel, 0), 0)

    def value_for(self, channel: int) -> int:
        """The count the next conversion of ``channel`` returns (advancing its trace)."""
        with self._lock:
            trace = self._traces.get(channel)
            if not trace:
                return self.values[channel]
            i = self._cursor[channel]
            if i < len(trace):
                self._cursor[channel] = i + 1
                return trace[i]
            return trace[-1]

    def on_start(self) -> None:
        super().on_start()
        self.state = "idle"

    def on_bit(self) -> None:
        if self.state == "idle":
            if self.rx_buf[-1]:  # the start bit
                self.state = "mode"
                self.rx_buf = []
        elif self.state == "mode":
            self.state = "single" if self.rx_buf[-1] else "diff"
            self.rx_buf = []
        elif self.state in ("single", "diff"):
            if len(self.rx_buf) == 3:
                if self.error is not None:
                    self.state = "idle"
                    raise self.error
                channel = self.rx_word()
                value = self.value_for(channel) if self.state == "single" else 0
                self.conversions += 1
                self.tx_word(max(0, min(1023, int(value))), self.BITS + self.LEAD_BITS)
                self.state = "result"
        elif self.state == "result" and not self.tx_buf:
            self.state = "idle"
            self.rx_buf = []
