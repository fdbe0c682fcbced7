"""The unit file, install.sh and uninstall.sh: verified, hardened, shellcheck-clean, idempotent."""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import config

REPO = Path(__file__).resolve().parents[1]
UNIT = REPO / "systemd" / "osteo-kiosk.service"
INSTALL = REPO / "systemd" / "install.sh"
UNINSTALL = REPO / "systemd" / "uninstall.sh"
EXEC = "/opt/osteo-kiosk/venv/bin/osteo-kiosk"
MAX_EXPOSURE = 2.0

needs_analyze = pytest.mark.skipif(not shutil.which("systemd-analyze"),
                                   reason="systemd-analyze is not installed here")
needs_shellcheck = pytest.mark.skipif(not shutil.which("shellcheck"),
                                      reason="shellcheck is not installed here")


def directives() -> dict[str, list[str]]:
    """``Key`` -> every value it is given in the unit (sections flattened; keys are unique)."""
    found: dict[str, list[str]] = {}
    for line in UNIT.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


# -- the unit ---------------------------------------------------------------------------------

@needs_analyze
def test_unit_passes_systemd_analyze_verify_without_a_word(tmp_path):
    """Verify wants ExecStart to exist; point it at a stub, change nothing else."""
    stub = tmp_path / "osteo-kiosk"
    stub.write_text("#!/bin/sh\n")
    stub.chmod(0o755)
    text = UNIT.read_text()
    assert f"ExecStart={EXEC} run\n" in text
    copy = tmp_path / UNIT.name
    copy.write_text(text.replace(f"ExecStart={EXEC} ", f"ExecStart={stub} "))
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=60)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


@needs_analyze
def test_unit_exposure_is_at_most_two():
    done = subprocess.run(["systemd-analyze", "security", "--offline=yes", str(UNIT)],
                          capture_output=True, text=True, timeout=60)
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", done.stdout)
    assert found, done.stdout + done.stderr
    assert float(found.group(1)) <= MAX_EXPOSURE, done.stdout


def test_unit_runs_as_its_own_user_on_tty1_with_a_watchdog():
    d = directives()
    assert d["User"] == ["osteo-kiosk"] and d["Group"] == ["osteo-kiosk"]
    assert set(d["SupplementaryGroups"][0].split()) == {"spi", "gpio", "video", "render",
                                                        "input", "audio"}
    assert d["TTYPath"] == ["/dev/tty1"] and d["StandardInput"] == ["tty"]
    assert d["StandardOutput"] == d["StandardError"] == ["journal"]
    assert "getty@tty1.service" in d["Conflicts"][0]
    assert (d["Type"], d["NotifyAccess"]) == (["notify"], ["main"])
    assert d["WatchdogSec"] and d["Restart"] == ["always"] and d["RestartSec"]
    assert d["StartLimitIntervalSec"] == ["0"]  # never gives up; the kiosk backs off itself
    assert d["RuntimeDirectoryPreserve"] == ["restart"]
    assert d["StateDirectory"] == d["ConfigurationDirectory"] == ["osteo-kiosk"]


def test_unit_environment_puts_data_in_the_state_directory_and_sound_on_alsa():
    env = dict(kv.split("=", 1) for line in directives()["Environment"] for kv in line.split())
    assert env["XDG_DATA_HOME"] == "%S" and env["XDG_CONFIG_HOME"] == "%E"
    assert env["SDL_VIDEODRIVER"] == "kmsdrm" and env["SDL_AUDIODRIVER"] == "alsa"
    assert env["LG_WD"] == "%t/osteo-kiosk"


def test_unit_names_the_pin_factory_and_gives_mesa_a_writable_cache():
    d = directives()
    env = dict(kv.split("=", 1) for line in d["Environment"] for kv in line.split())
    assert env["GPIOZERO_PIN_FACTORY"] == "lgpio"  # hardware SPI through lgpio, never a guess
    # Mesa writes $XDG_CACHE_HOME/mesa_shader_cache: it must be inside CacheDirectory (%C/name),
    # the only writable place under /var/cache with ProtectSystem=strict.
    assert d["ProtectSystem"] == ["strict"]
    assert env["XDG_CACHE_HOME"] == "%C/" + d["CacheDirectory"][0]


def test_unit_keeps_what_the_kiosk_needs():
    d = directives()
    assert "MemoryDenyWriteExecute" not in d  # pyttsx3's ctypes callback
    assert "ProcSubset" not in d and "PrivateDevices" not in d  # gpiozero, the devices
    allowed = {v.split()[0] for v in d["DeviceAllow"]}
    assert {"char-spi", "char-gpiochip", "char-drm", "char-alsa", "char-input",
            "/dev/tty1"} <= allowed
    assert d["DevicePolicy"] == ["closed"]


# -- the scripts --------------------------------------------------------------------------------

@needs_shellcheck
@pytest.mark.parametrize("script", [INSTALL, UNINSTALL, INSTALL.parent / "lib.sh",
                                    INSTALL.parent / "test-arm64.sh",
                                    INSTALL.parent / "arm64-guest.sh",
                                    INSTALL.parent / "locks" / "update.sh"],
                         ids=lambda p: p.name)
def test_scripts_pass_shellcheck(script):
    done = subprocess.run(["shellcheck", "-x", "--severity=style", str(script)],
                          capture_output=True, text=True, timeout=60,
                          cwd=INSTALL.parent.parent)  # `source=` paths are from the repo root
    assert done.returncode == 0, done.stdout


def run_script(script: Path, *args: str, env: dict | None = None) -> str:
    done = subprocess.run(["bash", str(script), *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHON": sys.executable, **(env or {})})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def pi_root(tmp_path):
    """A throwaway root with the boot files of a fresh Pi OS Lite Bookworm."""
    root = tmp_path / "root"
    boot = root / "boot" / "firmware"
    boot.mkdir(parents=True)
    (boot / "config.txt").write_text("# For more options\n#dtparam=i2c_arm=on\n#dtparam=spi=on\n"
                                     "dtparam=audio=on\n\n[all]\n")
    (boot / "cmdline.txt").write_text("console=serial0,115200 console=tty1 root=PARTUUID=1-02 "
                                      "rootfstype=ext4 fsck.repair=yes rootwait\n")
    return root


def snapshot(root: Path) -> dict[str, tuple[str, str]]:
    """Every path under root with its mode and content (or link target)."""
    shot = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            what = "-> " + os.readlink(path)
        elif path.is_file():
            what = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            what = "dir"
        shot[str(path.relative_to(root))] = (oct(path.lstat().st_mode), what)
    return shot


def test_dry_run_prints_the_key_actions_and_changes_nothing(pi_root):
    before = snapshot(pi_root)
    out = run_script(INSTALL, "--dry-run", "--root", str(pi_root))
    assert snapshot(pi_root) == before
    for action in ("dtparam=spi=on", "consoleblank=0", f"{pi_root}/etc/osteo-kiosk/config.toml",
                   f"install -m 0644 {INSTALL.parent}/osteo-kiosk.service "
                   f"{pi_root}/etc/systemd/system/osteo-kiosk.service",
                   "apt-get install espeak-ng", "useradd osteo-kiosk", "pip install"):
        assert action in out, action


def test_dry_run_on_the_live_system_names_every_step():
    out = run_script(INSTALL, "--dry-run")
    assert out.startswith("Dry run")
    assert "apt-get install" in out or "Debian packages already installed" in out
    assert "useradd --system" in out or "user osteo-kiosk exists" in out
    assert "pip install --quiet --disable-pip-version-check --no-input --require-hashes" in out
    assert re.search(r"-r \S+/systemd/locks/pi-py3\.1[13]\.txt$", out, re.MULTILINE)
    assert "--no-deps --no-build-isolation --force-reinstall" in out and "--upgrade" not in out
    # built from a copy: no root-owned build/ or *.egg-info left in the helper's checkout
    built = re.search(r"--force-reinstall (\S+)$", out, re.MULTILINE)
    assert built and Path(built[1]) != REPO and not Path(built[1]).exists()
    for action in ("systemctl enable osteo-kiosk.service", "install -m 0644"):
        assert action in out, action
    assert ("systemctl restart osteo-kiosk.service" in out
            or "it starts after the reboot" in out)


def fake_machine(tmp_path, *, arch="arm64", release="12", model="Raspberry Pi 5 Model B Rev 1.0",
                 python="3.11") -> dict:
    """The environment that makes install.sh judge another machine (its os-release, dpkg's
    architecture, the device tree's model and the Python version)."""
    os_release = tmp_path / "os-release"
    os_release.write_text(f'PRETTY_NAME="Debian GNU/Linux {release}"\nID=debian\n'
                          f'VERSION_ID="{release}"\n')
    dt_model = tmp_path / "model"
    dt_model.write_bytes(model.encode() + b"\0")
    fake_python = tmp_path / f"python{python}"
    fake_python.write_text(f"#!/bin/sh\necho {python}\n")
    fake_python.chmod(0o755)
    return {"OS_RELEASE": str(os_release), "DT_MODEL": str(dt_model), "DPKG_ARCH": arch,
            "PYTHON": str(fake_python)}


@pytest.mark.parametrize(("machine", "sentence"), [
    ({"arch": "armhf"}, "this is armhf Debian GNU/Linux 12, and the kiosk needs 64-bit "
                        "Raspberry Pi OS (Trixie or Bookworm, arm64): write Raspberry Pi OS Lite "
                        "(64-bit) to the card with Raspberry Pi Imager and run this again."),
    ({"release": "11"}, "Debian GNU/Linux 11 is not a supported release: the kiosk runs on "
                        "Raspberry Pi OS Lite (64-bit) Trixie (Debian 13) or Bookworm "
                        "(Debian 12)."),
    ({"python": "3.12"}, "is Python 3.12, and there is a lock only for Python 3.11 (Bookworm) and "
                         "3.13 (Trixie)"),
    ({"model": "Raspberry Pi 3 Model B Rev 1.2"}, "this is Raspberry Pi 3 Model B Rev 1.2; the "
                                                  "kiosk is made for a Raspberry Pi 3B+, 4 or 5"),
])
def test_install_refuses_other_machines_in_one_sentence(tmp_path, machine, sentence):
    out = run_script(INSTALL, "--dry-run", env=fake_machine(tmp_path, **machine))
    [line] = [x for x in out.splitlines() if "would stop here" in x]
    assert sentence in line


@pytest.mark.parametrize(("release", "python", "model"), [
    ("12", "3.11", "Raspberry Pi 3 Model B Plus Rev 1.3"),
    ("13", "3.13", "Raspberry Pi 4 Model B Rev 1.5"),
    ("13", "3.13", "Raspberry Pi 5 Model B Rev 1.0"),
])
def test_install_takes_bookworm_and_trixie_pis(tmp_path, release, python, model):
    out = run_script(INSTALL, "--dry-run", env=fake_machine(tmp_path, release=release,
                                                            python=python, model=model))
    assert "would stop here" not in out
    assert f"/systemd/locks/pi-py{python}.txt" in out
    trixie = python == "3.13"  # no lgpio wheel for 3.13: its hashed sdist is built
    assert ("swig" in out) is trixie  # (apt installs those of swig, gcc, ... still missing)
    assert ("PYPI=1" in out and "--no-binary=lgpio --no-build-isolation" in out) is trixie
    assert "--system-site-packages" not in out


@pytest.mark.skipif(os.geteuid() != 0, reason="the refusal comes after the root check")
def test_a_refused_machine_stops_before_changing_anything(tmp_path):
    done = subprocess.run(["bash", str(INSTALL)], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **fake_machine(tmp_path, arch="armhf")})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("install.sh: this is armhf") and done.stderr.count("\n") == 1


# -- the Pi's locks ---------------------------------------------------------------------------

LOCKS = {"3.11": REPO / "systemd/locks/pi-py3.11.txt", "3.13": REPO / "systemd/locks/pi-py3.13.txt"}


def floors() -> dict[str, str]:
    """setup.cfg's install_requires as {name: lowest version}."""
    text = (REPO / "setup.cfg").read_text()
    block = text.split("install_requires =", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\s+([a-z][a-z0-9-]*)>=([0-9][^;\s]*)", block, re.MULTILINE))


def pins(lock: Path) -> dict[str, tuple[str, int]]:
    """A lock's pins as {name: (version, number of hashes)}."""
    found = re.findall(r"^([a-z0-9-]+)==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]{64})*)",
                       lock.read_text(), re.MULTILINE)
    return {name: (version, hashes.count("--hash=")) for name, version, hashes in found}


@pytest.mark.parametrize("python", sorted(LOCKS))
def test_each_lock_pins_every_dependency_with_hashes_at_or_above_the_floors(python):
    from packaging.version import Version

    locked = pins(LOCKS[python])
    assert locked and all(n >= 1 for _, n in locked.values())  # --require-hashes needs them all
    want = floors()
    assert {"gpiozero", "pygame-ce", "pyttsx3", "lgpio"} <= set(want)
    for name, low in want.items():
        assert Version(locked[name][0]) >= Version(low), (name, locked[name][0], low)
    assert "pygame" not in locked  # the flavour without kmsdrm


@pytest.mark.parametrize("python", sorted(LOCKS))
def test_each_lock_pins_the_setuptools_that_builds_the_kiosk_on_purpose(python):
    from packaging.version import Version

    text = LOCKS[python].read_text()
    block = re.split(r"\n(?=\S)", text.split("\nsetuptools==", 1)[1], maxsplit=1)[0]
    assert "-r systemd/locks/build.in" in block  # asked for, not there by chance (colorzero)
    wanted = re.search(r"^setuptools>=(\S+)$", (REPO / "systemd/locks/build.in").read_text(),
                       re.MULTILINE)
    built_by = re.search(r'"setuptools>=([^"]+)"', (REPO / "pyproject.toml").read_text())
    assert wanted and built_by and wanted[1] == built_by[1]
    assert Version(pins(LOCKS[python])["setuptools"][0]) >= Version(wanted[1])


def test_install_refuses_a_lock_without_setuptools(tmp_path):
    copy = tmp_path / "checkout" / "systemd"
    shutil.copytree(INSTALL.parent / "locks", copy / "locks")
    for name in ("install.sh", "lib.sh"):
        shutil.copy(INSTALL.parent / name, copy / name)
    lock = copy / "locks" / "pi-py3.11.txt"
    text = lock.read_text()
    start = text.index("\nsetuptools==")
    end = text.find("\n", text.index("    # via", start) + 1)
    lock.write_text(text[:start] + "\n" + (text[end + 1:] if end > 0 else ""))
    assert "setuptools" not in lock.read_text()
    out = run_script(copy / "install.sh", "--dry-run", env=fake_machine(tmp_path))
    [line] = [x for x in out.splitlines() if "would stop here" in x]
    assert "pi-py3.11.txt pins no setuptools" in line and "systemd/locks/update.sh" in line


def test_uninstall_purges_only_our_packages_that_nothing_else_needs(tmp_path):
    """lib.sh's apt_unneeded against an apt-get that simulates an autoremove."""
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "apt-get").write_text(
        "#!/bin/sh\ncase \"$*\" in \"-s \"*\" autoremove\") ;; *) exit 9 ;; esac\n"
        "printf 'Reading package lists...\\nRemv swig [4.1.0-0.2]\\n"
        "Remv libpython3.13-dev:arm64 [3.13.5-2]\\nRemv someone-elses [1.0]\\n'\n")
    (fake / "apt-get").chmod(0o755)
    done = subprocess.run(
        ["bash", "-c", f"source {INSTALL.parent / 'lib.sh'}; "
         "apt_unneeded swig libpython3.13-dev espeak-ng"],
        capture_output=True, text=True, timeout=30,
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["swig", "libpython3.13-dev"]  # espeak-ng: still needed


@pytest.mark.parametrize("noted", [True, False])
def test_a_dry_run_purge_names_the_packages_install_noted_and_removes_nothing(tmp_path, noted):
    made = tmp_path / "install.made"
    made.write_text("user osteo-kiosk\n" + ("apt swig\napt espeak-ng\napt gone-since\n" if noted
                                            else ""))
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "dpkg-query").write_text("#!/bin/sh\nprintf 'ii  bash\\nii  espeak-ng\\nii  swig\\n'\n")
    (fake / "dpkg-query").chmod(0o755)
    out = run_script(UNINSTALL, "--dry-run", "--purge",
                     env={"MADE": str(made), "PATH": f"{fake}:{os.environ['PATH']}"})
    if noted:  # still installed, so marked and offered to apt; gone-since is gone already
        assert "+ apt-mark auto espeak-ng swig\n" in out
        assert "apt-get purge of those that apt autoremove would then remove" in out
    else:  # an older install noted none: Debian packages are left as they are
        assert "apt-mark" not in out and "no Debian packages noted" in out
    assert made.read_text().startswith("user osteo-kiosk\n")


def test_the_floors_are_the_versions_verified_to_work():
    assert floors() == {"gpiozero": "2.0.1.post3", "pygame-ce": "2.5.0", "pyttsx3": "2.91",
                        "lgpio": "0.2.2.0"}


def test_install_into_a_root_creates_the_files_and_is_idempotent(pi_root):
    out = run_script(INSTALL, env={"DESTDIR": str(pi_root)})
    unit = pi_root / "etc/systemd/system/osteo-kiosk.service"
    conf = pi_root / "etc/osteo-kiosk/config.toml"
    assert unit.read_text() == UNIT.read_text()
    assert unit.stat().st_mode & 0o777 == 0o644 and conf.stat().st_mode & 0o777 == 0o644
    loaded = config.load(conf)  # the default config is valid and points at the state dir
    assert loaded.data_dir == Path("/var/lib/osteo-kiosk")
    assert loaded.storage.log_group == "osteo-kiosk"
    assert os.readlink(pi_root / "usr/local/bin/osteo-kiosk") == EXEC
    boot = pi_root / "boot/firmware"
    assert (boot / "config.txt").read_text().splitlines().count("dtparam=spi=on") == 1
    cmdline = (boot / "cmdline.txt").read_text()
    assert cmdline.count("\n") == 1 and cmdline.split().count("consoleblank=0") == 1
    assert cmdline.startswith("console=serial0,115200 console=tty1 root=PARTUUID=1-02 ")
    if shutil.which("systemctl"):
        wants = pi_root / "etc/systemd/system/multi-user.target.wants/osteo-kiosk.service"
        assert os.readlink(wants) == "/etc/systemd/system/osteo-kiosk.service"
    assert "Reboot once" in out

    with conf.open("a") as f:
        f.write("# the helper's own note\n")
    first = snapshot(pi_root)
    again = run_script(INSTALL, "--root", str(pi_root))
    assert snapshot(pi_root) == first  # nothing changed, the helper's edit kept
    assert "= keeping" in again and "= SPI already enabled" in again
    assert "Reboot once" not in again


def test_uninstall_keeps_the_log_unless_purged(pi_root):
    run_script(INSTALL, "--root", str(pi_root))
    log = pi_root / "var/lib/osteo-kiosk/log.sqlite"
    log.parent.mkdir(parents=True)
    log.write_text("every set ever done")
    out = run_script(UNINSTALL, "--root", str(pi_root))
    assert log.read_text() == "every set ever done"
    assert (pi_root / "etc/osteo-kiosk/config.toml").exists()
    assert not (pi_root / "etc/systemd/system/osteo-kiosk.service").exists()
    assert not (pi_root / "usr/local/bin/osteo-kiosk").is_symlink()
    assert not list((pi_root / "etc/systemd/system").rglob("osteo-kiosk*"))
    assert "kept the log" in out

    run_script(UNINSTALL, "--purge", "--root", str(pi_root))
    assert not log.parent.exists() and not (pi_root / "etc/osteo-kiosk").exists()


def test_uninstall_dry_run_changes_nothing(pi_root):
    run_script(INSTALL, "--root", str(pi_root))
    before = snapshot(pi_root)
    out = run_script(UNINSTALL, "--dry-run", "--purge", "--root", str(pi_root))
    assert snapshot(pi_root) == before
    assert "rm -rf" in out and "var/lib/osteo-kiosk" in out
