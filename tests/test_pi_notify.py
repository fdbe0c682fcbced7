"""sd_notify over a real AF_UNIX datagram socket, and a watchdog that stops petting on a stall."""

import logging
import os
import socket
import uuid

import pytest

from kiosk import notify
from kiosk.clock import FakeClock
from kiosk.notify import Watchdog


@pytest.fixture
def listener(tmp_path):
    """A socket where systemd would listen, and the env that names it."""
    path = tmp_path / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(2.0)
    yield sock, {"NOTIFY_SOCKET": str(path)}
    sock.close()


def test_ready_reaches_the_socket_with_a_status(listener):
    sock, env = listener
    assert notify.ready("mat and screen up", env=env)
    assert sock.recv(4096) == b"READY=1\nSTATUS=mat and screen up"


def test_status_line(listener):
    sock, env = listener
    assert notify.status("waiting for the mat", env=env)
    assert sock.recv(4096) == b"STATUS=waiting for the mat"


def test_an_abstract_socket_is_named_with_an_at_sign():
    name = f"osteo-kiosk-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2.0)
        assert notify.notify("WATCHDOG=1", env={"NOTIFY_SOCKET": "@" + name})
        assert sock.recv(4096) == b"WATCHDOG=1"


@pytest.mark.parametrize("env", [{}, {"NOTIFY_SOCKET": ""}, {"NOTIFY_SOCKET": "vsock:2:1"},
                                 {"NOTIFY_SOCKET": "/nonexistent/notify.sock"}])
def test_outside_systemd_notify_is_a_quiet_no(env):
    assert notify.notify("READY=1", env=env) is False


def test_watchdog_interval_is_half_of_watchdog_sec():
    pid = str(os.getpid())
    assert notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": pid}) == 15.0
    assert notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert notify.watchdog_interval_s({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert notify.watchdog_interval_s({}) is None
    assert notify.watchdog_interval_s({"WATCHDOG_USEC": "soon"}) is None


PARTS = ("frame", "sampler", "speech")


@pytest.fixture
def dog():
    clock = FakeClock()
    sent: list[str] = []
    wd = Watchdog(10.0, clock, send=sent.append)
    for part in PARTS:
        wd.register(part)
    return wd, clock, sent


def beat(wd, parts=PARTS):
    for part in parts:
        wd.beat(part)


def test_pings_once_the_interval_passed_and_every_part_progressed(dog):
    wd, clock, sent = dog
    beat(wd)
    clock.advance(9.9)
    assert not wd.poll() and sent == []
    clock.advance(0.1)
    assert wd.poll() and sent == ["WATCHDOG=1"]
    assert not wd.poll()  # not again until the next interval


def test_a_stalled_part_withholds_the_ping_until_it_moves_again(dog, caplog):
    wd, clock, sent = dog
    beat(wd)
    clock.advance(10)
    assert wd.poll()
    beat(wd, ("frame", "speech"))  # the sampler hangs
    clock.advance(10)
    with caplog.at_level(logging.WARNING, logger="kiosk.notify"):
        assert not wd.poll()
        clock.advance(5)
        beat(wd, ("frame", "speech"))
        assert not wd.poll()
    assert wd.stalled() == ["sampler"]
    assert sent == ["WATCHDOG=1"]
    assert [r.getMessage() for r in caplog.records] == [
        "watchdog withheld: no progress from sampler"]  # said once per stall, not per frame
    wd.beat("sampler")
    assert wd.poll() and sent == ["WATCHDOG=1"] * 2


def test_beats_before_a_ping_do_not_count_for_the_next_one(dog):
    wd, clock, sent = dog
    beat(wd)
    clock.advance(10)
    assert wd.poll()
    clock.advance(10)
    assert not wd.poll()
    assert wd.stalled() == list(PARTS)
    assert sent == ["WATCHDOG=1"]


def test_a_progress_counter_counts_as_a_beat():
    clock = FakeClock()
    sent: list[str] = []
    worker = {"beats": 0}
    wd = Watchdog(10.0, clock, send=sent.append)
    wd.register("speech", progress=lambda: worker["beats"])
    clock.advance(10)
    assert not wd.poll()  # the counter has not moved since it was registered
    worker["beats"] += 1
    assert wd.poll() and sent == ["WATCHDOG=1"]
    clock.advance(10)
    assert not wd.poll()


def test_without_a_watchdog_in_the_unit_it_never_pings():
    sent: list[str] = []
    wd = Watchdog(None, FakeClock(), send=sent.append)
    wd.register("frame")
    wd.beat("frame")
    assert not wd.poll() and sent == []


def test_a_real_ping_reaches_the_socket(listener, monkeypatch):
    sock, env = listener
    monkeypatch.setenv("NOTIFY_SOCKET", env["NOTIFY_SOCKET"])
    monkeypatch.setenv("WATCHDOG_USEC", "4000000")
    clock = FakeClock()
    wd = Watchdog.from_env(clock)
    wd.register("frame")
    wd.beat("frame")
    clock.advance(2.0)
    assert wd.poll()
    assert sock.recv(4096) == b"WATCHDOG=1"


def test_the_kiosk_watchdog_beats_per_frame_and_reads_the_other_parts_counters(
        listener, monkeypatch):
    sock, env = listener
    monkeypatch.setenv("NOTIFY_SOCKET", env["NOTIFY_SOCKET"])
    monkeypatch.setenv("WATCHDOG_USEC", "20000000")
    monkeypatch.delenv("WATCHDOG_PID", raising=False)
    clock = FakeClock()
    counters = {"sampler": 0, "speech": 0}
    wd = Watchdog.for_kiosk(clock, sampler=lambda: counters["sampler"],
                            speech=lambda: counters["speech"])
    assert wd.ready("up")
    assert sock.recv(4096) == b"READY=1\nSTATUS=up"
    clock.advance(10)
    counters["sampler"] += 250
    assert not wd.frame()  # the speech worker has not moved
    assert wd.stalled() == ["speech"]
    counters["speech"] += 1
    assert wd.frame()
    assert sock.recv(4096) == b"WATCHDOG=1"


def test_backoff_grows_after_repeated_starts_and_resets_after_quiet():
    from kiosk.notify import backoff_s

    assert backoff_s([], 1000.0) == 0.0
    assert backoff_s([990.0], 1000.0) == 5.0
    assert backoff_s([900.0, 950.0, 990.0], 1000.0) == 20.0
    assert backoff_s([float(t) for t in range(500, 1000, 10)], 1000.0) == 300.0
    assert backoff_s([100.0], 1000.0) == 0.0  # more than ten minutes ago


def test_crash_backoff_records_starts_and_waits_only_under_systemd(tmp_path):
    import socket

    from kiosk.notify import crash_backoff

    waited: list[float] = []
    assert crash_backoff(env={}, sleep=waited.append) == 0.0  # not under systemd
    sock_path = tmp_path / "notify.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(sock_path))
    server.settimeout(1.0)
    env = {"RUNTIME_DIRECTORY": str(tmp_path), "NOTIFY_SOCKET": str(sock_path)}
    try:
        assert crash_backoff(env, sleep=waited.append, now=1000.0) == 0.0
        assert crash_backoff(env, sleep=waited.append, now=1010.0) == 5.0
        assert crash_backoff(env, sleep=waited.append, now=1020.0) == 10.0
        assert waited == [5.0, 10.0]
        messages = [server.recv(4096).decode() for _ in range(4)]
        assert any(m.startswith("EXTEND_TIMEOUT_USEC=") for m in messages)
        assert (tmp_path / "starts").read_text().split() == ["1000", "1010", "1020"]
    finally:
        server.close()


@pytest.mark.parametrize("result, code, status, forgets", [
    ("success", "killed", "TERM", True),      # systemctl stop / restart (a helper's edit)
    ("exit-code", "exited", "1", False),      # a crash
    ("watchdog", "killed", "ABRT", False),    # a hang the watchdog ended
    ("signal", "killed", "KILL", False),      # the kernel's OOM killer
    ("success", "exited", "0", False),        # an exit of its own
])
def test_a_stop_systemd_asked_for_forgets_the_starts_a_crash_keeps_them(
        tmp_path, result, code, status, forgets):
    """The unit's ExecStopPost, run as systemd runs it (``$$`` is systemd's escaped ``$``)."""
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("sh"):
        pytest.skip("no sh")
    unit = Path(__file__).resolve().parents[1] / "systemd" / "osteo-kiosk.service"
    lines = [ln for ln in unit.read_text().splitlines() if ln.startswith("ExecStopPost=")]
    assert len(lines) == 1
    command = lines[0].split("=", 1)[1].replace("$$", "$")
    assert command.startswith("/bin/sh -c '") and command.endswith("'")
    starts = tmp_path / "starts"
    starts.write_text("1000 1010")
    env = {"PATH": "/usr/bin:/bin", "RUNTIME_DIRECTORY": str(tmp_path),
           "SERVICE_RESULT": result, "EXIT_CODE": code, "EXIT_STATUS": status}
    done = subprocess.run(["/bin/sh", "-c", command[len("/bin/sh -c '"):-1]], env=env,
                          timeout=10)
    assert done.returncode == 0
    assert starts.exists() is not forgets
