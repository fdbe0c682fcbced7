"""Simulated mats: a trace generator for tests and bench, and live mats for demo and keyboard.

Motions describe true foot force in body weights (BW) over time; a ``SensorModel`` turns force
into ADC counts the way a real mat does: FSR conductance that saturates, a bleed resistor's
floor, baseline creep, noise, 10-bit quantisation and the odd single-sample spike.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kiosk.clock import Clock
from kiosk.mat.force import ADC_MAX, Layout

Forces = tuple[float, float]
MotionFn = Callable[[float], Forces]
Sample = tuple[float, tuple[int, ...]]


@dataclass
class Motion:
    """``fn(u)`` gives (left, right) force in BW for ``0 <= u < duration_s``."""

    duration_s: float
    fn: MotionFn
    label: str = ""
    landings: tuple[tuple[float, str, float], ...] = ()  # (u at peak, foot, true peak BW)


def _smooth(a: float, b: float, u: float) -> float:
    """Half-cosine from a (u=0) to b (u=1)."""
    u = min(max(u, 0.0), 1.0)
    return a + (b - a) * (1 - math.cos(math.pi * u)) / 2


def _other(foot: str) -> str:
    return "right" if foot == "left" else "left"


def _pair(foot: str, mine: float, other: float) -> Forces:
    return (mine, other) if foot == "left" else (other, mine)


def empty(seconds: float) -> Motion:
    return Motion(seconds, lambda u: (0.0, 0.0), "empty")


def stand(seconds: float, sway_bw: float = 0.03, sway_hz: float = 0.3) -> Motion:
    """Standing still on both feet: body sway moves a little weight side to side."""
    def fn(u: float) -> Forces:
        s = sway_bw * math.sin(2 * math.pi * sway_hz * u)
        return 0.5 + s, 0.5 - s
    return Motion(seconds, fn, "stand")


def step_on(seconds: float = 0.6) -> Motion:
    """Left foot lands and takes the weight, right follows half-way, weight settles on both."""
    half = seconds / 2
    def fn(u: float) -> Forces:
        if u < half:
            return _smooth(0.0, 0.9, u / 0.04), 0.0
        v = u - half
        return _smooth(0.9, 0.5, v / half), _smooth(0.0, 0.5, v / 0.04)
    return Motion(seconds, fn, "step_on", ((0.04, "left", 0.9), (half + 0.04, "right", 0.5)))


def step_off(seconds: float = 0.6) -> Motion:
    half = seconds / 2
    def fn(u: float) -> Forces:
        right = _smooth(0.5, 0.0, u / 0.15)
        left = _smooth(0.5, 1.0, u / 0.15) if u < half else _smooth(1.0, 0.0, (u - half) / 0.15)
        return left, right
    return Motion(seconds, fn, "step_off")


def stomp(foot: str, peak_bw: float, rise_s: float = 0.02, air_s: float = 0.4,
          settle_s: float = 0.4) -> Motion:
    """From standing: unload the foot, hold it up, bring it down hard, settle back on both."""
    t_land = 0.15 + air_s
    dur = t_land + rise_s + 0.12 + settle_s
    def fn(u: float) -> Forces:
        if u < 0.15:
            mine = _smooth(0.5, 0.0, u / 0.15)
            return _pair(foot, mine, 1.0 - mine)
        if u < t_land:
            return _pair(foot, 0.0, 1.0)
        v = u - t_land
        if v < rise_s:
            mine = _smooth(0.0, peak_bw, v / rise_s)
        else:
            mine = 0.5 + (peak_bw - 0.5) * math.exp(-(v - rise_s) / 0.03)
        other = _smooth(1.0, 0.5, v / 0.12)
        return _pair(foot, mine, other)
    return Motion(dur, fn, f"stomp {foot}", ((t_land + rise_s, foot, peak_bw),))


def double_bump(foot: str, heel_bw: float, toe_bw: float, dip_bw: float = 0.05,
                gap_s: float = 0.05, air_s: float = 0.4) -> Motion:
    """A landing on the heel, a dip as the foot rolls, then the forefoot: still one landing."""
    base = stomp(foot, heel_bw, 0.02, air_s, 0.5)
    t_land = 0.15 + air_s
    t_dip = t_land + 0.04
    def fn(u: float) -> Forces:
        if u < t_dip:
            return base.fn(u)
        v = u - t_dip
        if v < gap_s:
            mine = _smooth(heel_bw, dip_bw, v / 0.01)
        elif v < gap_s + 0.02:
            mine = _smooth(dip_bw, toe_bw, (v - gap_s) / 0.02)
        else:
            mine = 0.5 + (toe_bw - 0.5) * math.exp(-(v - gap_s - 0.02) / 0.04)
        other = 0.5 if v > 0.08 else base.fn(u)[1 if foot == "left" else 0]
        return _pair(foot, mine, other)
    return Motion(base.duration_s, fn, f"double bump {foot}", ((t_land + 0.02, foot, heel_bw),))


def march(cadence_spm: float, seconds: float, peak_bw: float = 1.15,
          first: str = "left") -> Motion:
    """Marching in place: feet alternate, each in the air ~35% of its cycle, a small impact."""
    step = 60.0 / cadence_spm
    cycle = 2 * step
    lift = 0.7 * step  # time in the air per foot cycle
    def foot_force(u: float) -> float:
        p = u % cycle
        if p < lift:
            return 0.0
        v = p - lift
        if v < 0.02:
            return _smooth(0.0, peak_bw, v / 0.02)
        return 0.55 + (peak_bw - 0.55) * math.exp(-(v - 0.02) / 0.05)
    def fn(u: float) -> Forces:
        a = foot_force(u)
        b = foot_force(u + step)
        return (a, b) if first == "left" else (b, a)
    n_cycles = int(seconds / cycle)
    dur = n_cycles * cycle
    landings = []
    for k in range(n_cycles):
        landings.append((k * cycle + lift + 0.02, first, peak_bw))
        t_other = k * cycle + lift + 0.02 + step
        if t_other < dur:
            landings.append((t_other, _other(first), peak_bw))
    return Motion(dur, fn, f"march {cadence_spm}", tuple(sorted(landings)))


def shift_weight(seconds: float, depth_bw: float = 0.48, period_s: float = 2.0) -> Motion:
    """Swaying weight from foot to foot without lifting: never a landing."""
    def fn(u: float) -> Forces:
        s = depth_bw * math.sin(2 * math.pi * u / period_s)
        return 0.5 + s, 0.5 - s
    return Motion(seconds, fn, "shift weight")


def squat(seconds: float, squats: int = 2, accel_bw: float = 0.3) -> Motion:
    """Slow squats: both feet loaded, total force swinging with the body's acceleration."""
    period = seconds / squats
    def fn(u: float) -> Forces:
        a = accel_bw * math.sin(4 * math.pi * u / period) * math.sin(2 * math.pi * u / period)
        return 0.5 + a / 2, 0.5 + a / 2
    return Motion(seconds, fn, "squat")


def stand_uneven(seconds: float, share_left: float = 0.6, sway_bw: float = 0.02,
                 sway_hz: float = 0.3) -> Motion:
    """Standing still with more weight on one foot: ``share_left`` of it on the left."""
    def fn(u: float) -> Forces:
        s = sway_bw * math.sin(2 * math.pi * sway_hz * u)
        return share_left + s, 1.0 - share_left - s
    return Motion(seconds, fn, f"stand {share_left:.0%} left")


def one_leg(foot: str, hold_s: float, wobble_bw: float = 0.05, wobble_hz: float = 1.3,
            shift_s: float = 0.5, lift_s: float = 0.25, touch_s: float = 0.15,
            hand_bw: float = 0.05) -> Motion:
    """From standing, a one-leg stance on ``foot``: shift onto it, lift the other foot, stand
    ``hold_s`` with the load wobbling (a hand on the counter takes ``hand_bw``), touch down,
    share again. True stance: from ``shift_s + lift_s`` (the lifted foot carries nothing) to
    ``shift_s + lift_s + hold_s`` (it touches down)."""
    up_at = shift_s + lift_s
    down_at = up_at + hold_s
    dur = down_at + touch_s + 0.5
    full = 1.0 - hand_bw
    def fn(u: float) -> Forces:
        if u < shift_s:
            mine = _smooth(0.5, 0.8, u / shift_s)
            return _pair(foot, mine, 1.0 - mine)
        if u < up_at:
            other = _smooth(0.2, 0.0, (u - shift_s) / lift_s)
            return _pair(foot, full - other, other)
        if u < down_at:
            return _pair(foot, full + wobble_bw * math.sin(2 * math.pi * wobble_hz * u), 0.0)
        other = _smooth(0.0, 0.5, (u - down_at) / touch_s)
        return _pair(foot, 1.0 - other, other)
    return Motion(dur, fn, f"one leg {foot} {hold_s:g}s")


SEATED_BW = 0.25
"""What the feet carry when sitting on a chair with both feet on the mat (a leg's share)."""


def stand_up(seconds: float = 1.0, seated_bw: float = SEATED_BW) -> Motion:
    """From the chair back to standing on the mat."""
    def fn(u: float) -> Forces:
        total = _smooth(seated_bw, 1.0, u / seconds)
        return total / 2, total / 2
    return Motion(seconds, fn, "stand up")


def sit_down(seconds: float = 1.5, seated_bw: float = SEATED_BW) -> Motion:
    """From standing, sit back onto a chair behind the mat, feet staying on it."""
    def fn(u: float) -> Forces:
        total = _smooth(1.0, seated_bw, u / seconds)
        return total / 2, total / 2
    return Motion(seconds, fn, "sit down")


def seated(seconds: float, seated_bw: float = SEATED_BW) -> Motion:
    return Motion(seconds, lambda u: (seated_bw / 2, seated_bw / 2), "seated")


def chair_stands(reps: int, up_s: float = 1.2, down_s: float = 1.5, seat_s: float = 0.6,
                 stand_s: float = 0.5, seated_bw: float = SEATED_BW,
                 push_bw: float = 0.25) -> Motion:
    """From sitting, ``reps`` stands and sits: the feet's load rises from the seated share to
    body weight, overshooting by ``push_bw`` as the body is lifted, and comes back down."""
    cycle = seat_s + up_s + stand_s + down_s
    def fn(u: float) -> Forces:
        v = u % cycle if u < reps * cycle else 0.0
        if v < seat_s:
            total = seated_bw
        elif v < seat_s + up_s:
            w = (v - seat_s) / up_s
            total = _smooth(seated_bw, 1.0, w) + push_bw * math.sin(math.pi * w) ** 2
        elif v < seat_s + up_s + stand_s:
            total = 1.0
        else:
            w = (v - seat_s - up_s - stand_s) / down_s
            total = _smooth(1.0, seated_bw, w) - 0.1 * math.sin(math.pi * w) ** 2
        return total / 2, total / 2
    return Motion(reps * cycle + seat_s, fn, f"{reps} chair stands")


@dataclass
class SensorModel:
    """How a mat turns true force into counts. Defaults: a 10 kΩ divider, load-spreading plate.

    ``g_stand`` is one foot's conductance at 0.5 BW; ``sat_bw`` where the FSR's conductance
    has reached half its linear extrapolation (saturation); ``bleed`` the bleed resistor's floor.
    """

    g_stand: float = 0.5
    sat_bw: float = 8.0
    bleed: float = 0.012
    noise_counts: float = 0.6
    creep_per_s: float = 0.0  # baseline conductance added per second (per channel)
    spike_rate_hz: float = 0.0  # single-sample spikes per second, per channel, during swing
    seed: int = 1
    channels_per_foot: tuple[int, int] = (1, 1)
    _k: float = field(init=False)

    def __post_init__(self) -> None:
        self._k = self.g_stand * (1 + 0.5 / self.sat_bw) / 0.5

    def conductance(self, force_bw: float) -> float:
        f = max(force_bw, 0.0)
        return self._k * f / (1 + f / self.sat_bw)

    def counts(self, t: float, forces: Forces, rng: random.Random,
               rate_hz: float) -> tuple[int, ...]:
        out: list[int] = []
        for foot_i, force in enumerate(forces):
            n = self.channels_per_foot[foot_i]
            for _ in range(n):
                g = self.conductance(force / n) + self.bleed + self.creep_per_s * t
                c = ADC_MAX * g / (1 + g) + rng.gauss(0.0, self.noise_counts)
                spike_p = self.spike_rate_hz / rate_hz
                if spike_p and force < 0.02 and rng.random() < spike_p:
                    c = rng.uniform(300, 900)
                out.append(min(ADC_MAX, max(0, round(c))))
        # sample order is left channels then right channels
        return tuple(out)


class TraceBuilder:
    """Chain motions, then ``samples()``: the ``(t, counts)`` a mat would give for them."""

    def __init__(self, rate_hz: float = 250.0, sensor: SensorModel | None = None,
                 layout: Layout | None = None):
        self.rate_hz = rate_hz
        self.layout = layout or Layout()
        self.sensor = sensor or SensorModel(
            channels_per_foot=(len(self.layout.left), len(self.layout.right)))
        self.motions: list[tuple[float, Motion]] = []
        self.duration_s = 0.0
        self.spikes: list[tuple[float, int, int]] = []  # (t, channel index, count)

    def add(self, *motions: Motion) -> TraceBuilder:
        for m in motions:
            self.motions.append((self.duration_s, m))
            self.duration_s += m.duration_s
        return self

    def spike(self, t: float, index: int, count: int) -> TraceBuilder:
        """One sample at ``t`` on channel ``index`` (sample order) reads ``count``."""
        self.spikes.append((t, index, count))
        return self

    def opening(self) -> TraceBuilder:
        """What replay calibrates from: 1.5 s empty, a step-on, 3 s standing still."""
        return self.add(empty(1.5), step_on(0.6), stand(3.0))

    def forces(self, t: float) -> Forces:
        for start, m in reversed(self.motions):
            if t >= start:
                return m.fn(t - start) if t - start < m.duration_s else (0.0, 0.0)
        return (0.0, 0.0)

    def landings(self) -> list[tuple[float, str, float]]:
        """True landings (t of peak, foot, true peak BW) of the motions, for checking."""
        return [(start + u, foot, peak) for start, m in self.motions
                for u, foot, peak in m.landings]

    def samples(self) -> list[Sample]:
        rng = random.Random(self.sensor.seed)
        n = int(self.duration_s * self.rate_hz)
        dt = 1.0 / self.rate_hz
        out: list[Sample] = []
        idx = 0
        for start, m in self.motions:
            while idx < n and idx * dt < start + m.duration_s:
                t = idx * dt
                out.append((round(t, 6), self.sensor.counts(t, m.fn(t - start), rng,
                                                            self.rate_hz)))
                idx += 1
        for t_spike, ch, count in self.spikes:
            k = min(range(len(out)), key=lambda i: abs(out[i][0] - t_spike))
            c = list(out[k][1])
            c[ch] = count
            out[k] = (out[k][0], tuple(c))
        return out


class SimMat:
    """A live simulated mat: actions schedule motions; ``drain()`` gives samples up to now.

    A sped-up clock makes a faster-than-real-time demo; a ``FakeClock`` a stepped test.
    """

    def __init__(self, clock: Clock, rate_hz: float = 250.0, layout: Layout | None = None,
                 sensor: SensorModel | None = None):
        self.clock = clock
        self.rate_hz = rate_hz
        self.layout = layout or Layout()
        self.sensor = sensor or SensorModel(
            channels_per_foot=(len(self.layout.left), len(self.layout.right)))
        self._rng = random.Random(self.sensor.seed)
        self._t0 = clock.now()
        self._next_i = 0
        self._queue: list[tuple[float, Motion]] = []
        self._queue_end = self._t0
        self._standing = False
        self._unplugged_at: list[tuple[float, bool]] = []
        self._still = stand(float("inf"))
        self.seated = False  # on a chair behind the mat, feet on it
        #: who stands on it, as a multiple of the first simulated person's weight (a household:
        #: a heavier second person is ``body = 1.3``)
        self.body = 1.0

    @property
    def standing(self) -> bool:
        return self._standing

    def _schedule(self, m: Motion) -> None:
        start = max(self.clock.now(), self._queue_end)
        self._queue.append((start, m))
        self._queue_end = start + m.duration_s

    def step_on(self) -> None:
        if not self._standing:
            self._schedule(step_on())
            self._standing = True

    def step_off(self) -> None:
        if self._standing:
            self.stand_up()
            self._schedule(step_off())
            self._standing = False

    def stomp(self, foot: str, peak_bw: float = 2.5) -> None:
        if not self._standing:
            self.step_on()
        self._schedule(stomp(foot, peak_bw, air_s=0.25, settle_s=0.15))

    def march(self, cadence_spm: float, seconds: float) -> None:
        if not self._standing:
            self.step_on()
        self._schedule(march(cadence_spm, seconds))

    def shift_weight(self, seconds: float = 4.0) -> None:
        if not self._standing:
            self.step_on()
        self._schedule(shift_weight(seconds))

    def stand_uneven(self, seconds: float, share_left: float = 0.6) -> None:
        if not self._standing:
            self.step_on()
        self._schedule(stand_uneven(seconds, share_left))

    def tap(self, foot: str) -> None:
        """Lift ``foot`` a moment and put it down, the other foot staying on the mat: a foot
        tap answering a question (a gentle stomp, 0.8 BW)."""
        self.stomp(foot, 0.8)

    def one_leg(self, foot: str, hold_s: float, wobble_bw: float = 0.05) -> None:
        """Stand on ``foot`` for ``hold_s``, then touch the other foot down."""
        if not self._standing:
            self.step_on()
        self._schedule(one_leg(foot, hold_s, wobble_bw))

    def sit(self) -> None:
        """Sit on the chair behind the mat, feet on the mat."""
        if not self._standing:
            self.step_on()
        if not self.seated:
            self._schedule(sit_down())
            self.seated = True

    def chair_stands(self, reps: int, up_s: float = 1.2, down_s: float = 1.5) -> None:
        """From sitting, ``reps`` stands and sits back."""
        self.sit()
        self._schedule(chair_stands(reps, up_s, down_s))

    def stand_up(self) -> None:
        if self.seated:
            self._schedule(stand_up())
            self.seated = False

    def unplug(self) -> None:
        self._unplugged_at.append((self.clock.now(), True))

    def replug(self) -> None:
        self._unplugged_at.append((self.clock.now(), False))

    def close(self) -> None:
        """Nothing to release: the simulated mat has no thread and no device."""

    def _forces(self, t: float) -> Forces:
        while self._queue and t >= self._queue[0][0] + self._queue[0][1].duration_s:
            self._queue.pop(0)
        if self._queue and t >= self._queue[0][0]:
            start, m = self._queue[0]
            return m.fn(t - start)
        if not self._standing:
            return (0.0, 0.0)
        return seated(1.0).fn(0.0) if self.seated else self._still.fn(t - self._t0)

    def _plugged(self, t: float) -> bool:
        plugged = True
        for at, unplugged in self._unplugged_at:
            if at <= t:
                plugged = not unplugged
        return plugged

    def drain(self) -> list[Sample]:
        """The samples since the last drain, up to ``clock.now()``; never blocks."""
        now = self.clock.now()
        dt = 1.0 / self.rate_hz
        out: list[Sample] = []
        nch = len(self.layout.channels)
        while self._t0 + self._next_i * dt <= now:
            t = self._t0 + self._next_i * dt
            if self._plugged(t):
                left, right = self._forces(t)
                counts = self.sensor.counts(t - self._t0, (left * self.body, right * self.body),
                                            self._rng, self.rate_hz)
            else:
                counts = (0,) * nch
            out.append((t, counts))
            self._next_i += 1
        return out


class KeyboardMat(SimMat):
    """A SimMat driven by keys: "left"/"right" stomp with that foot, "space" steps on or off.

    Key names, not pygame constants, so the UI maps keys without this module importing pygame.
    """

    KEYS: Sequence[str] = ("left", "right", "space")

    def __init__(self, clock: Clock, rate_hz: float = 250.0, layout: Layout | None = None,
                 stomp_bw: float = 2.5):
        super().__init__(clock, rate_hz, layout)
        self.stomp_bw = stomp_bw

    def press(self, key_name: str) -> bool:
        """Act on a key; False for keys this mat does not use (so the UI may use them)."""
        if key_name in ("left", "right"):
            self.stomp(key_name, self.stomp_bw)
        elif key_name == "space":
            if self.standing:
                self.step_off()
            else:
                self.step_on()
        else:
            return False
        return True
