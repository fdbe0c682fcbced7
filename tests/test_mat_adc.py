"""The real gpiozero.MCP3008 path over mock SPI (MockFactory), the sampler and doctor."""

import threading

import pytest
from gpiozero import MCP3008, Device
from gpiozero.pins.mock import MockFactory

from kiosk import config as config_mod
from kiosk.errors import KioskError
from kiosk.mat import doctor
from kiosk.mat.adc import Mcp3008Reader, Sampler, open_mat
from kiosk.mat.detector import MatDetector
from kiosk.mat.force import Layout
from kiosk.mat.mock_adc import MockMCP3008
from kiosk.mat.sim import TraceBuilder, march, stomp
from tests.mat_support import calibrate, landings


@pytest.fixture
def factory():
    """gpiozero's own pattern: a MockFactory as the default for the test, then restored."""
    saved = Device.pin_factory
    f = MockFactory()
    Device.pin_factory = f
    yield f
    Device.pin_factory = saved
    f.reset()


VALUES = [0, 1, 2, 3, 255, 256, 511, 512, 513, 700, 1022, 1023]


def test_mock_speaks_mcp3008_to_the_real_gpiozero_device(factory):
    chip = MockMCP3008(pin_factory=factory)
    devs = [MCP3008(channel=c, pin_factory=factory) for c in range(8)]
    for k, v in enumerate(VALUES):
        ch = k % 8
        chip.values[ch] = v
        assert devs[ch].raw_value == v
    assert chip.conversions == len(VALUES)


@pytest.mark.parametrize("lead_bits", [1, 3])
def test_a_wrong_bit_alignment_is_caught_by_the_round_trip(factory, lead_bits):
    class Misaligned(MockMCP3008):
        LEAD_BITS = lead_bits

    chip = Misaligned(pin_factory=factory)
    dev = MCP3008(channel=0, pin_factory=factory)
    wrong = 0
    for v in VALUES:
        chip.values[0] = v
        wrong += dev.raw_value != v
    assert wrong >= len(VALUES) // 2  # silently garbage: only a round trip shows it


def test_reader_plays_a_trace_per_channel_in_layout_order(factory):
    chip = MockMCP3008(pin_factory=factory)
    layout = Layout((3,), (5,))
    chip.play([(0.0, (10, 20)), (0.004, (11, 21)), (0.008, (12, 22))], layout.channels)
    reader = Mcp3008Reader(layout, pin_factory=factory)
    assert [reader.read() for _ in range(4)] == [(10, 20), (11, 21), (12, 22), (12, 22)]
    reader.close()


def test_end_to_end_through_gpiozero_counts_stomps(factory):
    tb = TraceBuilder(250).opening().add(stomp("left", 2.5), stomp("right", 2.5), march(100, 3))
    samples = tb.samples()
    chip = MockMCP3008(pin_factory=factory)
    chip.play(samples, (0, 1))
    reader = Mcp3008Reader(Layout(), pin_factory=factory)
    read_back = [(t, reader.read()) for t, _ in samples]  # timestamps from the trace
    assert read_back == samples
    cal, used = calibrate(read_back)
    ev = MatDetector(cal, Layout()).feed_batch(read_back[used:])
    lands = landings(ev)
    assert [(e.foot, e.stomp) for e in lands[:2]] == [("left", True), ("right", True)]


def test_sampler_drain_never_blocks(factory):
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


def test_sampler_reads_the_mock_chip_and_reports_stats(factory):
    chip = MockMCP3008(pin_factory=factory)
    chip.values[0], chip.values[1] = 300, 400
    reader = Mcp3008Reader(Layout(), pin_factory=factory)
    sampler = Sampler(reader.read, 500).start()
    got = []
    while len(got) < 20:
        got += sampler.drain()
        threading.Event().wait(0.01)
    sampler.stop()
    assert {c for _, c in got} == {(300, 400)}
    stats = sampler.stats()
    assert stats["samples"] >= 20 and stats["achieved_rate_hz"] > 0
    assert stats["jitter_ms"] is not None and stats["error"] is None


def test_no_gpio_is_one_clear_sentence(monkeypatch):
    saved = Device.pin_factory
    Device.pin_factory = None
    monkeypatch.setenv("GPIOZERO_PIN_FACTORY", "no-such-factory")
    try:
        with pytest.raises(KioskError, match="no GPIO/SPI"):
            open_mat(config_mod.defaults().mat)
    finally:
        Device.pin_factory = saved


def test_doctor_reports_spi_rate_channels_and_calibration(factory, tmp_path):
    chip = MockMCP3008(pin_factory=factory)
    chip.values[0], chip.values[1] = 12, 1023
    cfg = config_mod.defaults().replace(storage={"data_dir": str(tmp_path)},
                                        mat={"rate_hz": 200})
    result = {c.name: c for c in doctor.checks(cfg, factory, listen_s=0.2)}
    assert result["mat SPI"].ok is True
    assert "Hz" in result["mat sampling"].detail
    assert result["mat channel 0 (left)"].ok is True
    assert result["mat channel 1 (right)"].ok is False
    assert "shorted" in result["mat channel 1 (right)"].detail
    assert result["mat calibration"].ok is None  # not calibrated yet


def test_channel_checks_are_pure():
    lay = Layout()
    floating = [(i / 250, ((i * 397) % 1024, 5)) for i in range(100)]
    got = doctor.channel_checks(floating, lay)
    assert got[0].ok is False and "noise" in got[0].detail
    assert got[1].ok is True
    zero = doctor.channel_checks([(0.0, (0, 0))] * 10, lay)
    assert [c.ok for c in zero] == [None, None]
