"""Nothing completed is lost: a killed writer, readers during writes, a damaged file at start."""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import UTC, date, datetime

import pytest

from kiosk import config as config_mod
from kiosk.cli import main
from kiosk.store import _repair, db
from kiosk.store.commands import collect_report
from kiosk.store.db import Store, StoreError, open_reader
from kiosk.store.records import Landed, SetDone, StepStarted
from kiosk.store.reports import Prescription

T0 = datetime(2024, 5, 13, 7, 0, tzinfo=UTC)
DAY = date(2024, 5, 13)

WRITER = r"""
import sys, time
from datetime import UTC, date, datetime
from pathlib import Path
from kiosk.store.db import Store
from kiosk.store.records import SessionFinished, SetDone, StepFinished, StepStarted
store = Store.open(Path(sys.argv[1]))
sid = store.begin_session(slot="morning", started_utc=datetime.now(UTC), plan_date=date.today())
step = store.begin_step(sid, StepStarted(exercise_id="goblet_squat", kind="strength",
                                         block="strength", target={"sets": int(sys.argv[2])}))
for n in range(1, int(sys.argv[2]) + 1):
    store.add_set(step, SetDone(set_no=n, reps=8, load_kg=4.0))
    print(n, flush=True)
if sys.argv[3] == "hang":
    time.sleep(120)
store.finish_step(step, StepFinished(status="done", achieved={"sets": int(sys.argv[2])}))
store.finish_session(sid, SessionFinished(status="done"), ended_utc=datetime.now(UTC))
"""


@pytest.fixture
def path():
    """The log where the CLI looks for it (the test's XDG data folder)."""
    return db.store_path(config_mod.defaults())


def _writer(path, sets: int, hang: bool) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(sets),
                             "hang" if hang else "run"], stdout=subprocess.PIPE, text=True)


def test_a_writer_killed_mid_session_loses_no_completed_set(path, capsys):
    proc = _writer(path, 3, hang=True)
    try:
        assert [proc.stdout.readline().strip() for _ in range(3)] == ["1", "2", "3"]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    reader = open_reader(path)
    [session] = reader.sessions()
    reader.close()
    assert session["status"] == "interrupted" and session["sets"] == 3
    assert main(["log"]) == 0
    assert "interrupted" in capsys.readouterr().out
    store = Store.open(path)  # the next kiosk start closes it for good
    assert store._rows("SELECT status FROM sessions") == [("interrupted",)]
    assert store._rows("SELECT COUNT(*) FROM strength_sets") == [(3,)]
    store.close()


def test_readers_never_block_or_fail_while_the_kiosk_writes(path):
    store = Store.open(path)
    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=date.today())
    step = store.begin_step(sid, StepStarted(exercise_id="stomp", kind="stomp", block="stomps",
                                             target={}))
    done = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        try:
            for n in range(300):
                store.add_landing(step, Landed(foot="left", t_s=n, peak_bw=1.6, stomp=True))
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    seen, reads = [], 0
    while not done.is_set() or reads < 3:
        reader = open_reader(path)
        seen.append(reader.sessions()[0]["stomps_left"])
        collect_report(reader, Prescription(), date.today())
        reader.export_table("landings")
        reader.close()
        reads += 1
    thread.join()
    store.close()
    assert failures == []
    assert seen == sorted(seen) and len(seen) >= 3
    reader = open_reader(path)
    assert reader.sessions()[0]["stomps_left"] == 300
    reader.close()


def test_a_reader_holding_a_snapshot_does_not_block_the_writer(path):
    store = Store.open(path)
    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    step = store.begin_step(sid, StepStarted(exercise_id="squat", kind="strength",
                                             block="strength", target={}))
    reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM strength_sets").fetchone() == (0,)
    store.add_set(step, SetDone(set_no=1, reps=8, load_kg=4.0))  # would raise "database is locked"
    assert reader.execute("SELECT COUNT(*) FROM strength_sets").fetchone() == (0,)
    reader.execute("COMMIT")
    assert reader.execute("SELECT COUNT(*) FROM strength_sets").fetchone() == (1,)
    reader.close()
    store.close()


def test_the_commands_work_while_another_process_writes(path, capsys):
    Store.open(path).close()
    proc = _writer(path, 400, hang=False)
    codes = []
    try:
        while proc.poll() is None or len(codes) < 6:
            codes += [main(["log", "--json"]), main(["report", "--json"])]
    finally:
        proc.wait()
        proc.stdout.close()
    err = capsys.readouterr().err
    assert proc.returncode == 0
    assert set(codes) == {0}, err
    assert "locked" not in err


# --- a damaged file at start -----------------------------------------------------------------

def _fill(path, sessions: int = 40, sets: int = 400) -> None:
    store = Store.open(path, backup=False)
    for _ in range(sessions):
        store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    step = store.begin_step(1, StepStarted(exercise_id="goblet_squat", kind="strength",
                                           block="strength", target={}))
    store.bulk_insert("strength_sets", ("step_id", "set_no", "reps", "load_kg", "created_utc"),
                      [(step, n, 8, 4.0, "2024-05-13T07:00:00.000Z") for n in range(sets)])
    store.close()  # checkpoints the WAL into the file


def _page_size_and_root(path, name: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0]
    conn.close()
    return size, root


def _first_child(path, page_size: int, page: int) -> int:
    """The first child page of an interior table b-tree page (read straight from the file)."""
    with open(path, "rb") as fh:
        fh.seek((page - 1) * page_size)
        raw = fh.read(page_size)
    assert raw[0] == 0x05, "not an interior table page; add more rows"
    cell = int.from_bytes(raw[12:14], "big")
    return int.from_bytes(raw[cell:cell + 4], "big")


def _smash(path, page_size: int, page: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(b"\xa5" * page_size)


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_fresh_log_starts(path):
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not an SQLite file " * 200)
    store = Store.open(path)
    [notice] = store.notices
    [aside] = path.parent.glob("log.sqlite.damaged-*")
    assert aside.name in notice and aside.read_bytes().startswith(b"this is not")
    store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    assert [i["kind"] for i in store.incidents()] == ["repaired"]
    store.close()
    again = Store.open(path)  # shown once: the next start is quiet, and there is no loop
    assert again.notices == [] and len(list(path.parent.glob("log.sqlite.damaged-*"))) == 1
    assert len(again.sessions()) == 1
    again.close()


def test_a_damaged_index_loses_nothing(path):
    _fill(path)
    size, root = _page_size_and_root(path, "strength_sets_by_step")
    _smash(path, size, root)
    assert db.check_file(path) is not None
    store = Store.open(path)
    assert len(store.notices) == 1
    assert store._rows("SELECT COUNT(*) FROM sessions") == [(40,)]
    assert store._rows("SELECT COUNT(*) FROM strength_sets") == [(400,)]
    assert db.check_file(path) is None
    store.close()


def test_a_damaged_table_page_is_salvaged_row_by_row_around_it(path):
    _fill(path)
    size, root = _page_size_and_root(path, "strength_sets")
    _smash(path, size, _first_child(path, size, root))
    store = Store.open(path)
    kept = store._rows("SELECT COUNT(*) FROM strength_sets")[0][0]
    assert 0 < kept < 400
    assert store._rows("SELECT COUNT(*) FROM sessions") == [(40,)]
    assert "records were copied" in store.notices[0]
    store.close()


def test_a_busy_log_is_never_mistaken_for_a_damaged_one(path, monkeypatch):
    _fill(path, sessions=1, sets=1)
    monkeypatch.setattr(_repair, "BUSY_TIMEOUT_S", 0.05)  # the start-up check's wait
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="cannot"):
            Store.open(path)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(path.parent.glob("log.sqlite.damaged-*")) == []


# --- readers on a damaged file; salvage from the newest backup -------------------------------

@pytest.mark.parametrize("smashed, argv", [
    ("strength_sets", ["report", "--week-of", DAY.isoformat()]),
    ("strength_sets", ["export", "--json", "-"]),
    ("strength_sets_by_step", ["log", "--limit", "0"]),
])
def test_readers_on_a_damaged_page_say_so_and_how_it_is_repaired(path, capsys, smashed, argv):
    _fill(path)
    size, root = _page_size_and_root(path, smashed)
    _smash(path, size, root if smashed.endswith("_by_step") else _first_child(path, size, root))
    before = path.read_bytes()
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert f"the log at {path} is damaged" in err
    assert "repairs it at its next start (`sudo systemctl restart osteo-kiosk` on the Pi)" in err
    assert "malformed" not in err
    assert path.read_bytes() == before  # readers never repair


def _backup_now(path, day: date) -> Store:
    store = Store.open(path, now=lambda: datetime(day.year, day.month, day.day, 6, tzinfo=UTC))
    return store


def test_rows_lost_from_a_damaged_table_are_filled_in_from_the_newest_readable_backup(path):
    _fill(path)  # 40 sessions, 400 strength sets (ids 1-400)
    _backup_now(path, date(2024, 5, 12)).close()  # an older good backup
    store = _backup_now(path, date(2024, 5, 13))  # the newest good backup: all 400 sets
    store.bulk_insert("strength_sets", ("step_id", "set_no", "reps", "load_kg", "created_utc"),
                      [(1, n, 8, 5.0, "2024-05-14T07:00:00.000Z") for n in range(50)])
    store._conn.execute("UPDATE sessions SET status = 'stopped' WHERE id = 1")  # after backup
    store.close()
    backups = path.parent / "backups"
    damaged_copy = backups / "log-2024-05-14.sqlite"  # newer, but itself damaged: skipped
    damaged_copy.write_bytes(path.read_bytes())
    size, root = _page_size_and_root(path, "strength_sets")
    _smash(damaged_copy, size, _first_child(damaged_copy, size, root))
    _smash(path, size, _first_child(path, size, root))

    store = Store.open(path, backup=False)
    [notice] = store.notices
    assert "restored from the backup backups/log-2024-05-13.sqlite" in notice
    assert store._rows("SELECT COUNT(*), COUNT(DISTINCT id), MAX(id) FROM strength_sets") \
        == [(450, 450, 450)]  # the lost ones from the backup, the 50 newer from the file
    assert store._rows("SELECT COUNT(*) FROM strength_sets WHERE load_kg = 5.0") == [(50,)]
    assert store._rows("SELECT status FROM sessions WHERE id = 1") == [("stopped",)]
    [incident] = store.incidents()
    assert incident["detail"] == notice
    store.close()
    assert db.check_file(path) is None


def test_without_a_readable_backup_the_notice_says_records_were_lost(path):
    _fill(path)
    size, root = _page_size_and_root(path, "strength_sets")
    _smash(path, size, _first_child(path, size, root))
    store = Store.open(path, backup=False)
    assert "no readable backup was found" in store.notices[0]
    assert 0 < store._rows("SELECT COUNT(*) FROM strength_sets")[0][0] < 400
    store.close()
