"""The force model and calibration files."""

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.errors import KioskError
from kiosk.mat.force import (
    Calibration,
    Layout,
    conductance,
    count_for,
    fit_problem,
    personal_target_bw,
)


def cal(**kw) -> Calibration:
    base = dict(baseline_counts=(10.0, 12.0), bw_conductance=1.0,
                created="2026-01-01T09:00:00+00:00", divider_ohms=10_000, channels=(0, 1))
    base.update(kw)
    return Calibration(**base)


def test_conductance_is_v_over_one_minus_v():
    assert conductance(0) == 0
    assert conductance(1023 / 3) == pytest.approx(0.5)
    assert conductance(1023 / 2) == pytest.approx(1.0)
    assert conductance(1023) < float("inf")
    assert count_for(conductance(700)) == pytest.approx(700)


def test_layout_orders_left_then_right_and_refuses_bad_channels():
    lay = Layout((0, 2), (1,))
    assert lay.channels == (0, 2, 1)
    assert lay.channel_foot(1) == "left" and lay.channel_foot(2) == "right"
    for bad in (((0,), (0,)), ((), (1,)), ((0, 1, 2), (3,)), ((8,), (1,))):
        with pytest.raises(ValueError):
            Layout(*bad)


def test_luts_remove_the_baseline_and_scale_to_body_weight():
    c = cal(baseline_counts=(100.0, 0.0), bw_conductance=2.0)
    lut = c.luts(Layout())
    assert lut[0][100] == pytest.approx(0.0)
    assert lut[1][512] == pytest.approx(conductance(512) / 2.0)


def test_save_load_round_trip(tmp_path):
    c = cal(target_bw=1.4)
    path = tmp_path / "sub" / "calibration.json"
    c.save(path)
    assert Calibration.load(path) == c


@pytest.mark.parametrize("text", ["not json", '{"baseline_counts": [1]}', "[1, 2]",
                                  '{"baseline_counts": [1], "bw_conductance": -1, '
                                  '"created": "x", "divider_ohms": 1}'])
def test_bad_calibration_files_name_the_file(tmp_path, text):
    path = tmp_path / "cal.json"
    path.write_text(text)
    with pytest.raises(KioskError, match=r"cal\.json"):
        Calibration.load(path)
    with pytest.raises(KioskError, match=r"nope\.json"):
        Calibration.load(tmp_path / "nope.json")


def test_fit_problem_asks_to_recalibrate_when_it_no_longer_fits():
    now = datetime(2026, 1, 10, tzinfo=UTC)
    assert fit_problem(cal(), Layout(), 10_000, now) is None
    assert "recalibrate" in fit_problem(cal(), Layout(), 4_700, now)
    assert "recalibrate" in fit_problem(cal(), Layout((2,), (3,)), 10_000, now)
    old = now + timedelta(days=200)
    assert "days old" in fit_problem(cal(), Layout(), 10_000, old)


def test_personal_target_lowers_never_raises():
    assert personal_target_bw([1.2, 1.3, 1.25], 1.5) == 1.4  # floored well above walking
    assert personal_target_bw([3.0, 3.2], 1.5) == 1.5
    assert personal_target_bw([], 1.5) == 1.5
    assert personal_target_bw([0.5], 1.5) == 1.4
    from kiosk.mat.force import STOMP_FLOOR_BW
    from kiosk.program import progression
    assert STOMP_FLOOR_BW == progression.STOMP_FLOOR_BW  # one floor for mat and program
    assert personal_target_bw([1.8, 1.9], 2.5) == pytest.approx(1.67)
