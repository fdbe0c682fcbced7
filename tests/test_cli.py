"""The `osteo-kiosk` command: every subcommand has help; bad input is one sentence, never a
traceback."""

import os
import subprocess
import sys

import pytest

from kiosk.cli import build_parser, main


def subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name in ("run", "demo", "config", "plan", "onerm", "calibrate", "replay", "record",
                 "log", "report", "export", "bench", "doctor"):
        assert name in subcommands(), f"{name} is not a subcommand"
        assert name in out


@pytest.mark.parametrize("name", subcommands())
def test_each_subcommand_has_its_own_help(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"osteo-kiosk {name}" in out and len(out.splitlines()) >= 3


def test_unknown_subcommand_and_option_are_one_sentence(capsys):
    assert main(["dance"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice" in err and "--help" in err
    assert main(["plan", "--colour"]) == 2
    assert "unrecognized arguments: --colour" in capsys.readouterr().err


def run_cli(*args, env_extra=None, tmp_path=None):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_unwritable_data_dir_is_one_sentence(tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data directory should be")
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[storage]\ndata_dir = "{blocked / "sub"}"\n')
    proc = run_cli("demo", "--config", str(cfg), "--speed", "50")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("osteo-kiosk: ") and str(blocked) in last


def test_malformed_config_is_one_sentence_and_debug_shows_traceback(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[profile\n")
    proc = run_cli("plan", "--config", str(cfg))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"osteo-kiosk: {cfg}: not valid TOML")
    proc = run_cli("plan", "--config", str(cfg), env_extra={"OSTEO_KIOSK_DEBUG": "1"})
    assert "Traceback" in proc.stderr


def test_run_without_gpio_says_how_to_try_the_keyboard_mat(tmp_path):
    proc = run_cli("run", "--frames", "3", env_extra={"XDG_DATA_HOME": str(tmp_path)})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "--mat keyboard" in proc.stderr


def test_run_with_the_keyboard_mat_draws_frames(tmp_path):
    proc = run_cli("run", "--windowed", "--mat", "keyboard", "--frames", "10",
                   env_extra={"XDG_DATA_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "osteo-kiosk" / "log.sqlite").exists()


def test_the_demo_table_reads_as_words_not_python():
    """Every step's "what happened" in the demo's table is plain: no braces, brackets, quotes,
    in the same words as `osteo-kiosk log --steps`."""
    from kiosk.app_commands import describe_demo

    result = {"id": 1, "status": "done", "speed": 20.0, "voice": "eSpeak NG", "log_path": "x",
              "steps": [
                  {"exercise_id": "one_leg_stand", "kind": "balance", "status": "done",
                   "target": {"hold_s": 10.0},
                   "achieved": {"ceiling_s": 10.0, "wobble_pp": 1.94, "timed_by": "mat",
                                "sides": {"left": {"best_s": 3.24, "attempts": 1},
                                          "right": {"best_s": 4.65, "attempts": 1}}}},
                  {"exercise_id": "chair_stand_test", "kind": "chair_test", "status": "done",
                   "target": {}, "achieved": {"counted_by": "mat", "seconds": 30.0,
                                              "stands": 10}},
                  {"exercise_id": "sit_to_stand", "kind": "strength", "status": "done",
                   "target": {"sets": 1, "reps": 3}, "achieved": {"counted_by": "mat",
                                                                 "paced": False}}]}
    text = describe_demo(result)
    assert not set("{}[]'\"") & set(text.split("(read it with", 1)[1].split("\n", 1)[1])
    assert "one leg L 3.2 R 4.7 s of 10, wobble 1.9 pp" in text
    assert "10 stands in 30 s" in text
    assert "counted by mat; paced no" in text
    assert "osteo-kiosk log --demo --steps" in text
