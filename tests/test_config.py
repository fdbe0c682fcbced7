"""Config: a default for everything, every problem at once, found in the documented order."""

import pytest

from kiosk import config
from kiosk.cli import main
from kiosk.errors import ConfigError


def write(tmp_path, text, name="config.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_cover_every_key():
    cfg = config.defaults()
    for section, keys in config.SCHEMA.items():
        for key, spec in keys.items():
            assert cfg.as_dict()[section][key] == spec.default
            assert spec.check(spec.default) is None, f"default of {section}.{key} is invalid"


def test_every_schema_key_is_a_typed_frozen_field():
    """A key added to the schema needs its field in kiosk.sections (and the reverse)."""
    cfg = config.defaults()
    for section, keys in config.SCHEMA.items():
        typed = getattr(cfg, section)
        assert type(typed).keys_() == tuple(keys), section
        with pytest.raises(AttributeError):  # frozen: settings change only through the file
            setattr(typed, next(iter(keys)), None)
    assert isinstance(cfg.mat.left_channels, tuple) and cfg.mat.rate_hz == 250


def test_every_problem_is_reported_at_once_with_file_key_and_allowed(tmp_path):
    path = write(tmp_path, """
[profile]
fracture_histroy = true
[mat]
rate_hz = 5
left_channels = [0, 9]
[voice]
volume = "loud"
[colours]
x = 1
""")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    lines = err.value.problems
    assert len(lines) == 5
    assert all(line.startswith(f"{path}: ") for line in lines)
    joined = "\n".join(lines)
    assert "profile.fracture_histroy: unknown key (did you mean 'fracture_history'?)" in joined
    assert "mat.rate_hz: 5 is out of range (allowed: a whole number from 50 to 1000)" in joined
    assert "mat.left_channels: item 9" in joined
    assert "voice.volume: not a number (allowed: a number from 0 to 1)" in joined
    assert "colours: unknown section" in joined


def test_cross_checks(tmp_path):
    path = write(tmp_path, """
[mat]
left_channels = [0]
right_channels = [0]
[schedule]
strength_days = ["mon", "tue"]
morning = "19:00"
""")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    text = "\n".join(err.value.problems)
    assert "mat.right_channels: channel 0 is also a left channel" in text
    assert "schedule.strength_days: mon and tue are back to back" in text
    assert "schedule.evening" in text


def test_back_to_back_days_wrap_from_sunday_to_monday(tmp_path):
    path = write(tmp_path, '[schedule]\nstrength_days = ["wed", "sun", "mon"]\n'
                           'high_cardio_days = ["tue", "wed"]\n')
    with pytest.raises(ConfigError) as err:
        config.load(path)
    text = "\n".join(err.value.problems)
    assert "schedule.strength_days: sun and mon are back to back" in text
    assert "schedule.high_cardio_days: tue and wed are back to back" in text


def test_malformed_toml_names_the_file(tmp_path):
    path = write(tmp_path, "[profile\nname = 1")
    with pytest.raises(ConfigError) as err:
        config.load(path)
    assert str(path) in str(err.value) and "not valid TOML" in str(err.value)


def test_search_order(tmp_path, monkeypatch):
    env_file = write(tmp_path, '[profile]\nname = "Env"\n', "env.toml")
    xdg = tmp_path / "xdg-config" / "osteo-kiosk"
    xdg.mkdir(parents=True)
    write(xdg, '[profile]\nname = "Xdg"\n')
    assert config.load().profile.name == "Xdg"
    monkeypatch.setenv("OSTEO_KIOSK_CONFIG", str(env_file))
    assert config.load().profile.name == "Env"
    explicit = write(tmp_path, '[profile]\nname = "Explicit"\n', "explicit.toml")
    assert config.load(explicit).profile.name == "Explicit"
    monkeypatch.setenv("OSTEO_KIOSK_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(ConfigError, match="no such config file"):
        config.load()


def test_data_dir_defaults_to_xdg_and_is_configurable(tmp_path):
    assert config.defaults().data_dir == tmp_path / "xdg-data" / "osteo-kiosk"
    path = write(tmp_path, f'[storage]\ndata_dir = "{tmp_path / "d"}"\n')
    assert config.load(path).data_dir == tmp_path / "d"


def test_to_toml_round_trips():
    import tomllib

    cfg = config.defaults().replace(profile={"name": 'Ann "Nan" Lee'}, program={"hold_s": 30})
    again = config.validated(tomllib.loads(config.to_toml(cfg)), "shown")
    assert again.as_dict() == cfg.as_dict()


def test_config_check_cli_lists_problems_and_exits_1(tmp_path, capsys):
    path = write(tmp_path, "[voice]\nrate_wpm = 999\nvolum = 1\n")
    assert main(["config", "check", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: voice.rate_wpm: 999 is out of range" in out
    assert "voice.volum: unknown key (did you mean 'volume'?)" in out


def test_config_check_ok_and_show(tmp_path, capsys):
    path = write(tmp_path, '[profile]\nname = "Margaret"\n')
    assert main(["config", "check", "--config", str(path)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["config", "show", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'name = "Margaret"' in out and "[mat]" in out and "rate_hz = 250" in out
    assert main(["config", "show", "--json", "--config", str(path)]) == 0
    assert '"name":"Margaret"' in capsys.readouterr().out


def test_missing_config_is_one_sentence(tmp_path, capsys):
    assert main(["config", "show", "--config", str(tmp_path / "nope.toml")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such config file" in err and "Traceback" not in err


def test_config_check_judges_the_program_even_when_other_keys_are_wrong(tmp_path, capsys):
    path = write(tmp_path, '[program]\nhold_s = 45\ninclude = ["toe_touch"]\n')
    assert main(["config", "check", "--config", str(path)]) == 1
    out = capsys.readouterr().out
    assert "program.hold_s: 45 is out of range" in out
    assert "toe_touch" in out and "forward" in out  # refused, with the reason


def test_data_dir_must_be_absolute(tmp_path):
    path = write(tmp_path, '[storage]\ndata_dir = "var/lib/osteo"\n')
    with pytest.raises(ConfigError, match=r"storage\.data_dir: 'var/lib/osteo' is not in the "
                                          r"right form \(allowed: \"\" or an absolute path"):
        config.load(path)
