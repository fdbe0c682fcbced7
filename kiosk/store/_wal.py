"""Check the write-ahead file before SQLite replays it, because SQLite is silent about damage
there: it replays frames up to the first whose checksum fails and ignores the rest, so one
flipped byte can drop every set logged after it. Reading the frames ourselves tells a torn last
write (a power cut mid-frame: expected, nothing committed is lost) from damage in the middle
(later frames still check out: committed records would be lost), and only the second is
reported. Frame layout and checksum as in SQLite's file format document, section 4.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_MAGIC = (0x377F0682, 0x377F0683)  # checksums little-endian, big-endian
_HEADER = 32
_FRAME_HEADER = 24


def _checksum(data: bytes, big: bool, s0: int = 0, s1: int = 0) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


@dataclass(frozen=True, slots=True)
class WalCheck:
    """What the write-ahead file holds: frames SQLite will replay, and frames it will drop."""

    frames: int = 0  #: frames of the current generation (matching salts)
    good: int = 0  #: frames SQLite replays (up to the first bad checksum)
    bad_at: int | None = None  #: the first frame whose checksum fails (0-based), if any
    lost_commits: int = 0  #: committed transactions after it that SQLite will not replay
    header_damaged: bool = False

    @property
    def damaged(self) -> bool:
        """Damage that loses committed data (a torn final write is not damage)."""
        return self.header_damaged or self.lost_commits > 0

    def describe(self) -> str:
        if self.header_damaged:
            return "its header is damaged, so none of its frames can be replayed"
        return (f"frame {self.bad_at} of {self.frames} fails its checksum, so "
                f"{self.lost_commits} committed write(s) after it cannot be replayed")


def check_wal(wal: Path) -> WalCheck:
    """Read ``wal`` frame by frame; an absent or empty file is a clean one."""
    try:
        data = wal.read_bytes()
    except OSError:
        return WalCheck()
    if len(data) < _HEADER:
        return WalCheck()
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", data[:32])
    if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
        # a header of zeros is what SQLite leaves after a reset; anything else is damage
        return WalCheck(header_damaged=any(data[:_HEADER]))
    big = magic == _MAGIC[1]
    if _checksum(data[:24], big) != (c0, c1):
        return WalCheck(header_damaged=True)
    size = _FRAME_HEADER + page_size
    seed = (c0, c1)
    frames = good = commits_after = 0
    bad_at: int | None = None
    checks_after = False
    for off in range(_HEADER, len(data) - size + 1, size):
        head = data[off:off + _FRAME_HEADER]
        _page, commit, fs1, fs2, f0, f1 = struct.unpack(">6I", head)
        if (fs1, fs2) != (salt1, salt2):
            break  # an older generation's frame: SQLite stops here too
        frames += 1
        ok = _checksum(data[off + _FRAME_HEADER:off + size],
                       big, *_checksum(head[:8], big, *seed)) == (f0, f1)
        if bad_at is None:
            if ok:
                good += 1
            else:
                bad_at = frames - 1
        elif ok:
            checks_after = True  # a torn last write leaves nothing valid behind it
        if bad_at is not None and commit:
            commits_after += 1
        seed = (f0, f1)  # each frame's stored checksum seeds the next
    lost = commits_after if checks_after else 0
    return WalCheck(frames, good, bad_at, lost)
