"""No network (issue 13, point 9): the running kiosk holds no inet socket of any kind. Health
data stays on the Pi; the helper reads it over SSH, which is the system's, not ours.

A process's sockets are the ``socket:[inode]`` links in ``/proc/<pid>/fd``; the inet ones are
those whose inode is listed in its network namespace's ``/proc/<pid>/net/{tcp,udp,raw}[6]``.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

INET_TABLES = ("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "udplite", "udplite6")


def socket_inodes(pid: int) -> set[int]:
    found = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue  # closed meanwhile
        if target.startswith("socket:["):
            found.add(int(target[8:-1]))
    return found


def inet_inodes(pid: int) -> set[int]:
    found = set()
    for table in INET_TABLES:
        try:
            lines = Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]
        except OSError:
            continue
        found.update(int(line.split()[9]) for line in lines if line.split())
    return found


def inet_sockets(pid: int) -> set[int]:
    return socket_inodes(pid) & inet_inodes(pid)


def test_the_check_sees_an_inet_socket_when_there_is_one():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        assert inet_sockets(os.getpid())
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM):
        assert not inet_sockets(os.getpid())  # a local socket is not the network


def test_the_running_kiosk_has_no_inet_socket(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy"}
    env.pop("OSTEO_KIOSK_CONFIG", None)
    proc = subprocess.Popen([sys.executable, "-m", "kiosk.cli", "run", "--windowed", "--mat",
                             "sim", "--frames", "300"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    seen: set[int] = set()
    checks = 0
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                seen |= inet_sockets(proc.pid)
                threads = len(os.listdir(f"/proc/{proc.pid}/task"))
            except (FileNotFoundError, ProcessLookupError):
                break
            checks += threads > 1  # counted once the kiosk's workers are up
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
        _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert checks >= 5, "the kiosk ended before it could be looked at"
    assert seen == set()
