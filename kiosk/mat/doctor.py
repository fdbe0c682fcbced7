"""The mat's lines in ``osteo-kiosk doctor``: SPI present, sampling rate, channels, calibration."""

from __future__ import annotations

import contextlib
import time
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from kiosk.checks import Check
from kiosk.errors import KioskError
from kiosk.mat import who
from kiosk.mat.force import ADC_MAX, Calibration, Layout, fit_problem

if TYPE_CHECKING:
    from kiosk.config import Config

SPI_FIX = ("enable SPI (sudo raspi-config > Interface Options > SPI), check the MCP3008 wiring "
           "in docs/mat.md, or run with --mat keyboard")
HARDWARE_SPI_FIX = ("switch the Pi's SPI on (sudo raspi-config nonint do_spi 0, or dtparam=spi=on "
                    "in /boot/firmware/config.txt), reboot, check that /dev/spidev0.0 exists; "
                    "the service sets GPIOZERO_PIN_FACTORY=lgpio")


def calibration_path(config: Config) -> Any:
    return config.calibration_file()


def channel_checks(samples: list[tuple[float, tuple[int, ...]]], layout: Layout,
                   calibration: Calibration | None = None) -> list[Check]:
    """Judge each channel from a short recording of an idle mat. Pure."""
    out = []
    for i, ch in enumerate(layout.channels):
        name = f"mat channel {ch} ({layout.channel_foot(i)})"
        col = [c[i] for _, c in samples]
        if not col:
            out.append(Check(name, False, "no samples were read", SPI_FIX))
            continue
        lo, hi = min(col), max(col)
        jumps = sum(abs(a - b) for a, b in pairwise(col)) / max(len(col) - 1, 1)
        bleed = calibration is not None and calibration.baseline_counts[i] >= 3
        if lo >= ADC_MAX:
            out.append(Check(name, False, "reads full scale (1023): the sensor is shorted",
                             "check the FSR's two leads are not touching"))
        elif jumps >= 100:
            out.append(Check(name, False, f"reads random noise ({lo}-{hi}): the input floats",
                             "check the divider resistor and the wire to the MCP3008 pin"))
        elif hi == 0 and bleed:
            out.append(Check(name, False, "reads 0: a sensor wire is loose or cut",
                             "check the mat's plug and the FSR's leads"))
        elif hi == 0:
            out.append(Check(name, None, "reads 0 (an empty mat without a bleed resistor "
                             "looks the same as a loose wire)", "stand on it to test it"))
        else:
            out.append(Check(name, True, f"reads {lo}-{hi} counts"))
    return out


def calibration_checks(config: Config, layout: Layout, now: datetime | None = None
                       ) -> list[Check]:
    """The weigh-in's line; in a household one per person (each weighs in at their first
    session), and a warning for people too close in weight for the mat to tell apart."""
    if not config.household:
        return [calibration_check(config, layout, now)]
    out = [calibration_check(config, layout, now, p.key, f"mat calibration ({p.name})")
           for p in config.people]
    refs = {}
    for p in config.people:
        with contextlib.suppress(KioskError):
            refs[p.name] = Calibration.load(config.calibration_file(p.key)).bw_conductance
    close = who.separable(refs, who.NOISE_FLOOR)
    if close:
        pairs = "; ".join(f"{a} and {b}" for a, b in close)
        out.append(Check("who stepped on", None, f"too close in weight to tell apart: {pairs} "
                         "(the kiosk asks them who it is each time)", "nothing to do"))
    elif len(refs) > 1:
        out.append(Check("who stepped on", True, "everyone weighed in is far enough apart "
                         "in weight for the mat to recognise them (docs/who.md)"))
    return out


def calibration_check(config: Config, layout: Layout, now: datetime | None = None,
                      person: str | None = None, name: str = "mat calibration") -> Check:
    path = config.calibration_file(person)
    fix = ("weighs in at their next session" if config.household
           else "run `osteo-kiosk calibrate`")
    if not path.exists():
        return Check(name, None, f"not calibrated yet ({path} is missing)", fix)
    try:
        cal = Calibration.load(path)
    except KioskError as exc:
        return Check(name, False, str(exc), fix)
    now = now or datetime.now().astimezone()
    problem = fit_problem(cal, layout, config.mat.divider_ohms, now)
    if problem:
        return Check(name, False, problem, fix)
    return Check(name, True, f"made {cal.created}")


def spi_check(reader: Any, mat: Any, layout: Layout) -> Check:
    """Hardware SPI or a failure: a bit-banged MCP3008 is slow and means SPI is switched off."""
    where = f"SPI{mat.spi_port}/CE{mat.spi_device}, channels {list(layout.channels)}"
    if reader.spi_hardware:
        clock = f", {reader.spi_clock_hz} Hz" if reader.spi_clock_hz else ""
        return Check("mat SPI", True, f"MCP3008 on hardware {where} ({reader.spi_interface}"
                                      f"{clock})")
    why = (f"hardware SPI did not open ({reader.spi_fallback})" if reader.spi_fallback
           else "the pin factory offers no hardware SPI")
    return Check("mat SPI", False, f"MCP3008 read by software SPI, bit-banged GPIO on {where} "
                                   f"({reader.spi_interface}): {why}", HARDWARE_SPI_FIX)


def checks(config: Config, pin_factory: Any = None, listen_s: float = 0.5) -> list[Check]:
    """Every mat check; reading the ADC for ``listen_s`` seconds (through adc.py)."""
    layout = Layout.from_config(config.mat)
    out: list[Check] = []
    if config.mat.source in ("keyboard", "sim"):
        out.append(Check("mat SPI", True, f"not used (mat.source = {config.mat.source!r})"))
        out += calibration_checks(config, layout)
        return out
    from kiosk.mat.adc import open_mat
    from kiosk.mat.events import samples_only

    try:
        sampler = open_mat(config.mat, pin_factory)
    except KioskError as exc:
        out.append(Check("mat SPI", False, str(exc), SPI_FIX))
        out += calibration_checks(config, layout)
        return out
    out.append(spi_check(sampler.reader, config.mat, layout))
    sampler.start()
    time.sleep(listen_s)
    sampler.stop()
    samples = samples_only(sampler.drain())
    stats = sampler.stats()
    sampler.close()
    rate = stats.get("achieved_rate_hz")
    target = config.mat.rate_hz
    detail = (f"{rate} Hz of {target} Hz, jitter {stats.get('jitter_ms')} ms, worst gap "
              f"{stats.get('worst_interval_ms')} ms")
    ok = rate is not None and rate >= 0.9 * target and not stats.get("error")
    out.append(Check("mat sampling", ok, stats.get("error") or detail,
                     "" if ok else "lower mat.rate_hz or raise mat.spi_clock_hz"))
    cal = None
    with contextlib.suppress(KioskError):
        cal = Calibration.load(calibration_path(config))
    if cal is not None and len(cal.baseline_counts) != len(layout.channels):
        cal = None
    out += channel_checks(samples, layout, cal)
    out += calibration_checks(config, layout)
    return out
