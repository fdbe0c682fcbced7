"""The calibrator: empty, then standing still; progress and reasons it fails; the command."""

import json
import threading

import pytest

from kiosk.clock import FakeClock
from kiosk.mat.adc import Mcp3008Reader, Sampler
from kiosk.mat.calibrate import DONE, EMPTY, FAILED, NOTHING, STANDING, Calibrator
from kiosk.mat.commands import cmd_calibrate
from kiosk.mat.force import Calibration, Layout
from kiosk.mat.mock_adc import MockMCP3008
from kiosk.mat.sim import SensorModel, TraceBuilder, empty, stand, step_on, stomp
from tests.mat_support import CREATED, parse


def feed(samples, **kw):
    cal = Calibrator(Layout(), 10_000, CREATED, **kw)
    return cal, cal.feed_batch(samples)


def test_calibrates_from_empty_then_standing_still():
    samples = TraceBuilder(250).opening().samples()
    cal, result = feed(samples)
    assert cal.phase == DONE and result is not None
    assert result.bw_conductance == pytest.approx(1.0, rel=0.05)  # 0.5 + 0.5 per foot
    assert all(10 <= b <= 15 for b in result.baseline_counts)  # the bleed floor
    assert result.channels == (0, 1) and result.created == CREATED
    assert 3.9 <= samples[cal.consumed - 1][0] <= 4.2  # 1.5 empty + 0.6 step-on + 2 s still
    assert cal.progress().fraction == 1.0


def test_progress_moves_through_the_phases():
    samples = TraceBuilder(250).opening().samples()
    cal = Calibrator(Layout(), 10_000, CREATED)
    seen = []
    for t, c in samples:
        cal.feed(t, c)
        p = cal.progress()
        if not seen or seen[-1][0] != p.phase:
            seen.append((p.phase, p.fraction))
    assert [s[0] for s in seen] == [EMPTY, STANDING, DONE]
    assert seen[1][1] == pytest.approx(0.3)


def test_a_stomp_during_standing_restarts_the_still_window():
    tb = TraceBuilder(250).add(empty(1.5), step_on(), stand(1.0), stomp("left", 2.0), stand(2.5))
    cal, result = feed(tb.samples())
    assert result is not None
    t_done = tb.samples()[cal.consumed - 1][0]
    assert t_done >= 1.5 + 0.6 + 1.0 + 0.55 + 2.0  # 2 s still after the stomp came down


def test_a_dead_mat_says_it_reads_nothing():
    cal, result = feed([(i / 250, (0, 0)) for i in range(250 * 40)])
    assert result is None and cal.phase == FAILED and cal.failure == NOTHING


def test_standing_on_one_foot_is_refused_until_both_are_loaded():
    one_foot = [(1.5 + i / 250, (600, 12)) for i in range(250 * 5)]
    cal, result = feed([(i / 250, (12, 12)) for i in range(375)] + one_foot)
    assert result is None and "one foot on each side" in cal.progress().message


def test_a_mat_that_never_settles_fails_with_a_reason():
    noisy = [(i / 250, ((i * 37) % 90, 5)) for i in range(250 * 35)]
    cal, result = feed(noisy)
    assert result is None and "settle" in cal.failure


def test_single_sample_spikes_do_not_spoil_the_empty_second():
    tb = TraceBuilder(250, SensorModel(spike_rate_hz=3.0, seed=2)).opening()
    _, result = feed(tb.samples())
    assert result is not None


@pytest.fixture
def real_mat(mock_factory):
    """The real mat's path: gpiozero's MCP3008 over mock SPI pins, the mock chip playing an
    empty mat, a step on and standing still, read by the sampler thread on a fake clock."""
    chip = MockMCP3008(pin_factory=mock_factory)
    chip.play(TraceBuilder(250).add(empty(1.5), step_on(), stand(3.0)).samples(), (0, 1))
    clock = FakeClock()
    reader = Mcp3008Reader(Layout(), pin_factory=mock_factory)
    sampler = Sampler(reader.read, 250, clock, buffer_s=600, sleep=clock.advance)
    sampler.reader = reader  # closed with the sampler, as adc.open_mat arranges
    return sampler.start()


def calibrate(args, mat=None):
    """The command on a fake clock that moves only when the command waits: no real time.
    Waits are counted, so a mat that never calibrates fails the test instead of hanging it."""
    clock = FakeClock()
    waits = []

    def wait(seconds):
        waits.append(seconds)
        assert len(waits) < 100_000, "calibrate kept waiting"
        if mat is not None:
            threading.Event().wait(0.001)  # let the sampler thread read
        clock.advance(seconds)

    return cmd_calibrate(args, mat=mat, clock=clock, wait=wait)


def data_dir(tmp_path, monkeypatch):
    d = tmp_path / "data"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{d}"\n')
    monkeypatch.setenv("OSTEO_KIOSK_CONFIG", str(cfg))
    return d


@pytest.mark.slow  # every sample is bit-banged through gpiozero's mock SPI
def test_calibrate_on_the_real_mat_saves_in_the_data_directory(tmp_path, monkeypatch, capsys,
                                                               real_mat):
    d = data_dir(tmp_path, monkeypatch)
    args = parse(["calibrate", "--mat", "mcp3008"])
    assert calibrate(args, real_mat) == 0
    saved = d / "calibration.json"
    assert Calibration.load(saved).bw_conductance > 0 and not real_mat.running
    assert f"Saved to {saved}." in capsys.readouterr().out


@pytest.mark.slow  # every sample is bit-banged through gpiozero's mock SPI
def test_calibrate_on_the_real_mat_saves_to_output(tmp_path, monkeypatch, capsys, real_mat):
    d = data_dir(tmp_path, monkeypatch)
    out = tmp_path / "mine.json"
    args = parse(["calibrate", "--mat", "mcp3008", "--output", str(out), "--json"])
    assert calibrate(args, real_mat) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["saved"] == str(out) and got["simulated"] is False
    assert Calibration.load(out).bw_conductance == got["bw_conductance"]
    assert not (d / "calibration.json").exists()


def test_a_simulated_calibration_never_overwrites_the_real_one(tmp_path, monkeypatch, capsys):
    d = data_dir(tmp_path, monkeypatch)
    d.mkdir()
    real = d / "calibration.json"
    real.write_text("the person's real calibration")
    args = parse(["calibrate", "--mat", "sim"])
    assert calibrate(args) == 0
    assert real.read_text() == "the person's real calibration"
    assert list(d.iterdir()) == [real]
    out = capsys.readouterr().out
    assert "simulated mat): not saved; give --output FILE" in out


def test_a_simulated_calibration_is_saved_only_to_output(tmp_path, monkeypatch, capsys):
    d = data_dir(tmp_path, monkeypatch)
    out = tmp_path / "sim.json"
    args = parse(["calibrate", "--mat", "sim", "--output", str(out), "--json"])
    assert calibrate(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["saved"] == str(out) and got["simulated"] is True
    assert Calibration.load(out).bw_conductance == pytest.approx(1.0, rel=0.1)
    assert not d.exists()


def test_practice_stomps_on_the_simulated_mat_set_a_target_never_above_the_default(
        tmp_path, monkeypatch, capsys):
    data_dir(tmp_path, monkeypatch)
    args = parse(["calibrate", "--mat", "sim", "--practice", "2", "--json"])
    assert calibrate(args) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["simulated"] is True and got["saved"] is None
    assert 1.1 <= got["target_bw"] <= 1.5  # program.stomp_target_bw's default is the ceiling
