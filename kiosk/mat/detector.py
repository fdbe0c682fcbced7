"""Landings, stomps, steps, presence and mat faults from ``(t, counts)`` samples. Pure.

Per foot, a three-state machine on force in BW above an adaptive floor:

* ``AIR``: unloaded (below ``floor + off_bw``). Crossing ``floor + on_bw`` starts a candidate.
* ``RISE``: the candidate; its peak is tracked and it is decided once nothing higher came for
  ``peak_hold_s``: a landing if the foot was in the air for ``min_air_s``, the last landing of
  that foot was ``refractory_s`` ago, and somewhere on the way up the force rose by ``rise_bw``
  within ``rise_window_s`` (an impact, not a weight shift or a slow squat); otherwise plain
  contact. Falling back under ``on_bw`` first cancels it (a spike).
* ``CONTACT``: loaded, until the force falls under ``floor + off_bw`` (hysteresis).

Housekeeping (faults per channel, the floor, presence-off, re-zero, drift) runs once per time
cell of ``cell_s`` on the whole cell, so results do not depend on how samples are batched. The
hot path uses count->BW tables and C-level ``min``/``max`` over slices: a sample that cannot
change a state costs almost nothing.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Sequence
from math import floor as _floor
from operator import add

from kiosk.mat.events import FEET, Fault, Foot, Landing, MatEvent, Presence, Step
from kiosk.mat.force import ADC_MAX, Calibration, Layout, conductance, count_for

AIR, RISE, CONTACT, FAULTY = 0, 1, 2, 3
_CHUNK = 512

Sample = tuple[float, Sequence[int]]

FAULT_TEXT = {
    "no_mat": "the mat is not connected: check its plug",
    "railed_low": "{foot} sensor (channel {ch}) reads 0: a wire is loose or cut",
    "railed_high": "{foot} sensor (channel {ch}) reads full scale: its wires are shorted",
    "floating": "{foot} sensor (channel {ch}) reads random noise: its input is not connected",
    "saturated": "{foot} sensor (channel {ch}) is at its maximum: the divider resistor is too "
                 "large for this load",
    "stuck": "{foot} sensor (channel {ch}) has not changed at all: the sensor or ADC is stuck",
    "drift": "the empty mat reads {bw:.2f} BW under the {foot} foot: please recalibrate",
}


class MatDetector:
    """Feed samples, get ``MatEvent`` lists. Thresholds are validated once, here."""

    def __init__(self, calibration: Calibration, layout: Layout, target_bw: float = 1.5, *,
                 on_bw: float = 0.25, off_bw: float = 0.10, min_air_s: float = 0.10,
                 rise_bw: float = 0.15, rise_window_s: float = 0.05,
                 refractory_s: float = 0.25,
                 peak_hold_s: float = 0.02, floor_rise_bw_per_s: float = 0.05,
                 quiet_bw: float = 0.03, idle_rezero_s: float = 2.0, stale_contact_s: float = 1.0,
                 drift_bw: float = 0.25, presence_off_s: float = 0.5,
                 step_gap_s: float = 2.0, cadence_window_s: float = 6.0,
                 railed_s: float = 0.5, stuck_s: float = 0.75, floating_s: float = 0.3,
                 floating_counts: int = 100, saturation_counts: int = 1000,
                 saturated_s: float = 0.5, recover_s: float = 0.25, bleed_min_counts: float = 3.0,
                 cell_s: float = 0.1):
        checks = {
            "target_bw": target_bw, "on_bw": on_bw, "min_air_s": min_air_s,
            "rise_bw": rise_bw, "rise_window_s": rise_window_s, "refractory_s": refractory_s,
            "peak_hold_s": peak_hold_s, "quiet_bw": quiet_bw, "idle_rezero_s": idle_rezero_s,
            "stale_contact_s": stale_contact_s, "drift_bw": drift_bw,
            "presence_off_s": presence_off_s, "step_gap_s": step_gap_s,
            "cadence_window_s": cadence_window_s, "railed_s": railed_s, "stuck_s": stuck_s,
            "floating_s": floating_s, "floating_counts": floating_counts,
            "saturated_s": saturated_s, "recover_s": recover_s, "cell_s": cell_s,
        }
        for name, value in checks.items():
            if not value > 0:
                raise ValueError(f"{name} must be positive, not {value!r}")
        if not 0 < off_bw < on_bw:
            raise ValueError(f"off_bw ({off_bw}) must be above 0 and below on_bw ({on_bw})")
        if not on_bw < target_bw:
            raise ValueError(f"target_bw ({target_bw}) must be above on_bw ({on_bw})")
        if floor_rise_bw_per_s < 0:
            raise ValueError("floor_rise_bw_per_s must not be negative")
        if not 0 < saturation_counts <= ADC_MAX:
            raise ValueError(f"saturation_counts must be 1..{ADC_MAX}")
        if cell_s > 0.25:
            raise ValueError("cell_s must be at most 0.25 s so faults are found within 1 s")
        self.calibration = calibration
        self.layout = layout
        self._target_bw = float(target_bw)
        self.on_bw, self.off_bw = on_bw, off_bw
        self.min_air_s, self.refractory_s = min_air_s, refractory_s
        self.rise_bw, self.rise_window_s = rise_bw, rise_window_s
        self.peak_hold_s, self.floor_rise_bw_per_s = peak_hold_s, floor_rise_bw_per_s
        self.quiet_bw, self.idle_rezero_s, self.stale_contact_s = (
            quiet_bw, idle_rezero_s, stale_contact_s)
        self.drift_bw, self.presence_off_s = drift_bw, presence_off_s
        self.step_gap_s, self.cadence_window_s = step_gap_s, cadence_window_s
        self.railed_s, self.stuck_s, self.floating_s = railed_s, stuck_s, floating_s
        self.floating_counts, self.saturation_counts = floating_counts, saturation_counts
        self.saturated_s, self.recover_s, self.cell_s = saturated_s, recover_s, cell_s

        self._durations = {"railed_low": railed_s, "railed_high": railed_s,
                           "floating": floating_s, "saturated": saturated_s, "stuck": stuck_s}
        luts = calibration.luts(layout)
        sl = layout.foot_slices
        self._foot_luts = [luts[sl[0]], luts[sl[1]]]
        self._foot_ch = [list(range(len(layout.channels)))[s] for s in sl]
        # below this a foot cannot have a channel at the rail: skips the exact check
        # at or above this a foot's reading is the sensor's ceiling, not the force
        self._sat_x = [min(lut[saturation_counts] for lut in fl) for fl in self._foot_luts]
        self._rail_x = [min(lut[ADC_MAX] + sum(o[0] for o in fl if o is not lut) for lut in fl)
                        for fl in self._foot_luts]
        nch = len(layout.channels)
        self._nch = nch
        # A channel "is loaded" (so constancy means stuck) 20% BW above its own empty reading.
        self._loaded_count = [count_for(conductance(b) + 0.2 * calibration.bw_conductance)
                              for b in calibration.baseline_counts]
        self._bleed = [b >= bleed_min_counts for b in calibration.baseline_counts]

        # per-foot state
        self._state = [AIR, AIR]
        self._floor = [0.0, 0.0]
        self._thr_on = [on_bw, on_bw]
        self._thr_off = [off_bw, off_bw]
        self._t_air = [float("-inf"), float("-inf")]
        self._t_land = [float("-inf"), float("-inf")]
        self._t_touch = [0.0, 0.0]
        self._peak = [0.0, 0.0]
        self._t_peak = [0.0, 0.0]
        self._peak_railed = [False, False]
        self._air_cell = [True, True]
        self._armed = [False, False]
        self._rise = [0.0, 0.0]  # the fastest rise (BW within rise_window_s) of the candidate
        self._rt: list[list[float]] = [[], []]  # the candidate's recent samples
        self._rx: list[list[float]] = [[], []]
        self._tail_t: list[float] = []  # the last samples of the previous batch, for history
        self._tail_x: list[list[float]] = [[], []]
        self._tail_cols: list[list[int]] = [[] for _ in layout.channels]
        self._stale = [0.0, 0.0]
        self._last_x = [0.0, 0.0]
        self._prev_x = [0.0, 0.0]
        self._drift_on = [False, False]
        self._started = False
        # presence, idle, steps
        self._present = False
        self._idle = 0.0
        self._landings: deque[float] = deque()
        # per-channel fault state
        self._runs: list[dict[str, float]] = [{} for _ in range(nch)]
        self._ch_kind: list[str | None] = [None] * nch
        self._clean_since: list[float | None] = [None] * nch
        self._stuck_value: list[int | None] = [None] * nch
        self._foot_kind: list[str | None] = [None, None]
        self._foot_faulty = [False, False]
        self._fault_ch: list[int | None] = [None, None]
        self._no_mat = False
        self._prev_count = [0] * nch
        # the current time cell, buffered
        self._cell_end: float | None = None
        self._t0 = 0.0
        self._cell_t: list[float] = []
        self._cell_cols: list[list[int]] = [[] for _ in range(nch)]
        self._cell_x: list[list[float]] = [[], []]

    # ------------------------------------------------------------------ public
    @property
    def target_bw(self) -> float:
        return self._target_bw

    @target_bw.setter
    def target_bw(self, value: float) -> None:
        if not value > self.on_bw:
            raise ValueError(f"target_bw must be above on_bw ({self.on_bw})")
        self._target_bw = float(value)

    def level_bw(self) -> tuple[float, float]:
        """Each foot's current load in BW above its floor (0 for a faulty foot): live bars."""
        out = []
        for f in (0, 1):
            v = 0.0 if self._foot_faulty[f] else self._last_x[f] - self._floor[f]
            out.append(max(v, 0.0))
        return out[0], out[1]

    @property
    def present(self) -> bool:
        return self._present

    @property
    def faults(self) -> list[tuple[Foot | None, str]]:
        """Active faults: ``(foot, kind)``; ``(None, "no_mat")`` for the whole mat."""
        if self._no_mat:
            return [(None, "no_mat")]
        out: list[tuple[Foot | None, str]] = []
        for f in (0, 1):
            if self._foot_kind[f]:
                out.append((FEET[f], self._foot_kind[f]))  # type: ignore[arg-type]
            if self._drift_on[f]:
                out.append((FEET[f], "drift"))
        return out

    def feed(self, t: float, counts: Sequence[int]) -> list[MatEvent]:
        """One sample; see ``feed_batch``."""
        return self.feed_batch(((t, counts),))

    def feed_batch(self, samples: Iterable[Sample]) -> list[MatEvent]:
        """Samples in time order (``(t, counts)``, counts in layout order); events in time order."""
        samples = samples if isinstance(samples, list | tuple) else list(samples)
        if len(samples) > _CHUNK:  # big transposes fall out of cache: take bites
            events: list[MatEvent] = []
            for k in range(0, len(samples), _CHUNK):
                events.extend(self._feed(samples[k:k + _CHUNK]))
            return events
        return self._feed(samples)

    def _feed(self, samples: Sequence[Sample]) -> list[MatEvent]:
        if not samples:
            return []
        ts, cs = zip(*samples, strict=True)
        cols = list(zip(*cs, strict=True))
        if len(cols) != self._nch:
            raise ValueError(f"each sample needs {self._nch} counts, not {len(cols)}")
        xs = []
        for f in (0, 1):
            lut = self._foot_luts[f]
            chans = self._foot_ch[f]
            x = list(map(lut[0].__getitem__, cols[chans[0]]))
            if len(chans) == 2:
                x = list(map(add, x, map(lut[1].__getitem__, cols[chans[1]])))
            xs.append(x)
        events: list[MatEvent] = []
        n = len(ts)
        i = 0
        if not self._started:
            self._start(ts[0], xs, events)
        while i < n:
            if ts[i] >= self._cell_end:  # type: ignore[operator]
                self._end_cell(events, ts[i])
            j = bisect_left(ts, self._cell_end, i, n)
            if j == i:  # time going backwards: callers guarantee order; do not loop forever
                j = i + 1
            for f in (0, 1):
                if not self._foot_faulty[f]:
                    self._detect(f, ts, xs[f], cols, i, j, events)
            self._cell_t.extend(ts[i:j])
            for c in range(self._nch):
                self._cell_cols[c].extend(cols[c][i:j])
            self._cell_x[0].extend(xs[0][i:j])
            self._cell_x[1].extend(xs[1][i:j])
            i = j
        self._last_x = [xs[0][-1], xs[1][-1]]
        if n >= 64:
            self._tail_t = list(ts[-64:])
            self._tail_x = [xs[0][-64:], xs[1][-64:]]
            self._tail_cols = [list(col[-16:]) for col in cols]
        else:
            self._tail_t = (self._tail_t + list(ts))[-64:]
            self._tail_x = [(self._tail_x[0] + xs[0])[-64:], (self._tail_x[1] + xs[1])[-64:]]
            self._tail_cols = [(tc + list(col))[-16:] for tc, col in zip(self._tail_cols, cols,
                                                                        strict=True)]
        if len(events) > 1:
            events.sort(key=_event_t)
        return events

    # ------------------------------------------------------------------ detection
    def _start(self, t: float, xs: list[list[float]], events: list[MatEvent]) -> None:
        """First sample: a foot already loaded is in contact, not landing."""
        self._started = True
        self._t0 = t
        self._cell_end = t + self.cell_s
        self._prev_x = [xs[0][0], xs[1][0]]
        for f in (0, 1):
            if xs[f][0] >= self._thr_off[f]:
                self._state[f] = CONTACT
                self._air_cell[f] = False
            else:
                self._t_air[f] = t
        if CONTACT in self._state:
            self._present = True
            events.append(Presence(t, True))

    def _detect(self, f: int, ts: Sequence[float], xs: list[float], cols: list[tuple[int, ...]],
                i: int, j: int, events: list[MatEvent]) -> None:
        """Run foot ``f``'s state machine over samples ``i..j`` (one time cell at most)."""
        on = self._thr_on[f]
        off = self._thr_off[f]
        while i < j:
            state = self._state[f]
            if state == AIR:
                if max(xs[i:j]) <= on:  # nothing can happen here
                    return
                k = i
                while xs[k] <= on:
                    k += 1
                self._start_rise(f, ts, xs, cols, k)
                i = k + 1
            elif state == RISE:
                i = self._rise_step(f, ts, xs, cols, i, j, events)
            else:  # CONTACT
                if min(xs[i:j]) >= off:
                    return
                k = i
                while xs[k] >= off:
                    k += 1
                self._state[f] = AIR
                self._t_air[f] = ts[k]
                i = k + 1

    def _start_rise(self, f: int, ts: Sequence[float], xs: list[float],
                    cols: list[tuple[int, ...]], k: int) -> None:
        t = ts[k]
        self._state[f] = RISE
        self._air_cell[f] = False
        self._armed[f] = (t - self._t_air[f] >= self.min_air_s
                          and t - self._t_land[f] >= self.refractory_s)
        self._t_touch[f] = t
        self._peak[f] = xs[k]
        self._t_peak[f] = t
        self._peak_railed[f] = xs[k] >= self._rail_x[f] and self._railed_at(f, cols, k)
        lo = max(0, k - 64)
        ht = list(ts[lo:k + 1])
        hx = xs[lo:k + 1]
        if lo == 0:  # the window may reach into the previous batch
            ht = self._tail_t + ht
            hx = self._tail_x[f] + hx
        start = bisect_left(ht, t - self.rise_window_s)
        self._rt[f] = ht[start:]
        self._rx[f] = hx[start:]
        self._rise[f] = xs[k] - min(self._rx[f])

    def _rise_step(self, f: int, ts: Sequence[float], xs: list[float],
                   cols: list[tuple[int, ...]], i: int, j: int, events: list[MatEvent]) -> int:
        """Follow a candidate sample by sample; return where the caller continues."""
        on = self._thr_on[f]
        hold = self.peak_hold_s
        window = self.rise_window_s
        rt, rx = self._rt[f], self._rx[f]
        while i < j:
            x = xs[i]
            t = ts[i]
            if x < on:  # it fell back before it settled: a spike, not a foot
                self._state[f] = AIR
                return i + 1
            if self._rise[f] < self.rise_bw:  # not yet seen an impact: keep looking
                rt.append(t)
                rx.append(x)
                if len(rt) > 256:
                    del rt[:128], rx[:128]
                rise = x - min(rx[bisect_left(rt, t - window):])
                if rise > self._rise[f]:
                    self._rise[f] = rise
            if x > self._peak[f]:
                self._peak[f] = x
                self._t_peak[f] = t
                self._peak_railed[f] = x >= self._rail_x[f] and self._railed_at(f, cols, i)
            elif self._peak_railed[f]:
                if not self._railed_at(f, cols, i):  # off the rail: a real, hard landing
                    self._decide(f, t, cols, i, events)
                    return i + 1
                if t - self._t_peak[f] >= self.railed_s:  # a short circuit, not a stomp
                    self._to_contact(f, t, events)
                    return i + 1
            elif t - self._t_peak[f] >= hold or t - self._t_touch[f] >= self.railed_s:
                self._decide(f, t, cols, i, events)
                return i + 1
            i += 1
        return i

    def _decide(self, f: int, t: float, cols: list[tuple[int, ...]], i: int,
                events: list[MatEvent]) -> None:
        if self._armed[f] and self._rise[f] >= self.rise_bw and not self._jumpy(f, cols, i):
            self._emit_landing(f, t, events)
        else:  # loaded slowly (a weight shift) or too soon after the last (a double bump)
            self._to_contact(f, t, events)

    def _jumpy(self, f: int, cols: list[tuple[int, ...]], i: int) -> bool:
        """Do the foot's last 16 readings jump about like a floating input (not yet a fault)?

        A real landing moves at most ~1000 counts up and a few hundred down in 16 samples; a
        floating input averages ~340 counts per sample. Twice ``floating_counts`` lies between.
        """
        for c in self._foot_ch[f]:
            seq = cols[c][max(0, i - 15):i + 1]
            if len(seq) < 16:
                seq = (self._tail_cols[c] + list(seq))[-16:]
            if len(seq) > 2:
                jumps = sum(map(abs, map(int.__sub__, seq[1:], seq[:-1])))
                if jumps >= 2 * self.floating_counts * (len(seq) - 1):
                    return True
        return False

    def _railed_at(self, f: int, cols: list[tuple[int, ...]], k: int) -> bool:
        return any(cols[c][k] >= ADC_MAX for c in self._foot_ch[f])

    def _to_contact(self, f: int, t: float, events: list[MatEvent]) -> None:
        self._state[f] = CONTACT
        self._air_cell[f] = False
        if not self._present:
            self._present = True
            events.append(Presence(t, True))

    def _emit_landing(self, f: int, t_now: float, events: list[MatEvent]) -> None:
        t = self._t_touch[f]
        saturated = self._peak[f] >= self._sat_x[f]
        peak = self._sat_x[f] if saturated else self._peak[f]
        peak_bw = round(peak - self._floor[f], 3)
        self._to_contact(f, t, events)
        self._t_land[f] = t
        foot = FEET[f]
        events.append(Landing(t, foot, peak_bw, saturated or peak_bw >= self._target_bw,
                              saturated))
        lands = self._landings
        if lands and t - lands[-1] > self.step_gap_s:
            lands.clear()
        lands.append(t)
        while t - lands[0] > self.cadence_window_s:
            lands.popleft()
        if len(lands) >= 2:
            cadence = 60.0 * (len(lands) - 1) / max(t - lands[0], 1e-6)
            events.append(Step(t, foot, round(cadence, 1)))

    # ------------------------------------------------------------------ housekeeping
    def _end_cell(self, events: list[MatEvent], t_next: float) -> None:
        ts = self._cell_t
        if ts:
            self._cell_faults(events)
            self._cell_floor(events)
            self._cell_presence(events)
            self._prev_count = [col[-1] for col in self._cell_cols]
            self._prev_x = [self._cell_x[0][-1], self._cell_x[1][-1]]
        k = _floor((t_next - self._t0) / self.cell_s) + 1
        self._cell_end = self._t0 + k * self.cell_s
        if self._cell_end <= t_next:  # float rounding at the boundary
            self._cell_end += self.cell_s
        self._cell_t = []
        self._cell_cols = [[] for _ in range(self._nch)]
        self._cell_x = [[], []]
        for f in (0, 1):
            self._air_cell[f] = self._state[f] == AIR

    def _cell_faults(self, events: list[MatEvent]) -> None:
        ts = self._cell_t
        t_first, t_last = ts[0], ts[-1]
        for c in range(self._nch):
            col = self._cell_cols[c]
            mn, mx = min(col), max(col)
            runs = self._runs[c]
            if (not runs and self._ch_kind[c] is None and (mx > 0 or not self._bleed[c])
                    and mn < self.saturation_counts and mx - mn < 2 * self.floating_counts
                    and (mn != mx or mn <= self._loaded_count[c])):
                self._stuck_value[c] = mn if mn == mx else None
                continue  # the usual case: a healthy channel
            zero = mx == 0 and self._bleed[c]
            full = mn >= ADC_MAX
            sat = not full and mn >= self.saturation_counts
            stuck = (mn == mx and not full and not sat and mn > self._loaded_count[c]
                     and self._stuck_value[c] in (None, mn))
            self._stuck_value[c] = mn if mn == mx else None
            floating = False
            if mx - mn >= 2 * self.floating_counts and len(col) > 2:
                prev = [self._prev_count[c], *col[:-1]]
                jumps = sum(map(abs, map(int.__sub__, col, prev)))
                floating = jumps >= self.floating_counts * len(col)
            conds = {"railed_low": zero, "railed_high": full, "floating": floating,
                     "saturated": sat, "stuck": stuck}
            found = None
            for kind, cond in conds.items():
                if cond:
                    start = runs.setdefault(kind, t_first)
                    if found is None and t_last - start >= self._durations[kind] - 1e-9:
                        found = kind
                else:
                    runs.pop(kind, None)
            cur = self._ch_kind[c]
            if found:
                self._ch_kind[c] = found
                self._clean_since[c] = None
            elif cur is not None:
                if conds[cur]:
                    self._clean_since[c] = None
                else:
                    if self._clean_since[c] is None:
                        self._clean_since[c] = t_first
                    if t_last - self._clean_since[c] >= self.recover_s - 1e-9:  # type: ignore
                        self._ch_kind[c] = None
                        self._clean_since[c] = None
        self._report_faults(events, t_last)

    def _report_faults(self, events: list[MatEvent], t: float) -> None:
        kinds = self._ch_kind
        if not (self._no_mat or any(kinds) or any(self._foot_faulty)):
            return
        no_mat = all(k in ("railed_low", "floating") for k in kinds)
        if no_mat != self._no_mat:
            if no_mat:
                for f in (0, 1):  # the whole-mat fault replaces per-foot ones
                    if self._foot_kind[f]:
                        events.append(self._fault(t, f, self._foot_kind[f], False,  # type: ignore
                                                  self._fault_ch[f]))
                        self._foot_kind[f] = None
            events.append(Fault(t, None, "no_mat", no_mat, FAULT_TEXT["no_mat"]))
            self._no_mat = no_mat
        for f in (0, 1):
            chans = self._foot_ch[f]
            kind = next((kinds[c] for c in chans if kinds[c]), None)
            if not no_mat and kind != self._foot_kind[f]:
                if self._foot_kind[f]:
                    events.append(self._fault(t, f, self._foot_kind[f], False,  # type: ignore
                                              self._fault_ch[f]))
                if kind:
                    ch = next(c for c in chans if kinds[c] == kind)
                    self._fault_ch[f] = self.layout.channels[ch]
                    events.append(self._fault(t, f, kind, True, self._fault_ch[f]))
                self._foot_kind[f] = kind
            faulty = kind is not None
            if faulty and not self._foot_faulty[f]:
                self._foot_faulty[f] = True
                self._state[f] = FAULTY
            elif not faulty and self._foot_faulty[f]:  # recovered: back in, but not landing
                self._foot_faulty[f] = False
                x = self._cell_x[f][-1]
                if x >= self._thr_off[f]:
                    self._to_contact(f, t, events)
                else:
                    self._state[f] = AIR
                    self._t_air[f] = t

    def _fault(self, t: float, f: int, kind: str, active: bool, ch: int | None = None) -> Fault:
        ch_text = "?" if ch is None else ch
        text = FAULT_TEXT[kind].format(foot=FEET[f], ch=ch_text, bw=self._floor[f])
        if not active:
            text = "cleared: " + text
        return Fault(t, FEET[f], kind, active, text)

    def _cell_floor(self, events: list[MatEvent]) -> None:
        ts = self._cell_t
        dt = ts[-1] - ts[0] + (ts[1] - ts[0] if len(ts) > 1 else 0.0)
        idle = not self._present
        for f in (0, 1):
            x = self._cell_x[f]
            if self._foot_faulty[f]:
                idle = False
                continue
            lo, hi = min(x), max(x)
            quiet = hi - lo <= self.quiet_bw
            if self._state[f] == AIR and self._air_cell[f]:
                prev = [self._prev_x[f], *x[:-1]]
                robust_min = min(map(max, x, prev))  # a one-sample dip cannot pull it down
                self._floor[f] = min(robust_min, self._floor[f] + self.floor_rise_bw_per_s * dt)
                idle = idle and quiet
            else:
                idle = False
            if (self._state[f] == CONTACT and quiet and hi < self._thr_on[f]):
                self._stale[f] += dt
                if self._stale[f] >= self.stale_contact_s:  # a lingering offset, not a foot
                    self._floor[f] = lo
                    self._state[f] = AIR
                    self._t_air[f] = ts[-1]
                    self._stale[f] = 0.0
            else:
                self._stale[f] = 0.0
        self._idle = self._idle + dt if idle else 0.0
        if self._idle >= self.idle_rezero_s:  # empty and idle: re-zero exactly
            for f in (0, 1):
                x = self._cell_x[f]
                self._floor[f] = sum(x) / len(x)
        for f in (0, 1):
            self._thr_on[f] = self._floor[f] + self.on_bw
            self._thr_off[f] = self._floor[f] + self.off_bw
            drift = abs(self._floor[f])
            if not self._drift_on[f] and drift > self.drift_bw:
                self._drift_on[f] = True
                events.append(self._fault(ts[-1], f, "drift", True))
            elif self._drift_on[f] and drift < self.drift_bw / 2:
                self._drift_on[f] = False
                events.append(self._fault(ts[-1], f, "drift", False))

    def _cell_presence(self, events: list[MatEvent]) -> None:
        if not self._present:
            return
        t = self._cell_t[-1]
        for f in (0, 1):
            if self._state[f] in (RISE, CONTACT):
                return
            if self._state[f] == AIR and t - self._t_air[f] < self.presence_off_s:
                return
        self._present = False
        events.append(Presence(t, False))


def _event_t(e: MatEvent) -> float:
    return e.t
