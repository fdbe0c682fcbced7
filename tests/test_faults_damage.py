"""A damaged log (issue 13, point 5): an empty or headerless file is an incident, the damaged
file is kept, intact pages are salvaged and the newest backup fills the rest; damage in the
write-ahead file is reported, not silent; ``log`` and ``doctor`` say what happened."""

import shutil
from datetime import UTC, date, datetime, timedelta

import pytest

from kiosk import config
from kiosk.cli import main
from kiosk.store._doctor import doctor_checks
from kiosk.store._wal import check_wal
from kiosk.store.db import Store, store_path
from kiosk.store.records import Landed, StepStarted

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def log_sessions(store: Store, first_day: int, days: int, landings: int = 8) -> None:
    for d in range(first_day, first_day + days):
        at = T0 + timedelta(days=d)
        sid = store.begin_session(slot="morning", started_utc=at, plan_date=at.date())
        step = store.begin_step(sid, StepStarted("stomp", "stomp", "stomps"), at=at)
        for i in range(landings):
            store.add_landing(step, Landed("left" if i % 2 else "right", float(i), 2.0, True),
                              at=at)


def count(store: Store, table: str) -> int:
    return store._rows(f"SELECT COUNT(*) FROM {table}")[0][0]


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "log.sqlite"


def test_an_empty_log_is_an_incident_and_the_newest_backup_is_restored(path):
    store = Store.open(path, now=lambda: T0, backup=False)
    log_sessions(store, 0, 3)
    store.backup_if_due()
    store.close()
    path.write_bytes(b"")  # the card lost the file's contents
    store = Store.open(path, now=lambda: T0 + timedelta(days=1), backup=False)
    try:
        assert count(store, "sessions") == 3 and count(store, "landings") == 24
        [notice] = store.notices
        assert "empty (0 bytes)" in notice and "restored from the backup" in notice
        kept = list(path.parent.glob("log.sqlite.damaged-*"))
        assert len(kept) == 1 and kept[0].stat().st_size == 0
        assert store.incidents()[0]["kind"] == "repaired"
    finally:
        store.close()


def test_a_zeroed_header_salvages_every_intact_page_not_just_the_backup(path):
    store = Store.open(path, now=lambda: T0, backup=False)
    log_sessions(store, 0, 2)
    store.backup_if_due()  # the backup has 2 sessions ...
    log_sessions(store, 2, 15)  # ... the log 15 more (120 landings) since
    store.close()
    with open(path, "r+b") as fh:
        fh.write(bytes(100))  # the file header, zeroed
    store = Store.open(path, now=lambda: T0 + timedelta(days=30), backup=False)
    try:
        assert count(store, "sessions") == 17 and count(store, "landings") == 17 * 8
        assert "header was gone" in store.notices[0]
        assert store.sessions(limit=1)[0]["plan_date"] == (T0 + timedelta(days=16)).date() \
            .isoformat()
    finally:
        store.close()


def power_cut_copy(path, to):
    """The log and its write-ahead file as a power cut leaves them (never checkpointed)."""
    to.mkdir()
    for suffix in ("", "-wal"):
        shutil.copy2(str(path) + suffix, str(to / "log.sqlite") + suffix)
    return to / "log.sqlite"


def cut_while_logging(path, to, days: int, landings: int):
    store = Store.open(path, now=lambda: T0, backup=False)
    try:
        log_sessions(store, 0, days, landings=landings)
        return power_cut_copy(path, to)
    finally:
        store.close()


def test_a_flipped_byte_in_the_write_ahead_file_is_reported_not_silent(path, tmp_path):
    cut = cut_while_logging(path, tmp_path / "cut", days=4, landings=4)
    wal = cut.with_name("log.sqlite-wal")
    assert check_wal(wal).frames > 10 and not check_wal(wal).damaged
    data = bytearray(wal.read_bytes())
    data[32 + 24 + 4096 * 2 + 600] ^= 0x10  # inside the page of the third frame
    wal.write_bytes(bytes(data))
    found = check_wal(wal)
    assert found.damaged and found.bad_at == 2 and found.lost_commits > 5
    again = Store.open(cut, now=lambda: T0 + timedelta(days=1), backup=False)
    try:
        note = next(n for n in again.notices if "write-ahead" in n)
        assert "frame 2 of" in note and "cannot be replayed" in note
        assert list(cut.parent.glob("log.sqlite-wal.damaged-*"))
        assert again.incidents()[0]["kind"] == "wal"
    finally:
        again.close()


def test_a_torn_last_write_in_the_write_ahead_file_is_not_damage(path, tmp_path):
    cut = cut_while_logging(path, tmp_path / "cut", days=2, landings=2)
    wal = cut.with_name("log.sqlite-wal")
    data = bytearray(wal.read_bytes())
    data[-100] ^= 0xFF  # the power failed while the last frame was written
    wal.write_bytes(bytes(data))
    assert not check_wal(wal).damaged
    again = Store.open(cut, backup=False)
    assert not [n for n in again.notices if "write-ahead" in n]
    again.close()


def test_log_and_doctor_say_what_happened(capsys):
    cfg = config.defaults()
    path = store_path(cfg)
    store = Store.open(path, now=lambda: T0, backup=False)
    log_sessions(store, 0, 1)
    store.close()
    path.write_bytes(b"")
    Store.open(path, backup=False).close()
    assert main(["log"]) == 0
    assert "empty (0 bytes)" in capsys.readouterr().out
    [check] = [c for c in doctor_checks(cfg) if c.name == "log"]
    assert check.ok is None and "empty (0 bytes)" in check.detail
    assert date.today().isoformat() in check.detail
