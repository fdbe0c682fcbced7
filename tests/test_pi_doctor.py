"""``osteo-kiosk doctor``: a checklist with a fix per failure, exit code 1 on any failure."""

import argparse
import json
import re

import pytest

from kiosk import config, doctor
from kiosk.checks import Check


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    doctor.register(parser.add_subparsers())
    return parser.parse_args(["doctor", *argv])


def config_file(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return str(path)


def fine(cfg):
    return [Check("mat", True, "8 channels")]


def warns(cfg):
    return [Check("screen", None, "dummy driver: nothing is shown", "unset SDL_VIDEODRIVER")]


def test_the_subcommand_runs_every_check_and_fails_on_an_unwritable_data_dir(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = parse("--config", config_file(tmp_path, f'[storage]\ndata_dir = "{blocker}"\n'))
    assert args.func(args) == 1
    out = capsys.readouterr().out
    line = rf"^\[FAIL\] data directory +{re.escape(str(blocker))} is a file, not a folder$"
    assert re.search(line, out, re.MULTILINE)
    assert "fix: make" in out
    names = {line[7:].split("  ")[0].strip() for line in out.splitlines() if line.startswith("[")}
    assert {"config", "data directory", "display driver", "screen", "sound card", "audio output",
            "eSpeak NG"} <= names
    assert out.rstrip().splitlines()[-1].endswith("failed")


def test_all_fine_exits_zero_and_warnings_do_not_fail(tmp_path, capsys):
    args = parse()
    assert doctor.command(args, [doctor.data_dir_checks, fine, warns]) == 0
    out = capsys.readouterr().out
    assert "[ ok ] config" in out and "[ ok ] mat" in out
    assert "[warn] screen" in out and "fix: unset SDL_VIDEODRIVER" in out
    assert out.rstrip().endswith("3 ok, 1 warning, 0 failed")


def test_json_lists_every_check(capsys):
    args = parse("--json")
    assert doctor.command(args, [fine]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == ["config", "mat"]
    assert rows[1] == {"name": "mat", "ok": True, "detail": "8 channels", "fix": ""}


def test_a_broken_config_fails_and_the_other_checks_still_run(tmp_path, capsys):
    args = parse("--config", config_file(tmp_path, "[voice]\nrate_wpm = 9000\nvolum = 1\n"))
    assert doctor.command(args, [fine]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] config" in out and "voice.rate_wpm" in out and "did you mean 'volume'" in out
    assert "[ ok ] mat" in out


def test_a_crashing_provider_becomes_a_failed_line(capsys):
    def broken(cfg):
        raise RuntimeError("no SPI")

    assert doctor.command(parse(), [broken, fine]) == 1
    out = capsys.readouterr().out
    assert "[FAIL] test_pi_doctor.broken  the check crashed: RuntimeError: no SPI" in out
    assert "[ ok ] mat" in out


def test_other_rooms_providers_are_optional(tmp_path, monkeypatch):
    (tmp_path / "pi_doc_broken.py").write_text("import no_such_dependency_zz\n")
    (tmp_path / "pi_doc_plain.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(doctor, "OPTIONAL", (("pi_doc_missing", "checks"),
                                             ("pi_doc_plain", "checks"),
                                             ("pi_doc_broken", "checks")))
    extra = doctor.providers()[len(doctor.BUILTIN):]
    assert len(extra) == 1  # missing module and missing function are skipped; a broken one fails
    [check] = extra[0](config.defaults())
    assert check.ok is False and "no_such_dependency_zz" in check.detail


def test_the_rooms_named_in_the_brief_are_looked_up():
    assert ("kiosk.mat.doctor", "checks") in doctor.OPTIONAL
    assert ("kiosk.coach.speech", "doctor_checks") in doctor.OPTIONAL


def test_data_dir_checks(tmp_path):
    def check(path):
        [c] = doctor.data_dir_checks(config.defaults().replace(storage={"data_dir": str(path)}))
        return c

    assert check(tmp_path).ok is True
    assert check(tmp_path / "new" / "deeper").ok is True
    (tmp_path / "f").write_text("")
    assert check(tmp_path / "f").ok is False
    assert check(tmp_path / "f" / "below").ok is False


def test_alsa_cards_are_read_from_the_kernel_list(tmp_path):
    cards = tmp_path / "cards"
    cards.write_text(" 0 [vc4hdmi0       ]: vc4-hdmi - vc4-hdmi-0\n"
                     "                      vc4-hdmi-0\n"
                     " 1 [Headphones     ]: bcm2835_headpho - bcm2835 Headphones\n")
    assert doctor.alsa_cards(cards) == ["0 vc4hdmi0", "1 Headphones"]
    assert doctor.alsa_cards(tmp_path / "absent") == []


def test_sdl_drivers_are_read_from_the_loaded_library():
    pygame = pytest.importorskip("pygame")
    drivers = doctor.sdl_video_drivers()
    assert drivers is not None and "dummy" in drivers
    if getattr(pygame, "IS_CE", False):  # the wheel we ship: its SDL must draw without a desktop
        assert "KMSDRM" in drivers


def test_register_adds_the_shared_options():
    args = parse("--json", "--config", "x.toml")
    assert (args.json, args.config, args.func) == (True, "x.toml", doctor.command)


def dist_info(site, name: str, version: str) -> None:
    """The metadata pip leaves for an installed distribution (all importlib.metadata reads)."""
    folder = site / f"{name.replace('-', '_')}-{version}.dist-info"
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def test_both_pygame_flavours_in_one_folder_fail(tmp_path):
    site = tmp_path / "site-packages"
    dist_info(site, "pygame-ce", "2.5.8")
    only_ce = doctor.flavour_check([str(site)])
    assert only_ce.ok is True and only_ce.detail == f"pygame-ce 2.5.8 in {site}"
    dist_info(site, "pygame", "2.6.1")
    both = doctor.flavour_check([str(site)])
    assert both.ok is False and "share one folder" in both.detail
    assert "pygame 2.6.1" in both.detail and "pip uninstall -y pygame pygame-ce" in both.fix


def test_a_shadowed_second_flavour_only_warns(tmp_path):
    venv, system = tmp_path / "venv", tmp_path / "dist-packages"
    dist_info(venv, "pygame-ce", "2.5.8")
    dist_info(system, "pygame", "2.1.2")  # e.g. Debian's python3-pygame beside a venv
    check = doctor.flavour_check([str(venv), str(system)])
    assert check.ok is None and "the first on the path wins" in check.detail


def test_a_second_flavour_that_shadows_pygame_ce_fails(tmp_path):
    venv, user = tmp_path / "venv", tmp_path / "user-site"
    dist_info(venv, "pygame-ce", "2.5.8")
    dist_info(user, "pygame", "2.6.1")  # e.g. a pip install --user ahead of the venv
    check = doctor.flavour_check([str(user), str(venv)])
    assert check.ok is False and "pygame (not pygame-ce) is first" in check.detail
    assert "pip uninstall -y pygame pygame-ce" in check.fix


def test_this_environment_has_one_flavour():
    assert doctor.flavour_check().ok is True


def test_no_kmsdrm_fails_without_a_desktop_and_warns_with_one():
    drivers = ["x11", "wayland", "offscreen", "dummy"]
    bare = doctor.driver_check("pygame 2.6.1, SDL 2.28.4", drivers, desktop=False)
    assert bare.ok is False and "no kmsdrm and there is no desktop" in bare.detail
    assert "pygame-ce 2.5 or newer" in bare.fix
    assert doctor.driver_check("pygame 2.6.1", drivers, desktop=True).ok is None
    assert doctor.driver_check("pygame-ce", ["KMSDRM", *drivers], desktop=False).ok is True


def test_the_loaded_sdl_is_judged_by_its_own_driver_list():
    """Under pygame-ce this SDL has KMSDRM and passes; CI runs this file under pygame 2.6.1
    too, whose wheel's SDL has none: there the real library fails the check."""
    pytest.importorskip("pygame")
    drivers = doctor.sdl_video_drivers()
    assert drivers is not None
    check = doctor.driver_check("this SDL", drivers, desktop=False)
    assert check.ok is ("KMSDRM" in drivers)


def test_dri_problems_name_what_cannot_be_opened(tmp_path):
    dri = tmp_path / "dri"
    assert doctor.dri_problem(dri) == f"there is no {dri} (no KMS display driver is loaded)"
    dri.mkdir()
    assert doctor.dri_problem(dri) == f"{dri} has no card"
    (dri / "card0").mkdir()  # a node that cannot be opened read-write
    assert doctor.dri_problem(dri) == f"cannot open {dri}/card0: Is a directory"
    (dri / "card1").write_text("")  # one that can
    assert doctor.dri_problem(dri) is None


def test_a_quiet_fallback_to_offscreen_names_dev_dri_not_the_variable(tmp_path, monkeypatch):
    pytest.importorskip("pygame")
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    checks = {c.name: c for c in doctor.display_checks(config.defaults(), dri=tmp_path / "dri")}
    screen = checks["screen"]
    if screen.ok is True:
        pytest.skip(f"this machine has a screen SDL can use: {screen.detail}")
    assert screen.ok is False and "unset SDL_VIDEODRIVER" not in (screen.fix or "")
    assert f"there is no {tmp_path / 'dri'}" in screen.detail
    assert "video and render groups" in screen.fix


def test_an_asked_for_dummy_driver_only_warns(monkeypatch, tmp_path):
    pytest.importorskip("pygame")
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    checks = {c.name: c for c in doctor.display_checks(config.defaults(), dri=tmp_path)}
    assert checks["screen"].ok is None
    assert checks["screen"].fix == "unset SDL_VIDEODRIVER (the service uses kmsdrm)"
