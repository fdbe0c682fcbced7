"""Landings, stomps, footfalls, presence and mat faults from ``(t, counts)`` samples. Pure.

Per foot, a three-state machine on force in BW, judged against the foot's own *unloaded level*
(the lowest it read since it was last released, so a foot that swings 0.1-0.25 BW above the
empty floor is still "in the air"):

* ``AIR``: released. Rising ``on_bw`` above the unloaded level starts a candidate.
* ``RISE``: the candidate; its peak is tracked and it is decided once nothing higher came for
  ``peak_hold_s``: a landing if the foot was released for ``min_air_s``, its last landing was
  ``refractory_s`` ago, and it came down like a foot: an impact (``rise_bw`` within
  ``rise_window_s``) or a quick onset (from ``leave_bw`` to ``on_bw`` within ``onset_s``). A
  candidate that crept or bumped up without either stays open for ``pending_s`` so the real
  strike that follows still lands. Falling back under ``on_bw`` cancels it (a spike, a bump).
* ``CONTACT``: loaded, until the force falls under ``release_fraction`` of the contact's own
  load above the unloaded level (at most ``release_max_bw``, at least ``off_bw``).

Housekeeping (channel health, the floor, presence-off, re-zero, drift) runs once per time cell
of ``cell_s`` on the whole cell, so results do not depend on how samples are batched. The hot
path uses count->BW tables and C-level ``min``/``max`` over slices: a sample that cannot change a
state costs almost nothing. Thresholds: ``settings.py``; channel health: ``health.py``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Sequence
from math import floor as _floor
from operator import add

from kiosk.mat.events import FEET, Fault, Foot, Footfall, Landing, MatEvent, Presence
from kiosk.mat.force import ADC_MAX, Calibration, Layout
from kiosk.mat.health import FAULT_TEXT, ChannelHealth, jumpy
from kiosk.mat.settings import DetectorSettings

__all__ = ["FAULT_TEXT", "DetectorSettings", "MatDetector"]

AIR, RISE, CONTACT, FAULTY = 0, 1, 2, 3
_CHUNK = 512
_TAIL = 256  # samples of history kept across batches: > 0.25 s even at 1 kHz

Sample = tuple[float, Sequence[int]]


class MatDetector:
    """Feed samples, get ``MatEvent`` lists; ``finish`` decides what is open at the end.

    Thresholds come from ``settings`` (default: ``DetectorSettings()``); keyword ``changes``
    override single values (validated), e.g. ``MatDetector(cal, layout, min_air_s=0.2)``.
    """

    def __init__(self, calibration: Calibration, layout: Layout, target_bw: float = 1.5,
                 settings: DetectorSettings | None = None, **changes: float):
        s = settings or DetectorSettings()
        if changes:
            s = s.with_changes(**changes)
        if not target_bw > s.on_bw:
            raise ValueError(f"target_bw ({target_bw}) must be above on_bw ({s.on_bw})")
        self.settings = s
        self.calibration = calibration
        self.layout = layout
        self._target_bw = float(target_bw)
        self._health = ChannelHealth(calibration, s)
        luts = calibration.luts(layout)
        sl = layout.foot_slices
        self._foot_luts = [luts[sl[0]], luts[sl[1]]]
        self._foot_ch = [list(range(len(layout.channels)))[s_] for s_ in sl]
        # at or above this a foot's reading is the sensor's ceiling, not the force
        self._sat_x = [min(lut[s.saturation_counts] for lut in fl) for fl in self._foot_luts]
        # below this a foot cannot have a channel at the rail: skips the exact check
        self._rail_x = [min(lut[ADC_MAX] + sum(o[0] for o in fl if o is not lut) for lut in fl)
                        for fl in self._foot_luts]
        nch = len(layout.channels)
        self._nch = nch
        self._history_s = max(s.rise_window_s, s.onset_s) + 0.02
        # hot-path copies of settings (an attribute of self is one lookup, not two)
        self._on_bw, self._off_bw = s.on_bw, s.off_bw
        self._rel_frac, self._rel_max = s.release_fraction, s.release_max_bw

        # per-foot state
        self._state = [AIR, AIR]
        self._floor = [0.0, 0.0]  # the empty level, slow: peaks and drift are measured from it
        self._air_lo = [0.0, 0.0]  # the unloaded level: lowest since the foot was released
        self._u = [0.0, 0.0]  # the unloaded level under the current candidate or contact
        self._cpeak = [0.0, 0.0]  # the current contact's highest load
        self._t_air = [float("-inf"), float("-inf")]
        self._t_land = [float("-inf"), float("-inf")]
        self._t_touch = [0.0, 0.0]
        self._t_impact = [0.0, 0.0]
        self._peak = [0.0, 0.0]
        self._t_peak = [0.0, 0.0]
        self._peak_railed = [False, False]
        self._air_cell = [True, True]
        self._armed = [False, False]
        self._quick = [False, False]  # the candidate's onset came straight off the floor
        self._supported = [False, False]  # the other foot bore the weight at its onset
        self._xs: list[list[float]] = [[], []]  # both feet's force in the current batch
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
        # presence, idle, footfalls
        self._present = False
        self._idle = 0.0
        self._landings: deque[float] = deque()
        # per-foot fault state (per-channel verdicts live in ``self._health``)
        self._foot_kind: list[str | None] = [None, None]
        self._foot_faulty = [False, False]
        self._fault_ch: list[int | None] = [None, None]
        self._no_mat = False
        # the current time cell, buffered
        self._cell_end: float | None = None
        self._t0 = 0.0
        self._t_last = 0.0
        self._cell_t: list[float] = []
        self._cell_cols: list[list[int]] = [[] for _ in range(nch)]
        self._cell_x: list[list[float]] = [[], []]

    # ------------------------------------------------------------------ public
    @property
    def target_bw(self) -> float:
        return self._target_bw

    @target_bw.setter
    def target_bw(self, value: float) -> None:
        if not value > self.settings.on_bw:
            raise ValueError(f"target_bw must be above on_bw ({self.settings.on_bw})")
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

    def finish(self) -> list[MatEvent]:
        """The stream ended: decide any candidate still open (a recording's last contact).

        Live, every candidate is decided within ``peak_hold_s`` of its peak (or ``pending_s``
        of its touch); only a recording can stop in between.
        """
        events: list[MatEvent] = []
        if not self._started:
            return events
        no_cols: list[list[int]] = [[] for _ in range(self._nch)]  # _jumpy reads the tail
        for f in (0, 1):
            if self._state[f] == RISE:
                self._decide(f, self._t_last, no_cols, -1, events, final=True)
        return events

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
        self._xs = xs
        n = len(ts)
        i = 0
        if not self._started:
            self._start(ts[0], xs, events)
        while i < n:
            if ts[i] >= self._cell_end:
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
        self._t_last = ts[-1]
        if n >= _TAIL:
            self._tail_t = list(ts[-_TAIL:])
            self._tail_x = [xs[0][-_TAIL:], xs[1][-_TAIL:]]
        else:
            self._tail_t = (self._tail_t + list(ts))[-_TAIL:]
            self._tail_x = [(self._tail_x[0] + xs[0])[-_TAIL:], (self._tail_x[1] + xs[1])[-_TAIL:]]
        if n >= 16:
            self._tail_cols = [list(col[-16:]) for col in cols]
        else:
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
        self._cell_end = t + self.settings.cell_s
        self._prev_x = [xs[0][0], xs[1][0]]
        self._last_x = [xs[0][0], xs[1][0]]
        for f in (0, 1):
            x = xs[f][0]
            if x >= self.settings.off_bw:
                self._state[f] = CONTACT
                self._air_cell[f] = False
                self._u[f] = self._floor[f]
                self._cpeak[f] = x
            else:
                self._t_air[f] = t
                self._air_lo[f] = x
        if CONTACT in self._state:
            self._present = True
            events.append(Presence(t, True))

    def _detect(self, f: int, ts: Sequence[float], xs: list[float], cols: list[tuple[int, ...]],
                i: int, j: int, events: list[MatEvent]) -> None:
        """Run foot ``f``'s state machine over samples ``i..j`` (one time cell at most)."""
        while i < j:
            state = self._state[f]
            if state == AIR:
                i = self._air_step(f, ts, xs, cols, i, j)
            elif state == RISE:
                i = self._rise_step(f, ts, xs, cols, i, j, events)
            else:  # CONTACT
                i = self._contact_step(f, ts, xs, i, j)

    def _air_step(self, f: int, ts: Sequence[float], xs: list[float],
                  cols: list[tuple[int, ...]], i: int, j: int) -> int:
        """Follow the unloaded level (the lowest reading since release) until a candidate."""
        lo = self._air_lo[f]
        on = self._on_bw
        seg = xs[i:j]
        seg_lo = min(seg)
        if seg_lo < lo:
            lo = seg_lo  # the level only falls here (it creeps up per cell, spike-robust)
        if max(seg) <= lo + on:  # no threshold of this slice can be crossed
            self._air_lo[f] = lo
            return j
        lo = self._air_lo[f]
        for k in range(i, j):
            x = xs[k]
            if x > lo + on:
                self._air_lo[f] = lo
                self._start_rise(f, ts, xs, cols, k)
                return k + 1
            if x < lo:
                lo = x
        self._air_lo[f] = lo
        return j

    def _contact_step(self, f: int, ts: Sequence[float], xs: list[float], i: int, j: int) -> int:
        """Track the contact's load until it falls under its release level."""
        u = self._u[f]
        peak = self._cpeak[f]
        seg = xs[i:j]
        cap = u + self._rel_max
        if u + self._rel_frac * (peak - u) >= cap:  # the usual case: a higher peak changes nothing
            if min(seg) >= cap:
                return j
        else:
            top = max(seg)
            if min(seg) >= self._release(u, max(top, peak)):  # no release possible here
                if top > peak:
                    self._cpeak[f] = top
                return j
        rel = self._release(u, peak)
        strict = u + self._off_bw
        o = 1 - f
        other = self._xs[o]
        # The relative release needs the other foot to bear weight: nobody walking lifts a foot
        # while the other is in the air, so a deep mid-stance valley in single support is not
        # a release (a faulty other foot cannot tell: then trust the relative release).
        other_lo = -1e9 if self._foot_faulty[o] else self._floor[o] + self._on_bw
        for k in range(i, j):
            x = xs[k]
            if x > peak:
                peak = x
                rel = self._release(u, peak)
            elif x < rel and (x < strict or other[k] >= other_lo):
                self._cpeak[f] = peak
                self._state[f] = AIR
                self._t_air[f] = ts[k]
                self._air_lo[f] = x
                return k + 1
        self._cpeak[f] = peak
        return j

    def _release(self, u: float, peak: float) -> float:
        return u + min(max(self._rel_frac * (peak - u), self._off_bw), self._rel_max)

    def _start_rise(self, f: int, ts: Sequence[float], xs: list[float],
                    cols: list[tuple[int, ...]], k: int) -> None:
        s = self.settings
        t = ts[k]
        u = self._air_lo[f]
        self._state[f] = RISE
        self._air_cell[f] = False
        self._u[f] = u
        self._armed[f] = (t - self._t_air[f] >= s.min_air_s
                          and t - self._t_land[f] >= s.refractory_s)
        self._t_touch[f] = t
        self._t_impact[f] = t
        self._peak[f] = xs[k]
        self._t_peak[f] = t
        self._peak_railed[f] = xs[k] >= self._rail_x[f] and self._railed_at(f, cols, k)
        lo = bisect_left(ts, t - self._history_s, 0, k)
        ht = list(ts[lo:k + 1])
        hx = xs[lo:k + 1]
        if lo == 0 and self._tail_t:  # the history may reach into the previous batch
            cut = bisect_left(self._tail_t, t - self._history_s)
            ht = self._tail_t[cut:] + ht
            hx = self._tail_x[f][cut:] + hx
        self._quick[f] = _quick_onset(ht, hx, u + s.leave_bw, u + s.on_bw, s.onset_s)
        o = 1 - f
        self._supported[f] = (not self._foot_faulty[o]
                              and self._xs[o][k] - self._floor[o] >= s.support_bw)
        start = bisect_left(ht, t - s.rise_window_s)
        self._rt[f] = ht[start:]
        self._rx[f] = hx[start:]
        self._rise[f] = xs[k] - min(self._rx[f])

    def _rise_step(self, f: int, ts: Sequence[float], xs: list[float],
                   cols: list[tuple[int, ...]], i: int, j: int, events: list[MatEvent]) -> int:
        """Follow a candidate sample by sample; return where the caller continues."""
        s = self.settings
        on = self._u[f] + s.on_bw
        hold = s.peak_hold_s
        window = s.rise_window_s
        rt, rx = self._rt[f], self._rx[f]
        while i < j:
            x = xs[i]
            t = ts[i]
            if x < on:  # it fell back before it settled: a spike or a bump, not a foot
                self._state[f] = AIR
                self._air_lo[f] = min(self._u[f], x)
                return i + 1
            if self._rise[f] < s.rise_bw:  # not yet seen an impact: keep looking
                rt.append(t)
                rx.append(x)
                if len(rt) > 256:
                    del rt[:128], rx[:128]
                start = bisect_left(rt, t - window)
                rise = x - min(rx[start:])
                if rise > self._rise[f]:
                    self._rise[f] = rise
                    if rise >= s.rise_bw and not self._quick[f] and t - self._t_touch[f] > hold:
                        # a strike after a creep or a bump: it began where the window did
                        self._t_impact[f] = max(rt[start], self._t_touch[f])
            if x > self._peak[f]:
                self._peak[f] = x
                self._t_peak[f] = t
                self._peak_railed[f] = x >= self._rail_x[f] and self._railed_at(f, cols, i)
            elif self._peak_railed[f]:
                if not self._railed_at(f, cols, i):  # off the rail: a real, hard landing
                    self._decide(f, t, cols, i, events, final=True)
                    return i + 1
                if t - self._t_peak[f] >= s.railed_s:  # a short circuit, not a stomp
                    self._to_contact(f, t, events)
                    return i + 1
            elif ((t - self._t_peak[f] >= hold - 1e-9 or t - self._t_touch[f] >= s.railed_s)
                  and self._decide(f, t, cols, i, events, final=False)):
                return i + 1
            i += 1
        return i

    def _decide(self, f: int, t: float, cols: Sequence[Sequence[int]], i: int,
                events: list[MatEvent], final: bool) -> bool:
        """Land, go to contact, or (a candidate still waiting for its strike) keep it open."""
        s = self.settings
        came_down = self._quick[f] or self._rise[f] >= s.rise_bw or self._supported[f]
        if self._armed[f] and came_down and (final or self._peak[f] - self._u[f] >= s.landing_bw):
            if self._jumpy(f, cols, i):
                self._to_contact(f, t, events)
            else:
                self._emit_landing(f, events)
            return True
        if not final and self._armed[f] and t - self._t_touch[f] < s.pending_s:
            return False  # crept or bumped up: the strike may still come
        self._to_contact(f, t, events)  # loaded slowly (a weight shift) or too soon again
        return True

    def _jumpy(self, f: int, cols: Sequence[Sequence[int]], i: int) -> bool:
        """Do the foot's last 16 readings jump about like a floating input (not yet a fault)?"""
        for c in self._foot_ch[f]:
            seq = list(cols[c][max(0, i - 15):i + 1])
            if len(seq) < 16:
                seq = (self._tail_cols[c] + seq)[-16:]
            if jumpy(seq, self.settings.floating_counts):
                return True
        return False

    def _railed_at(self, f: int, cols: list[tuple[int, ...]], k: int) -> bool:
        return any(cols[c][k] >= ADC_MAX for c in self._foot_ch[f])

    def _to_contact(self, f: int, t: float, events: list[MatEvent]) -> None:
        self._state[f] = CONTACT
        self._air_cell[f] = False
        self._cpeak[f] = self._peak[f]
        if not self._present:
            self._present = True
            events.append(Presence(t, True))

    def _emit_landing(self, f: int, events: list[MatEvent]) -> None:
        t = self._t_impact[f]
        saturated = self._peak[f] >= self._sat_x[f]
        peak = self._sat_x[f] if saturated else self._peak[f]
        peak_bw = round(peak - self._floor[f], 3)
        self._to_contact(f, t, events)
        self._t_land[f] = t
        foot = FEET[f]
        events.append(Landing(t, foot, peak_bw, saturated or peak_bw >= self._target_bw,
                              saturated))
        lands = self._landings
        if lands and t - lands[-1] > self.settings.footfall_gap_s:
            lands.clear()
        lands.append(t)
        while t - lands[0] > self.settings.cadence_window_s:
            lands.popleft()
        if len(lands) >= 2:
            cadence = 60.0 * (len(lands) - 1) / max(t - lands[0], 1e-6)
            events.append(Footfall(t, foot, round(cadence, 1)))

    # ------------------------------------------------------------------ housekeeping
    def _end_cell(self, events: list[MatEvent], t_next: float) -> None:
        ts = self._cell_t
        cell_s = self.settings.cell_s
        if ts:
            self._health.cell(ts[0], ts[-1], self._cell_cols)
            self._report_faults(events, ts[-1])
            self._cell_floor(events)
            self._cell_presence(events)
            self._prev_x = [self._cell_x[0][-1], self._cell_x[1][-1]]
        k = _floor((t_next - self._t0) / cell_s) + 1
        self._cell_end = self._t0 + k * cell_s
        if self._cell_end <= t_next:  # float rounding at the boundary
            self._cell_end += cell_s
        self._cell_t = []
        self._cell_cols = [[] for _ in range(self._nch)]
        self._cell_x = [[], []]
        for f in (0, 1):
            self._air_cell[f] = self._state[f] == AIR

    def _report_faults(self, events: list[MatEvent], t: float) -> None:
        kinds = self._health.kinds
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
                if x >= self._floor[f] + self.settings.off_bw:
                    self._u[f] = self._floor[f]
                    self._peak[f] = x
                    self._to_contact(f, t, events)
                else:
                    self._state[f] = AIR
                    self._t_air[f] = t
                    self._air_lo[f] = x

    def _fault(self, t: float, f: int, kind: str, active: bool, ch: int | None = None) -> Fault:
        ch_text = "?" if ch is None else ch
        text = FAULT_TEXT[kind].format(foot=FEET[f], ch=ch_text, bw=self._floor[f])
        if not active:
            text = "cleared: " + text
        return Fault(t, FEET[f], kind, active, text)

    def _cell_floor(self, events: list[MatEvent]) -> None:
        s = self.settings
        ts = self._cell_t
        dt = ts[-1] - ts[0] + (ts[1] - ts[0] if len(ts) > 1 else 0.0)
        idle = not self._present
        for f in (0, 1):
            x = self._cell_x[f]
            if self._foot_faulty[f]:
                idle = False
                continue
            lo, hi = min(x), max(x)
            quiet = hi - lo <= s.quiet_bw
            if self._state[f] == AIR and self._air_cell[f]:
                prev = [self._prev_x[f], *x[:-1]]
                robust_min = min(map(max, x, prev))  # a one-sample dip cannot pull it down
                rise = s.floor_rise_bw_per_s * dt
                self._floor[f] = min(robust_min, self._floor[f] + rise)
                self._air_lo[f] = min(robust_min, self._air_lo[f] + rise)  # creep up, slowly
                idle = idle and quiet
            else:
                idle = False
            if self._state[f] == CONTACT and quiet and hi < self._u[f] + s.on_bw:
                self._stale[f] += dt
                if self._stale[f] >= s.stale_contact_s:  # a lingering offset, not a foot
                    self._floor[f] = self._air_lo[f] = lo
                    self._state[f] = AIR
                    self._t_air[f] = ts[-1]
                    self._stale[f] = 0.0
            else:
                self._stale[f] = 0.0
        self._idle = self._idle + dt if idle else 0.0
        if self._idle >= s.idle_rezero_s:  # empty and idle: re-zero exactly
            for f in (0, 1):
                x = self._cell_x[f]
                self._floor[f] = self._air_lo[f] = sum(x) / len(x)
        for f in (0, 1):
            drift = abs(self._floor[f])
            if not self._drift_on[f] and drift > s.drift_bw:
                self._drift_on[f] = True
                events.append(self._fault(ts[-1], f, "drift", True))
            elif self._drift_on[f] and drift < s.drift_bw / 2:
                self._drift_on[f] = False
                events.append(self._fault(ts[-1], f, "drift", False))

    def _cell_presence(self, events: list[MatEvent]) -> None:
        if not self._present:
            return
        t = self._cell_t[-1]
        for f in (0, 1):
            if self._state[f] in (RISE, CONTACT):
                return
            if self._state[f] == AIR and t - self._t_air[f] < self.settings.presence_off_s:
                return
        self._present = False
        events.append(Presence(t, False))


def _quick_onset(ts: Sequence[float], xs: Sequence[float], leave: float, on: float,
                 onset_s: float) -> bool:
    """Did the force climb from ``leave`` to ``on`` within ``onset_s``? (``xs[-1]`` > ``on``)

    Both crossings are interpolated between samples, so the answer does not hang on the rate.
    """
    n = len(xs)
    if n < 2:
        return False
    t_on = _cross(ts[-2], xs[-2], ts[-1], xs[-1], on)
    k = n - 2
    while k >= 0 and xs[k] > leave:
        if t_on - ts[k] > onset_s:
            return False
        k -= 1
    if k < 0:
        return False
    return t_on - _cross(ts[k], xs[k], ts[k + 1], xs[k + 1], leave) <= onset_s


def _cross(t0: float, x0: float, t1: float, x1: float, level: float) -> float:
    """When the line from ``(t0, x0)`` to ``(t1, x1)`` passes ``level`` (clamped to the span)."""
    if x1 <= x0:
        return t1
    u = (level - x0) / (x1 - x0)
    return t0 + (t1 - t0) * min(max(u, 0.0), 1.0)


def _event_t(e: MatEvent) -> float:
    return e.t
