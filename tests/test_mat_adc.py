"""The real gpiozero.MCP3008 path over mock SPI (MockFactory), the sampler and doctor."""

import threading

import pytest
from gpiozero import MCP3008, Device

from kiosk import config as config_mod
from kiosk.clock import FakeClock
from kiosk.errors import KioskError
from kiosk.mat import doctor
from kiosk.mat.adc import Mcp3008Reader, Sampler, open_mat
from kiosk.mat.detector import MatDetector
from kiosk.mat.force import Layout
from kiosk.mat.mock_adc import MockMCP3008
from kiosk.mat.sim import TraceBuilder, empty, march, stand, step_off, stomp
from tests.mat_support import Gate, calibrate, faults, landings
from tests.spi_support import HardwareSpiFactory, SpiOffFactory

VALUES = [0, 1, 2, 3, 255, 256, 511, 512, 513, 700, 1022, 1023]


def test_mock_speaks_mcp3008_to_the_real_gpiozero_device(mock_factory):
    chip = MockMCP3008(pin_factory=mock_factory)
    devs = [MCP3008(channel=c, pin_factory=mock_factory) for c in range(8)]
    for k, v in enumerate(VALUES):
        ch = k % 8
        chip.values[ch] = v
        assert devs[ch].raw_value == v
    assert chip.conversions == len(VALUES)


@pytest.mark.parametrize("lead_bits", [1, 3])
def test_a_wrong_bit_alignment_is_caught_by_the_round_trip(mock_factory, lead_bits):
    class Misaligned(MockMCP3008):
        LEAD_BITS = lead_bits

    chip = Misaligned(pin_factory=mock_factory)
    dev = MCP3008(channel=0, pin_factory=mock_factory)
    wrong = 0
    for v in VALUES:
        chip.values[0] = v
        wrong += dev.raw_value != v
    assert wrong >= len(VALUES) // 2  # silently garbage: only a round trip shows it


def test_reader_plays_a_trace_per_channel_in_layout_order(mock_factory):
    chip = MockMCP3008(pin_factory=mock_factory)
    layout = Layout((3,), (5,))
    chip.play([(0.0, (10, 20)), (0.004, (11, 21)), (0.008, (12, 22))], layout.channels)
    reader = Mcp3008Reader(layout, pin_factory=mock_factory)
    assert [reader.read() for _ in range(4)] == [(10, 20), (11, 21), (12, 22), (12, 22)]
    reader.close()


@pytest.mark.slow
def test_end_to_end_through_gpiozero_counts_stomps(mock_factory):
    tb = TraceBuilder(250).opening().add(stomp("left", 2.5), stomp("right", 2.5), march(100, 3))
    samples = tb.samples()
    chip = MockMCP3008(pin_factory=mock_factory)
    chip.play(samples, (0, 1))
    reader = Mcp3008Reader(Layout(), pin_factory=mock_factory)
    read_back = [(t, reader.read()) for t, _ in samples]  # timestamps from the trace
    assert read_back == samples
    cal, used = calibrate(read_back)
    ev = MatDetector(cal, Layout()).feed_batch(read_back[used:])
    lands = landings(ev)
    assert [(e.foot, e.stomp) for e in lands[:2]] == [("left", True), ("right", True)]


def test_sampler_drain_never_blocks(mock_factory):
    gate = threading.Event()
    entered = threading.Event()
    calls = []

    def read():
        calls.append(1)
        if len(calls) == 3:
            entered.set()
            gate.wait(5)  # the bus hangs inside a read
        return (1, 2)

    sampler = Sampler(read, 1000).start()
    try:
        assert entered.wait(5)
        first = sampler.drain()  # returns while the sampler is stuck in read()
        assert [c for _, c in first] == [(1, 2), (1, 2)]
        assert sampler.drain() == []
    finally:
        gate.set()
        sampler.stop()
    ts = [t for t, _ in first]
    assert ts == sorted(ts)


def test_sampler_reads_the_mock_chip_and_reports_stats(mock_factory):
    chip = MockMCP3008(pin_factory=mock_factory)
    chip.values[0], chip.values[1] = 300, 400
    reader = Mcp3008Reader(Layout(), pin_factory=mock_factory)
    sampler = Sampler(reader.read, 500).start()
    got = []
    for _ in range(1000):  # the thread reads at 500 Hz: a few drains are enough
        got += sampler.drain()
        if len(got) >= 20:
            break
        threading.Event().wait(0.01)
    sampler.stop()
    assert {c for _, c in got} == {(300, 400)}
    stats = sampler.stats()
    assert stats["samples"] >= 20 and stats["achieved_rate_hz"] > 0
    assert stats["jitter_ms"] is not None and stats["error"] is None


def test_no_gpio_is_one_clear_sentence(monkeypatch):
    monkeypatch.setattr(Device, "pin_factory", None)  # gpiozero's, restored after the test
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")
    with pytest.raises(KioskError, match="no GPIO/SPI"):
        open_mat(config_mod.defaults().mat)


def test_doctor_reports_spi_rate_channels_and_calibration(mock_factory, tmp_path):
    chip = MockMCP3008(pin_factory=mock_factory)
    chip.values[0], chip.values[1] = 12, 1023
    cfg = config_mod.defaults().replace(storage={"data_dir": str(tmp_path)},
                                        mat={"rate_hz": 200})
    result = {c.name: c for c in doctor.checks(cfg, mock_factory, listen_s=0.2)}
    assert result["mat SPI"].ok is False  # MockFactory only bit-bangs: software SPI
    assert "software SPI" in result["mat SPI"].detail
    assert "Hz" in result["mat sampling"].detail
    assert result["mat channel 0 (left)"].ok is True
    assert result["mat channel 1 (right)"].ok is False
    assert "shorted" in result["mat channel 1 (right)"].detail
    assert result["mat calibration"].ok is None  # not calibrated yet


@pytest.mark.parametrize(("factory_class", "ok", "said"), [
    (HardwareSpiFactory, True, "MCP3008 on hardware SPI0/CE0, channels [0, 1] "
                               "(KernelSPIShared, 1000000 Hz)"),
    (SpiOffFactory, False, "MCP3008 read by software SPI, bit-banged GPIO on SPI0/CE0, channels "
                           "[0, 1] (MockSPIInterfaceShared): hardware SPI did not open (failed to "
                           "initialize hardware SPI, falling back to software (error was: "
                           "[Errno 2] No such file or directory: '/dev/spidev0.0'))"),
])
def test_doctor_says_whether_the_mcp3008_is_read_over_hardware_spi(factory_class, ok, said,
                                                                    tmp_path):
    saved = Device.pin_factory
    pins = Device.pin_factory = factory_class()
    try:
        chip = MockMCP3008(pin_factory=pins)
        chip.values[0], chip.values[1] = 40, 60
        cfg = config_mod.defaults().replace(storage={"data_dir": str(tmp_path)},
                                            mat={"rate_hz": 100})
        result = {c.name: c for c in doctor.checks(cfg, pins, listen_s=0.2)}
    finally:
        Device.pin_factory = saved
        pins.reset()
    assert (result["mat SPI"].ok, result["mat SPI"].detail) == (ok, said)
    assert ("raspi-config" in result["mat SPI"].fix) is not ok
    # either way the readings went through gpiozero.MCP3008 to the mock chip and back
    assert result["mat channel 0 (left)"].detail == "reads 40-40 counts"
    assert result["mat channel 1 (right)"].detail == "reads 60-60 counts"


def test_channel_checks_are_pure():
    lay = Layout()
    floating = [(i / 250, ((i * 397) % 1024, 5)) for i in range(100)]
    got = doctor.channel_checks(floating, lay)
    assert got[0].ok is False and "noise" in got[0].detail
    assert got[1].ok is True
    zero = doctor.channel_checks([(0.0, (0, 0))] * 10, lay)
    assert [c.ok for c in zero] == [None, None]


class Rig:
    """The real path: a MockMCP3008 read through gpiozero by the Sampler thread, drained into a
    calibrated MatDetector. Signal time comes from a FakeClock that the sampler's own sleeps
    advance, and a ``Gate`` lets the thread read a cell at a time, so what the chip plays when
    the test changes it is the same under any load; every loop is bounded by a count of
    samples."""

    CELL = 25  # reads let through at a time (0.1 s of signal)

    RATE = 250

    def __init__(self, mock_factory, opening_and_trace):
        samples = opening_and_trace.samples()
        self.calibration, used = calibrate(samples)
        assert all(b >= 3 for b in self.calibration.baseline_counts)  # the bleed floor
        self.chip = MockMCP3008(pin_factory=mock_factory)
        self.chip.play(samples[used:], (0, 1))
        self.reader = Mcp3008Reader(Layout(), pin_factory=mock_factory)
        clock = FakeClock()
        self.gate = Gate(self.reader.read)
        self.sampler = Sampler(self.gate.read, self.RATE, clock, buffer_s=600,
                               sleep=clock.advance)
        self.detector = MatDetector(self.calibration, Layout())
        self.samples: list = []
        self.events: list = []

    def pump(self, until, limit: int) -> None:
        """Feed the detector until ``until()`` holds; fail after ``limit`` more samples."""
        end = len(self.samples) + limit
        while not until():
            assert len(self.samples) < end, "not within the sample budget"
            self.gate.allow(self.CELL)
            got = self.sampler.drain()
            assert len(got) == self.CELL
            self.samples += got
            self.events += self.detector.feed_batch(got)

    def close(self) -> None:
        self.gate.open()
        self.sampler.close()

    def first_t(self, pred) -> float:
        return next(t for t, c in self.samples if pred(c))


UNPLUGGED = ({0: 0, 1: 0}, "no_mat", None)
SHORTED_RIGHT = ({1: 1023}, "railed_high", "right")


@pytest.mark.slow
@pytest.mark.parametrize("fault", [UNPLUGGED, SHORTED_RIGHT], ids=["unplugged", "shorted"])
def test_end_to_end_a_fault_stops_counting_and_clears(mock_factory, fault):
    """A fault mid-session through the real gpiozero path: reported within 1 s of signal,
    nothing counted from the faulty foot meanwhile, counting resumes after recovery."""
    values, kind, foot = fault
    rate = Rig.RATE
    hard = [stomp(f, 2.5) for f in ("left", "right") * 6]
    tb = TraceBuilder(rate).opening().add(stand(1.0), *hard, step_off(), empty(2.0))
    rig = Rig(mock_factory, tb)
    rig.sampler.start()
    try:
        # before: both stomps counted
        rig.pump(lambda: len(landings(rig.events)) >= 2, limit=5 * rate)
        assert [(e.foot, e.stomp) for e in landings(rig.events)[:2]] == [("left", True),
                                                                         ("right", True)]
        assert not faults(rig.events)
        # unplug (all channels 0, the calibration has a bleed floor) or short the right FSR;
        # the sampler thread waits at the gate meanwhile, so no pass reads one channel changed
        # and not the other (a lone right channel at 0 would be another fault)
        for ch, v in values.items():
            rig.chip.values[ch] = v
            rig.chip.play([], (ch,))  # drop the channel's trace: it reads `values` now
        broken = (lambda c: c == (0, 0)) if kind == "no_mat" else (lambda c: c[1] == 1023)
        rig.pump(lambda: bool(faults(rig.events, True)), limit=2 * rate)
        t_broken = rig.first_t(broken)
        (on,) = faults(rig.events, True)
        assert (on.kind, on.foot) == (kind, foot)
        assert on.t - t_broken <= 1.0  # within 1 s of signal
        n = len(rig.samples)
        rig.pump(lambda: len(rig.samples) >= n + rate, limit=2 * rate)  # 1 s more of the fault
        # recovery: the mat comes back while the person stands, then two more stomps
        after = TraceBuilder(rate).add(stand(1.5), stomp("left", 2.5), stomp("right", 2.5),
                                       stand(1.0), step_off(), empty(1.5))
        rig.chip.play(after.samples(), (0, 1))
        rig.pump(lambda: bool(faults(rig.events, False)), limit=2 * rate)
        rig.pump(lambda: rig.chip.remaining(0) == 0, limit=len(after.samples()) + rate)
        n = len(rig.samples)
        rig.pump(lambda: len(rig.samples) >= n + rate // 2, limit=rate)  # its last events
    finally:
        rig.close()
    (off,) = faults(rig.events, False)
    assert (off.kind, off.foot) == (kind, foot) and off.t > on.t
    assert faults(rig.events, True) == [on]
    during = [e for e in landings(rig.events, foot) if t_broken <= e.t <= off.t]
    assert during == []  # nothing counted from the faulty foot (for no_mat: from any)
    resumed = [(e.foot, e.stomp) for e in landings(rig.events) if e.t > off.t and e.stomp]
    assert resumed == [("left", True), ("right", True)]


@pytest.mark.parametrize("env, machine, named", [
    ({}, "aarch64", "lgpio"),                                  # a Pi, over SSH: as the unit
    ({}, "armv7l", "lgpio"),
    ({"GPIOZERO_PIN_FACTORY": "mock"}, "aarch64", "mock"),     # someone named one: theirs
    ({}, "x86_64", None),                                      # not a Pi: gpiozero decides
])
def test_the_real_mat_names_the_units_pin_library(env, machine, named):
    from kiosk.mat.adc import name_pin_factory

    assert name_pin_factory(env, machine) == named
    assert env.get("GPIOZERO_PIN_FACTORY") == named
