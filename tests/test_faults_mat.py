"""Mat faults pause and never decide (issue 13 point 1): the engine's rules on scripted events,
then the whole path — gpiozero's MCP3008 over MockFactory with the project's mock chip made to
read 0 on a channel or to raise, the sampler thread, the link, the engine and the app — on the
sampler's fake clock."""

from datetime import UTC, datetime

import pytest

from kiosk import config
from kiosk.app import App
from kiosk.clock import FakeClock, FixedWallClock
from kiosk.coach import cues
from kiosk.coach.engine import Phase
from kiosk.coach.events import Command, Feet, Tick
from kiosk.mat.adc import SPI_FAULT_S, Mcp3008Reader, Sampler
from kiosk.mat.events import Fault
from kiosk.mat.force import Layout
from kiosk.mat.link import MatLink
from kiosk.mat.mock_adc import MockMCP3008
from kiosk.mat.sim import TraceBuilder, stand, stomp
from kiosk.program.model import StepSpec
from kiosk.store.db import Store
from kiosk.store.records import Landed
from kiosk.ui.views import build
from tests.mat_support import Gate, calibrate, faults
from tests.test_app import HeardVoice
from tests.test_coach_engine import EXTENSOR, STOMP, Driver, land

DEAD_LEFT = Fault(0.0, "left", "railed_low", True, "left sensor (channel 0) reads 0: a wire is "
                                                   "loose or cut")


def fault_at(t, active=True):
    return Fault(t, DEAD_LEFT.foot, DEAD_LEFT.kind, active, DEAD_LEFT.message if active else "")


# --- the engine's rules ---------------------------------------------------------------------

def test_a_fault_standing_when_a_mat_step_begins_pauses_it_and_nothing_is_counted():
    d = Driver(EXTENSOR, STOMP)
    d.send(Feet(0.0, False, False))  # the back lift is done away from the mat
    d.run(2)
    d.send(fault_at(d.t))
    assert d.s.view.phase is Phase.RUNNING  # the back lift runs on its timer
    d.until(lambda d: d.s.view.step.kind == "stomp")  # the back lift's holds, on its timer
    d.heard()  # the pause's words, whatever the stomps' opening lines were doing
    assert d.s.view.phase is Phase.PAUSED and d.s.view.paused_reason == "mat"
    assert cues.MAT_TROUBLE in d.says() and d.s.view.problem.startswith("Left sensor")
    d.send(Feet(d.t, False, True))  # back on the mat: the dead left side reads nothing
    land(d, "right", 2.0)
    d.run(20)
    assert d.s.view.phase is Phase.PAUSED and not d.logs(Landed)
    d.send(fault_at(d.t, active=False))
    assert d.s.view.phase is Phase.RUNNING and d.says()[-1] == cues.RESUMED
    land(d, "left", 2.0)
    assert [r.foot for r in d.logs(Landed)] == ["left"]
    d.heard()  # the opening lines the fault hushed before a word of them: said once it cleared
    assert STOMP.instructions[0] in d.says()[d.says().index(cues.RESUMED):]


@pytest.mark.parametrize("feet", [(False, True), (True, False)], ids=["right", "left"])
def test_no_gesture_counts_while_a_fault_stands(feet):
    d = Driver(STOMP, EXTENSOR)
    d.run(3)
    d.send(Feet(d.t, *feet))  # the dead channel's foot reads 0 BW: it looks lifted
    d.send(fault_at(d.t))
    d.run(30)
    assert not d.s.finished and d.s.view.step.kind == "stomp"
    assert d.s.view.phase is Phase.PAUSED
    d.send(Feet(d.t, True, True))  # both feet do not end a fault's pause either
    d.send(Feet(d.t, *feet))
    d.run(10)
    assert d.s.view.phase is Phase.PAUSED and d.s.view.step.kind == "stomp"
    d.send(fault_at(d.t, active=False))
    d.run(10)  # running again: a foot alone is no gesture while running
    assert d.s.view.phase is Phase.RUNNING and d.s.view.step.kind == "stomp"


def test_a_gesture_held_across_the_fault_clearing_counts_from_the_clearing():
    d = Driver(STOMP, EXTENSOR)
    d.run(3)
    d.send(Command(d.t, "pause"))
    d.send(fault_at(d.t))
    d.send(Feet(d.t, False, True))
    d.run(5)
    d.send(fault_at(d.t, active=False))  # a paused step stays paused for the person
    d.run(1.9)
    assert d.s.view.phase is Phase.PAUSED and d.s.view.step.kind == "stomp"
    d.run(0.2)
    assert d.s.view.step.kind == "extensor"  # the right foot alone, 2 s after the clearing


def test_a_fault_during_a_step_off_pause_takes_it_over():
    d = Driver(STOMP, pause_after_off_s=3.0)
    d.run(3)
    d.send(Feet(d.t, False, False))
    d.run(3.1)
    assert d.s.view.paused_reason == "off"
    d.send(fault_at(d.t))
    assert d.s.view.paused_reason == "mat"
    d.heard()  # the step-off pause's line, then the trouble
    assert d.says()[-1] == cues.MAT_TROUBLE
    d.send(Feet(d.t, True, True))
    assert d.s.view.phase is Phase.PAUSED
    d.send(fault_at(d.t, active=False))
    assert d.s.view.phase is Phase.RUNNING


# --- the sampler turns a failing bus into a fault ---------------------------------------------

RATE = 240  # 8 reads a frame at 30 frames a second


def chip_and_sampler(mock_factory, clock):
    chip = MockMCP3008(pin_factory=mock_factory)
    reader = Mcp3008Reader(Layout(), pin_factory=mock_factory)
    gate = Gate(reader.read)
    sampler = Sampler(gate.read, RATE, clock, buffer_s=60, sleep=clock.advance)
    sampler.reader = reader
    return chip, gate, sampler


@pytest.mark.slow
def test_spi_read_errors_are_a_fault_event_and_clear_after_good_reads(mock_factory):
    clock = FakeClock()
    chip, gate, sampler = chip_and_sampler(mock_factory, clock)
    chip.values[0], chip.values[1] = 300, 310
    sampler.start()
    try:
        gate.allow(24)
        assert not faults(sampler.drain())
        chip.error = OSError(5, "Input/output error")
        t_broken = clock.now()
        gate.allow(3)  # one glitch, or two, is not a fault
        assert sampler.drain() == []
        gate.allow(20)  # a second of errors, retried every 50 ms
        (on,) = sampler.drain()
        assert on.active and on.kind == "spi" and on.foot is None
        assert "Input/output error" in on.message and "cable" in on.message
        assert SPI_FAULT_S <= on.t - t_broken <= 1.0
        chip.error = None
        gate.allow(RATE // 2)
        got = sampler.drain()
    finally:
        gate.open()
        sampler.close()
    samples = [s for s in got if not isinstance(s, Fault)]
    (off,) = faults(got)
    assert not off.active and samples[0][1] == (300, 310)
    assert 0.25 <= off.t - samples[0][0] <= 0.3
    assert sampler.stats()["error"].startswith("OSError")


# --- the whole path: chip, gpiozero, sampler, link, engine, app -------------------------------

class Kiosk:
    """An App on the real mat path, thought frame by frame; each frame lets the sampler read a
    frame's worth (or, while the bus fails, one retry), so the fake clock moves as it would."""

    def __init__(self, mock_factory, tmp_path, steps):
        cfg = config.defaults().replace(profile={"impact_cleared": True,
                                                 "fracture_history": "no"},
                                        mat={"rate_hz": RATE})
        self.clock = FakeClock()
        self.chip, self.gate, self.sampler = chip_and_sampler(mock_factory, self.clock)
        opening = TraceBuilder(RATE).opening().samples()
        cal, used = calibrate(opening)
        self.chip.play(opening[used:] + TraceBuilder(RATE).add(stand(120.0)).samples(), (0, 1))
        link = MatLink(Layout(), divider_ohms=cfg.mat.divider_ohms, target_bw=1.5,
                       calibration=cal, now=lambda: datetime(2026, 1, 2, tzinfo=UTC))
        assert not link.needs_calibration()
        self.store = Store.open(tmp_path / "log.sqlite", backup=False)
        self.voice = HeardVoice()
        self.app = App(config=cfg, clock=self.clock, mat=self.sampler, link=link,
                       speech=self.voice, store=self.store, steps_for=lambda slot: steps,
                       wall=FixedWallClock(datetime(2026, 11, 24, 9, 30)))
        self.sampler.start()

    def frames(self, seconds: float, reads: int = RATE // 30) -> None:
        end = self.clock.now() + seconds
        while self.clock.now() < end - 1e-9:
            self.gate.allow(reads)
            self.app.frame(paint=False)

    def play(self, *motions, channels=(0, 1)) -> None:
        """The person does this from now on, then stands (a real sensor never reads one value
        for long while loaded: that is the "stuck" fault); only ``channels`` play it."""
        samples = TraceBuilder(RATE).add(*motions, stand(120.0)).samples()
        self.chip.play([(t, tuple(c[ch] for ch in channels)) for t, c in samples], channels)

    def view(self):
        return build(self.app.ui_state())

    def said_since(self, n: int) -> list[str]:
        return self.voice.said[n:]

    def close(self) -> None:
        self.gate.open()
        self.sampler.close()
        self.store.close()


@pytest.fixture
def kiosk(mock_factory, tmp_path):
    steps = [StepSpec("stomp", "stomps", "Stomps", ("Hold the counter.",), block="stomps",
                      per_foot=2, target_bw=1.5),
             StepSpec("extensor", "ext", "Back lift", (), block="extensor", hold_s=5.0,
                      holds=1, rest_s=4.0)]
    k = Kiosk(mock_factory, tmp_path, steps)
    yield k
    k.close()


def landed(store) -> list[tuple[str, int]]:
    return [(r[0], r[1]) for r in store._conn.execute(
        "SELECT foot, stomp FROM landings ORDER BY id").fetchall()]


def problem_shown(k) -> str:
    view = k.view()
    assert view.name == "problem"
    return " ".join(getattr(i, "text", "") for i in view.items)


@pytest.mark.slow
def test_a_dead_channel_pauses_the_stomps_ignores_the_lifted_looking_foot_and_resumes(kiosk):
    k = kiosk
    k.frames(2.0)
    assert k.app.mode == "session" and k.app.session.view.step.kind == "stomp"
    k.play(stomp("left", 2.5), stand(1.0))
    k.frames(1.5)
    assert landed(k.store) == [("left", 1)]
    k.chip.values[0] = 0  # the left sensor's wire comes loose
    k.chip.play([], (0,))
    t_cut, heard = k.clock.now(), len(k.voice.said)
    k.frames(1.0)
    view = k.app.session.view
    assert view.phase is Phase.PAUSED and view.paused_reason == "mat"
    assert cues.MAT_TROUBLE in k.said_since(heard)  # said, and shown, within 1 s
    assert "reads 0" in problem_shown(k)
    k.frames(10.0)  # the left foot reads 0 BW: "right foot alone" for 10 s is no skip
    assert k.app.mode == "session" and k.app.session.view.step.kind == "stomp"
    assert k.app.session.view.phase is Phase.PAUSED
    k.play(stomp("right", 2.5), channels=(1,))  # stomping while it waits counts nothing: the
    k.frames(4.0)  # right foot coming down alone (the left reads nothing) is no gesture
    assert k.app.session.view.step.kind == "stomp" and not k.app.session.finished
    assert k.app.session.view.phase is Phase.PAUSED and landed(k.store) == [("left", 1)]
    k.play(stand(2.0))  # the wire is fixed, the person stands
    k.frames(1.5)
    assert k.app.session.view.phase is Phase.RUNNING and cues.RESUMED in k.voice.said
    assert landed(k.store) == [("left", 1)]  # no landing from the channel coming back
    k.play(stomp("left", 2.5), stand(0.5), stomp("right", 2.5), stand(0.5),
           stomp("right", 2.5), stand(1.0))
    k.frames(4.0)
    assert landed(k.store) == [("left", 1), ("left", 1), ("right", 1), ("right", 1)]
    assert k.app.session.view.step.kind == "extensor"
    assert t_cut < k.clock.now()


@pytest.mark.slow
def test_spi_errors_for_ten_seconds_pause_the_session_and_it_carries_on(kiosk):
    k = kiosk
    k.frames(2.0)
    assert k.app.session.view.step.kind == "stomp"
    k.chip.error = OSError(5, "Input/output error")
    t_cut, heard = k.clock.now(), len(k.voice.said)
    while k.app.session.view.phase is Phase.RUNNING:
        assert k.clock.now() - t_cut <= 1.0, "no pause within 1 s of the bus failing"
        k.frames(1 / 30, reads=1)
    assert k.app.session.view.paused_reason == "mat"
    assert cues.MAT_TROUBLE in k.said_since(heard)
    assert "does not answer" in problem_shown(k)
    k.frames(10.0, reads=1)  # ten seconds of a silent bus: still waiting, nothing decided
    assert k.app.mode == "session" and k.app.session.view.phase is Phase.PAUSED
    assert k.app.session.view.step.kind == "stomp"
    k.chip.error = None
    k.play(stand(2.0))
    k.frames(1.0)
    assert k.app.session.view.phase is Phase.RUNNING
    k.play(stomp("left", 2.5), stand(1.0))
    k.frames(2.0)
    assert landed(k.store) == [("left", 1)]


def test_link_passes_the_samplers_fault_on_in_time_order():
    link = MatLink(Layout(), divider_ohms=10_000, target_bw=1.5)
    on = Fault(1.0, None, "spi", True, "the mat's sensor board does not answer")
    got = link.feed([(0.9, (300, 300)), on, (1.5, (300, 300))])
    assert got == [on] and link.someone_on()
    assert link.feed([Fault(2.0, None, "spi", False, "")])[0].active is False


def test_tick_alone_never_resumes_a_fault_pause():
    d = Driver(STOMP)
    d.run(1)
    d.send(fault_at(d.t))
    for _ in range(50):
        d.send(Tick(d.t))
    assert d.s.view.phase is Phase.PAUSED
    land(d, "left", 2.0)
    assert not d.logs(Landed)
