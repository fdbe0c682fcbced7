#!/usr/bin/env python3
"""Prove that the pygame-ce wheel each Pi lock pins can draw on Pi OS Lite: its bundled SDL has
the KMSDRM video driver (pygame-ce 2.4.x wheels for aarch64 had none, and the kiosk stayed black).

Network-light: it asks PyPI for the release's file list, keeps the manylinux aarch64 wheel for
the lock's Python whose sha256 is one of the lock's hashes (so it is the very file install.sh
would install), then reads only that wheel's zip directory and the libSDL2 member with HTTP
range requests (about 1.5 MB instead of 12 MB).

    python3 systemd/locks/kmsdrm.py [systemd/locks/pi-py3.11.txt ...]
"""

from __future__ import annotations

import io
import json
import re
import sys
import urllib.request
import zipfile
from pathlib import Path

LOCKS = sorted(Path(__file__).parent.glob("pi-py*.txt"))
TIMEOUT_S = 60


class HttpRange(io.RawIOBase):
    """A read-only, seekable file over HTTP range requests: enough for ``zipfile``."""

    def __init__(self, url: str, size: int):
        self.url, self.size, self.pos = url, size, 0
        self.fetched = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = base + offset
        return self.pos

    def readinto(self, buf) -> int:  # type: ignore[no-untyped-def]
        want = min(len(buf), self.size - self.pos)
        if want <= 0:
            return 0
        req = urllib.request.Request(
            self.url, headers={"Range": f"bytes={self.pos}-{self.pos + want - 1}"})
        with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
            data = resp.read()
        if len(data) != want:
            raise OSError(f"{self.url}: asked for {want} bytes, got {len(data)} "
                          "(no range support?)")
        buf[:want] = data
        self.pos += want
        self.fetched += want
        return want


def pinned(lock: Path, name: str) -> tuple[str, set[str]]:
    """The version and the hashes the lock pins for ``name``."""
    text = lock.read_text()
    found = re.search(rf"^{re.escape(name)}==(\S+)((?:\s*\\\s*--hash=sha256:[0-9a-f]+)+)",
                      text, re.MULTILINE)
    if not found:
        raise SystemExit(f"{lock}: no hashed pin for {name}")
    return found[1], set(re.findall(r"sha256:([0-9a-f]{64})", found[2]))


def check(lock: Path) -> str:
    """One line about the lock's pygame-ce wheel; raises SystemExit when it lacks KMSDRM."""
    py = re.search(r"py(\d)\.(\d+)", lock.name)
    if not py:
        raise SystemExit(f"{lock}: the name must say the Python version (pi-py3.11.txt)")
    if not lock.is_file():
        raise SystemExit(f"{lock}: no such lock file")
    tag = f"cp{py[1]}{py[2]}"
    version, hashes = pinned(lock, "pygame-ce")
    with urllib.request.urlopen("https://pypi.org/pypi/pygame-ce/json", timeout=TIMEOUT_S) as resp:
        files = json.load(resp)["releases"].get(version, [])
    wheel = next((f for f in files if f"-{tag}-" in f["filename"]
                  and "aarch64" in f["filename"] and "musllinux" not in f["filename"]
                  and f["digests"]["sha256"] in hashes), None)
    if wheel is None:
        raise SystemExit(f"{lock}: pygame-ce {version} has no pinned manylinux aarch64 wheel "
                         f"for {tag}")
    remote = HttpRange(wheel["url"], wheel["size"])
    with zipfile.ZipFile(io.BufferedReader(remote, buffer_size=256 * 1024)) as whl:
        sdl = [n for n in whl.namelist() if re.search(r"/libSDL2-2[^/]*\.so", n)]
        if not sdl:
            raise SystemExit(f"{lock}: {wheel['filename']} bundles no libSDL2")
        hits = whl.read(sdl[0]).count(b"KMSDRM")
    if hits == 0:
        raise SystemExit(f"{lock}: {wheel['filename']}'s {sdl[0]} has no KMSDRM video driver: "
                         "the kiosk could not draw without a desktop; raise the pygame-ce pin")
    return (f"{lock.name}: {wheel['filename']} bundles {sdl[0].rsplit('/', 1)[-1]} with KMSDRM "
            f"({hits} mentions; {remote.fetched // 1024} KiB read of {wheel['size'] // 1024})")


def main(argv: list[str]) -> int:
    for lock in [Path(a) for a in argv] or LOCKS:
        try:
            print(check(lock))
        except OSError as exc:  # no network, PyPI down: say so in one line
            raise SystemExit(f"{lock}: cannot read the wheel from PyPI: {exc}") from None
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
