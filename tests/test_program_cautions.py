"""The profile's safety keys, and what `config check` refuses or warns about."""

import pytest

from kiosk import config
from kiosk.cli import main
from kiosk.errors import ConfigError
from kiosk.program.catalogue import load_catalogue
from kiosk.program.cautions import program_warnings


def check(tmp_path, capsys, text):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["config", "check", "--config", str(path)])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("value", ['"yes"', '"no"', '"unknown"', "true", "false"])
def test_fracture_history_is_three_state_and_reads_older_files(value):
    import tomllib

    config.validated(tomllib.loads(f"[profile]\nfracture_history = {value}\n"), "f")
    assert config.defaults().profile.fracture_history == "unknown"


@pytest.mark.parametrize(("text", "expected"), [
    ('fracture_history = "maybe"', "profile.fracture_history: 'maybe' is not one of the choices"),
    ('impact_cleared_on = "2024-13-01"', "profile.impact_cleared_on: '2024-13-01' is not a date"),
    ("impact_cleared_on = 2024-05-01", "profile.impact_cleared_on: a date must be in quotes"),
])
def test_profile_mistakes_are_one_line_each(text, expected):
    import tomllib

    with pytest.raises(ConfigError) as err:
        config.validated(tomllib.loads(f"[profile]\n{text}\n"), "f")
    assert any(expected in line for line in err.value.problems), err.value.problems


def test_twelve_stomps_at_four_body_weights_is_warned_not_silent(tmp_path, capsys):
    code, out = check(tmp_path, capsys, '[profile]\nfracture_history = "no"\n'
                      "impact_cleared = true\n[program]\nstomps_per_foot = 12\n"
                      "stomp_target_bw = 4.0\nstomp_ceiling_bw = 4.0\n")
    assert code == 0 and out.rstrip().endswith(": OK")
    assert "warning: program.stomps_per_foot: 12 is more than the article's 4 a foot" in out
    assert "warning: program.stomp_target_bw: 4 body weights is hard effort" in out
    assert "warning: profile.impact_cleared: true, but who cleared it and when" in out


def test_a_program_with_every_exercise_excluded_is_warned(tmp_path, capsys):
    every = ", ".join(f'"{i}"' for i in load_catalogue())
    code, out = check(tmp_path, capsys, f"[program]\nexclude = [{every}]\n")
    assert code == 0
    assert "warning: program.exclude: every exercise is excluded or refused" in out


def test_an_excluded_block_is_named():
    cfg = config.defaults().replace(program={"exclude": ["march_in_place", "side_steps",
                                                          "back_steps"]})
    assert program_warnings(cfg, load_catalogue()) == [
        "program.exclude: leaves no easy steps exercise (the block is skipped)"]


def test_the_defaults_raise_no_warning():
    assert program_warnings(config.defaults(), load_catalogue()) == []


def test_an_override_must_be_signed_dated_and_name_impact_work(tmp_path, capsys):
    code, out = check(tmp_path, capsys, '[profile]\nfracture_history = "yes"\n'
                      'impact_cleared = true\nimpact_override = ["heel_stmp", "brisk_march"]\n')
    assert code == 1
    assert "profile.impact_override: 'heel_stmp' is not in the catalogue (did you mean " \
           "'heel_stomp'?)" in out
    assert "profile.impact_override: brisk_march is not impact work" in out
    assert "profile.impact_override_by: missing" in out
    assert "profile.impact_override_on: missing" in out
    code, out = check(tmp_path, capsys, '[profile]\nfracture_history = "yes"\n'
                      'impact_cleared = true\nimpact_cleared_by = "Dr Ames"\n'
                      'impact_cleared_on = "2024-05-02"\nimpact_override = ["heel_stomp"]\n'
                      'impact_override_by = "Dr Okafor"\nimpact_override_on = "2024-05-20"\n')
    assert code == 0 and "warning" not in out
