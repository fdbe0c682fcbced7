"""`osteo-kiosk bench` gathers each room's figures; none of them may fail to run.

The figures themselves are measured, not asserted: timing belongs in the benchmark's output.
"""

import json

import pytest

from kiosk import config
from kiosk.bench import run_bench
from kiosk.cli import main
from kiosk.errors import KioskError


@pytest.mark.slow
def test_mat_and_screen_parts_run_and_report_their_figures():
    result = run_bench(config.defaults(), ["mat", "screen"])
    assert "error" not in result["mat"] and "error" not in result["screen"]
    assert result["mat"]["detector"]["samples_per_s"] > 0
    assert result["mat"]["latency"]["detected"] == result["mat"]["latency"]["landings"]
    assert result["screen"]["first_frame_s"] > 0 and result["screen"]["rss_mb"] > 0


def test_unknown_part_is_one_sentence(capsys):
    with pytest.raises(KioskError, match="unknown bench part 'gpu'"):
        run_bench(config.defaults(), ["gpu"])
    assert main(["bench", "--only", "gpu"]) == 1
    assert "allowed: mat, voice, screen, store, program" in capsys.readouterr().err


def test_program_part_times_planning_and_progression():
    result = run_bench(config.defaults(), ["program"])["program"]
    assert "error" not in result
    assert result["plan_and_steps_ms"]["n"] > 0 and result["progress_day_ms"]["median"] > 0
    assert result["decisions"] > 0 and result["final"]["weekly_min"] <= 150


@pytest.mark.slow
def test_json_output_is_one_object(capsys):
    assert main(["bench", "--only", "screen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"machine", "screen"}


@pytest.mark.slow
def test_the_running_kiosk_reports_its_share_of_a_core_and_its_memory():
    result = run_bench(config.defaults(), ["running"])["running"]
    assert "error" not in result, result
    assert result["frame_size"] == "1920x1080" and result["bare_present_ms"] > 0
    for period in ("idle_home", "stomp_set", "stretch_hold"):
        assert result[period]["frames"] > 0 and result[period]["wall_s"] > 0
    assert result["rss_mb_after_session"] > 0
