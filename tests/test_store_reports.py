"""The report math with literal rows: hand-built weeks in, marks, totals, streaks and trends out."""

from datetime import date, timedelta

import pytest

from kiosk import config as config_mod
from kiosk.store import reports
from kiosk.store.facts import StepFact
from kiosk.store.reports import GLYPHS, Prescription, build_report, render

MON = date(2024, 5, 13)  # a Monday
RX = Prescription()  # stomps 2x, stretches 2x, strength mon/wed/fri, brisk tue/thu/sat


def _days(start: date, per_day: list[int], block: str) -> list[tuple[str, str, int]]:
    return [((start + timedelta(days=i)).isoformat(), block, n) for i, n in enumerate(per_day) if n]


HAND_BUILT_WEEK = (
    _days(MON, [2, 2, 1, 0, 2, 2, 2], "stomps")
    + _days(MON, [1, 0, 1, 0, 0, 0, 0], "strength")
    + _days(MON, [0, 1, 0, 1, 0, 0, 0], "cardio_high")
    + _days(MON, [1, 0, 1, 0, 1, 0, 1], "cardio_low")
    + _days(MON, [1, 1, 1, 1, 1, 1, 1], "extensor")
    + _days(MON, [2, 2, 2, 2, 2, 2, 1], "stretch")
)


def _marks(report: dict, block: str, week: int = -1) -> str:
    return "".join(GLYPHS[d["blocks"][block]["mark"]] for d in report["weeks"][week]["days"])


@pytest.fixture
def week_report() -> dict:
    return build_report(today=MON + timedelta(days=9), week_of=MON, rx=RX,
                        day_counts=HAND_BUILT_WEEK, first_date=MON.isoformat())


def test_each_day_and_block_is_marked_against_the_prescription(week_report):
    assert _marks(week_report, "stomps") == "✓✓◐✗✓✓✓"
    assert _marks(week_report, "strength") == "✓·✓·✗··"
    assert _marks(week_report, "cardio_high") == "·✓·✓·✗·"
    assert _marks(week_report, "cardio_low") == "✓·✓·✓·✓"
    assert _marks(week_report, "extensor") == "✓✓✓✓✓✓✓"
    assert _marks(week_report, "stretch") == "✓✓✓✓✓✓◐"


def test_week_totals_follow_each_blocks_rule(week_report):
    summary = week_report["weeks"][-1]["summary"]
    assert summary["stomps"] == {"status": "missed", "met": 5, "of": 7}
    assert summary["strength"] == {"status": "done", "met": 2, "of": 2}  # 2-3 days a week
    assert summary["cardio_high"] == {"status": "done", "met": 2, "of": 2}
    assert summary["cardio_low"] == {"status": "done", "met": 4, "of": 4}
    assert summary["extensor"] == {"status": "done", "met": 7, "of": 7}
    assert summary["stretch"] == {"status": "missed", "met": 6, "of": 7}


def test_weeks_before_the_first_logged_day_are_not_counted_against_anyone(week_report):
    earlier = week_report["weeks"][0]
    assert earlier["summary"]["stomps"]["status"] == "not_started"
    assert _marks(week_report, "stomps", 0) == "       "


def test_too_many_strength_days_do_not_meet_two_to_three():
    counts = _days(MON, [1, 1, 1, 1, 0, 0, 0], "strength")
    r = build_report(today=MON + timedelta(days=8), week_of=MON, rx=RX, day_counts=counts,
                     first_date=MON.isoformat())
    assert r["weeks"][-1]["summary"]["strength"]["status"] == "missed"


def test_an_unfinished_week_is_open_today_and_blank_ahead():
    wed = MON + timedelta(days=2)
    counts = _days(MON, [2, 2, 1], "stomps") + _days(MON, [1, 0, 0], "strength")
    r = build_report(today=wed, week_of=wed, rx=RX, day_counts=counts, first_date=MON.isoformat())
    assert _marks(r, "stomps") == "✓✓○    "
    assert _marks(r, "strength") == "✓·○    "
    assert r["weeks"][-1]["summary"]["strength"]["status"] == "open"
    assert r["weeks"][-1]["summary"]["stomps"]["status"] == "open"
    assert r["weeks"][-1]["summary"]["extensor"]["status"] == "missed"  # Mon and Tue are gone


def test_without_impact_clearance_stomps_are_not_due_but_brisk_marching_is():
    rx = Prescription.from_config(config_mod.defaults(), stomps_allowed=False)
    counts = _days(MON, [1] * 7, "cardio_low") + _days(MON, [0, 2], "stomps")
    r = build_report(today=MON + timedelta(days=7), week_of=MON, rx=rx, day_counts=counts,
                     first_date=MON.isoformat())
    assert _marks(r, "stomps") == "·✓·····"
    assert _marks(r, "cardio_high") == "·✗·✗·✗·"
    assert _marks(r, "cardio_low") == "✓✓✓✓✓✓✓"


def test_stomps_are_due_only_when_the_program_allows_them():
    cfg = config_mod.defaults()
    assert Prescription.from_config(cfg, stomps_allowed=False).stomps_per_day == 0
    assert Prescription.from_config(cfg, stomps_allowed=True).stomps_per_day == 2


def test_prescription_follows_the_schedule_in_the_config():
    config = config_mod.defaults().replace(
        profile={"impact_cleared": True, "fracture_history": "no"},
        schedule={"strength_days": ["tue", "thu"], "high_cardio_days": ["mon", "fri"],
                  "stretches_per_day": 1})
    rx = Prescription.from_config(config, stomps_allowed=True)
    assert rx.strength_days == (1, 3) and rx.high_cardio_days == (0, 4)
    assert rx.due("stretch", MON) == 1 and rx.due("cardio_high", MON) == 1
    assert rx.due("strength", MON) == 0 and rx.due("cardio_low", MON) == 0


def _full_day(day: date) -> list[tuple[str, str, int]]:
    iso = day.isoformat()
    return [(iso, "stomps", 2), (iso, "extensor", 1), (iso, "stretch", 2), (iso, "cardio_low", 1)]


def test_streaks_count_days_in_a_row_and_the_longest():
    first = MON
    days = [first + timedelta(days=i) for i in range(10)] + \
           [first + timedelta(days=i) for i in range(12, 15)]
    counts = reports.counts_by_day([row for d in days for row in _full_day(d)])
    today = first + timedelta(days=15)  # today has nothing yet: still open, not a break
    st = reports.streaks(counts, RX, first, today, today)
    assert st["all_daily"] == {"current": 3, "longest": 10}
    assert st["stomps"] == {"current": 3, "longest": 10}
    yesterday_missed = reports.streaks(counts, RX, first, today + timedelta(days=1),
                                       today + timedelta(days=1))
    assert yesterday_missed["all_daily"]["current"] == 0


def test_strength_week_streak_needs_two_days_a_week():
    counts = reports.counts_by_day(
        _days(MON - timedelta(days=14), [1, 0, 1], "strength")   # week 1: 2 days
        + _days(MON - timedelta(days=7), [1], "strength")         # week 2: 1 day
        + _days(MON, [1, 0, 1, 0, 1], "strength"))                # week 3: 3 days
    st = reports.streaks(counts, RX, MON - timedelta(days=14), MON + timedelta(days=6),
                         MON + timedelta(days=6))
    assert st["strength_weeks"] == {"current": 1, "longest": 1}


def test_stomp_trend_per_foot_and_week():
    rows = [(MON.isoformat(), "left", 1.5, 1), (MON.isoformat(), "left", 2.5, 1),
            (MON.isoformat(), "right", 1.0, 0), ((MON + timedelta(days=1)).isoformat(),
                                                 "right", 2.0, 1)]
    trend = reports.stomp_trend(rows, [MON - timedelta(days=7), MON], 1.5)
    assert trend["left"]["weeks"][1] == {"start": MON.isoformat(), "landings": 2, "stomps": 2,
                                         "mean_bw": 2.0, "at_target_share": 1.0,
                                         "max_bw": 2.5}
    assert trend["right"]["weeks"][1]["stomps"] == 1
    assert trend["right"]["weeks"][0]["mean_bw"] is None
    assert trend["right"]["days"][7:9] == [1.0, 2.0]


def test_strength_trend_takes_the_heaviest_set_each_week():
    rows = [((MON - timedelta(days=7)).isoformat(), "goblet_squat", 1, 8, 4.0),
            ((MON - timedelta(days=7)).isoformat(), "goblet_squat", 2, 8, 5.0),
            (MON.isoformat(), "goblet_squat", 1, 6, 6.0),
            (MON.isoformat(), "wall_pushup", 1, 10, None)]
    out = reports.strength_trend(rows, [MON - timedelta(days=7), MON], {"goblet_squat": 6.0})
    squat, pushup = out
    assert [w["max_kg"] for w in squat["weeks"]] == [5.0, 6.0]
    assert squat["trend"] == "up" and squat["target_kg"] == 6.0
    assert pushup["weeks"][1] == {"start": MON.isoformat(), "max_kg": None, "sets": 1, "reps": 10}
    assert pushup["body_weight"] and not squat["body_weight"]


def test_rendered_report_fits_80_columns_and_shows_the_grid(week_report):
    text = render(week_report)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "stomps 2×      " in text and "✓✓◐✗✓✓✓" in text


def test_ascii_rendering_for_terminals_without_unicode():
    rows = [(MON.isoformat(), "left", 1.7, 1), (MON.isoformat(), "right", 1.2, 0)]
    r = build_report(today=MON + timedelta(days=9), week_of=MON, rx=RX,
                     day_counts=HAND_BUILT_WEEK, first_date=MON.isoformat(), landings=rows)
    text = render(r, unicode=False)
    assert "vv/xvvv" in text
    assert all(ord(ch) < 128 for ch in text), [ch for ch in text if ord(ch) >= 128]


def test_bars_and_sparklines():
    assert reports.hbar(1.0, 2.0, 4) == "██  "
    assert reports.hbar(0.5, 2.0, 4, marker_at=1.5) == "█  │"
    assert reports.spark([1.0, None, 2.0], 1.0, 2.0) == "▁ █"


@pytest.mark.parametrize("impact", [True, False])
@pytest.mark.parametrize("unicode", [True, False])
def test_every_line_fits_80_columns_with_full_and_long_data(impact, unicode):
    rx = Prescription(impact=impact, stomps_per_day=2 if impact else 0,
                      high_cardio_days=(1, 3, 5) if impact else (), stomp_target_bw=1.75)
    first = MON - timedelta(days=28)
    days = [first + timedelta(days=i) for i in range(35)]
    counts = [(d.isoformat(), b, 2) for d in days for b in ("stomps", "stretch")] + [
        (d.isoformat(), b, 1) for d in days for b in ("extensor", "cardio_low", "strength")]
    landings = [(d.isoformat(), foot, 1.0 + i * 0.31, 1) for d in days for foot in ("left", "right")
                for i in range(14)]
    names = ("reverse_wrist_curl", "a_very_long_exercise_identifier_indeed", "sit_to_stand")
    sets = [(d.isoformat(), ex, 1, 8, 97.5 + i) for i, d in enumerate(days) for ex in names]
    facts = [StepFact(d.isoformat(), "evening", i, "done", "", names[1], "strength",
                      "strength", "skipped", hurt=1) for i, d in enumerate(days)]
    r = build_report(today=MON + timedelta(days=6), week_of=MON, rx=rx, day_counts=counts,
                     first_date=first.isoformat(), landings=landings, sets=sets, facts=facts,
                     targets={ex: 123.5 for ex in names})
    lines = render(r, unicode=unicode).splitlines()
    assert max(map(len, lines)) <= 80, [line for line in lines if len(line) > 80]
    assert ("profile.impact_cleared" in "\n".join(lines)) is not impact
