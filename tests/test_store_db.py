"""The store: migrations, the recording API, durability per call, file modes, backups."""

import grp
import os
import sqlite3
import stat
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk.store import db
from kiosk.store.db import MIGRATIONS, SCHEMA_VERSION, Migration, Store, StoreError
from kiosk.store.records import (
    CalibrationMade,
    Held,
    IntervalDone,
    Landed,
    OneRepMaxTested,
    PainAnswered,
    SessionFinished,
    SetDone,
    StepFinished,
    StepStarted,
)

T0 = datetime(2024, 5, 13, 7, 0, tzinfo=UTC)
DAY = date(2024, 5, 13)


class Now:
    """A settable UTC clock for the store's own timestamps."""

    def __init__(self, t: datetime = T0):
        self.t = t

    def __call__(self) -> datetime:
        return self.t


@pytest.fixture
def mem() -> Store:
    store = Store.memory(now=Now())
    yield store
    store.close()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "log.sqlite"


def _one_of_everything(store: Store) -> tuple[int, int]:
    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    stomp = store.begin_step(sid, StepStarted(exercise_id="stomp", kind="stomp", block="stomps",
                                              target={"per_foot": 4, "target_bw": 1.5}))
    store.add_landing(stomp, Landed(foot="left", t_s=1.0, peak_bw=1.8, stomp=True))
    store.add_landing(stomp, Landed(foot="right", t_s=2.0, peak_bw=1.2, stomp=False))
    store.finish_step(stomp, StepFinished(status="done", achieved={"left": 1, "right": 0}))
    squat = store.begin_step(sid, StepStarted(exercise_id="goblet_squat", kind="strength",
                                              block="strength",
                                              target={"sets": 2, "reps": 8, "load_kg": 4.0}))
    store.add_set(squat, SetDone(set_no=1, reps=8, load_kg=4.0))
    store.add_pain(squat, PainAnswered(hurt=True))
    hold = store.begin_step(sid, StepStarted(exercise_id="calf_stretch", kind="stretch",
                                             block="stretch", target={"hold_s": 25}))
    store.add_hold(hold, Held(side="left", held_s=25.0, target_s=25.0))
    march = store.begin_step(sid, StepStarted(exercise_id="march", kind="cardio",
                                              block="cardio_low", target={"target_spm": 90}))
    store.add_interval(march, IntervalDone(seconds=60.0, steps=92, cadence_spm=92.0,
                                           target_spm=90.0))
    return sid, squat


# --- migrations ------------------------------------------------------------------------------

def test_a_new_file_gets_every_migration_in_order(path):
    store = Store.open(path)
    rows = store._rows("SELECT version, name FROM schema_migrations ORDER BY version")
    store.close()
    assert rows == [(m.version, m.name) for m in MIGRATIONS]
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def test_a_file_at_the_previous_version_is_upgraded_and_keeps_its_data(path):
    path.parent.mkdir()
    conn = sqlite3.connect(path, isolation_level=None)
    db.migrate(conn, MIGRATIONS[:-1])
    conn.execute("INSERT INTO sessions (slot, plan_date, started_utc, status) "
                 "VALUES ('evening', '2024-05-12', '2024-05-12T17:00:00.000Z', 'done')")
    conn.close()
    store = Store.open(path)
    assert db.schema_version(store._conn) == SCHEMA_VERSION
    assert store.incidents() == []  # the table from the last migration exists and works
    assert [s["plan_date"] for s in store.sessions()] == ["2024-05-12"]
    store.close()


def test_a_failing_migration_leaves_the_file_at_the_previous_version(path):
    path.parent.mkdir()
    conn = sqlite3.connect(path, isolation_level=None)
    db.migrate(conn)
    broken = Migration(SCHEMA_VERSION + 1, "broken", ("CREATE TABLE half_done (a)", "NOT SQL"))
    with pytest.raises(sqlite3.OperationalError):
        db.migrate(conn, [*MIGRATIONS, broken])
    assert db.schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'half_done'").fetchall() == []


def test_a_log_from_a_newer_version_is_refused_not_damaged(path):
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', '2030-01-01T00:00:00Z')")
    conn.close()
    with pytest.raises(StoreError, match="newer osteo-kiosk"):
        Store.open(path)
    assert path.exists()


# --- recording -------------------------------------------------------------------------------

def test_one_session_of_everything_reads_back(mem):
    sid, _ = _one_of_everything(mem)
    mem.finish_session(sid, SessionFinished(status="done"), ended_utc=T0 + timedelta(minutes=20))
    [s] = mem.sessions()
    assert s["status"] == "done" and s["minutes"] == 20.0
    assert (s["steps_done"], s["steps_total"]) == (1, 4)
    assert (s["stomps_left"], s["stomps_right"], s["sets"], s["holds"], s["intervals"],
            s["pain"]) == (1, 0, 1, 1, 1, 1)
    steps = mem.steps_of(sid)
    assert steps[0]["target"] == {"per_foot": 4, "target_bw": 1.5}
    assert steps[0]["achieved"] == {"left": 1, "right": 0}
    assert steps[1]["achieved"] is None


def test_timestamps_are_stored_in_utc(mem):
    local = datetime(2024, 5, 13, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    mem.begin_session(slot="demo", started_utc=local, plan_date=DAY)
    mem.begin_session(slot="extra", started_utc=datetime(2024, 5, 13, 9, 0), plan_date=DAY)
    rows = mem._rows("SELECT started_utc FROM sessions ORDER BY id")
    assert rows == [("2024-05-13T07:00:00.000Z",), ("2024-05-13T09:00:00.000Z",)]


@pytest.mark.parametrize("call", [
    lambda s: s.begin_session(slot="noon", started_utc=T0, plan_date=DAY),
    lambda s: s.begin_step(1, StepStarted(exercise_id="x", kind="stomp", block="cardio")),
    lambda s: s.begin_step(1, StepStarted(exercise_id="x", kind="jog", block="stomps", target={})),
    lambda s: s.add_landing(1, Landed(foot="middle", t_s=0, peak_bw=1, stomp=True)),
    lambda s: s.add_set(999, SetDone(set_no=1, reps=8, load_kg=2.0)),
    lambda s: s.finish_step(999, StepFinished(status="done", achieved={})),
    lambda s: s.finish_step(1, StepFinished(status="finished", achieved={})),
    lambda s: s.finish_session(999, SessionFinished(status="done"), ended_utc=T0),
])
def test_wrong_values_are_refused_with_a_value_error(mem, call):
    mem.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    mem.begin_step(1, StepStarted(exercise_id="stomp", kind="stomp", block="stomps", target={}))
    with pytest.raises(ValueError):
        call(mem)


def test_latest_onerm_target_per_exercise(mem):
    mem.add_onerm(OneRepMaxTested(exercise_id="goblet_squat", weight_kg=6, reps=8,
                                  estimate_kg=7.6, target_kg=5.5), created_utc=T0)
    mem.add_onerm(OneRepMaxTested(exercise_id="goblet_squat", weight_kg=8, reps=6,
                                  estimate_kg=9.6, target_kg=7.0),
                  created_utc=T0 + timedelta(days=30))
    mem.add_onerm(OneRepMaxTested(exercise_id="wrist_curl", weight_kg=2, reps=10, estimate_kg=2.7,
                                  target_kg=2.0), created_utc=T0)
    assert mem.latest_onerm_targets() == {"goblet_squat": 7.0, "wrist_curl": 2.0}


def test_calibration_history_keeps_the_newest(mem):
    mem.add_calibration(CalibrationMade(data={"baseline": [0.01, 0.02]}), created_utc=T0)
    mem.add_calibration(CalibrationMade(data={"baseline": [0.03, 0.02]}),
                        created_utc=T0 + timedelta(days=1))
    assert mem.latest_calibration() == {"baseline": [0.03, 0.02]}


def test_save_onerm_writes_to_the_configured_data_dir(tmp_path):
    config = config_mod.defaults().replace(storage={"data_dir": str(tmp_path / "d")})
    db.save_onerm(config, "goblet_squat", 6.0, 8, 7.6, 5.5)
    assert db.store_path(config) == tmp_path / "d" / "log.sqlite"
    reader = db.open_reader(db.store_path(config))
    assert reader.latest_onerm_targets() == {"goblet_squat": 5.5}
    reader.close()


# --- durability ------------------------------------------------------------------------------

def test_each_completed_thing_is_visible_to_another_connection_when_the_call_returns(path):
    store = Store.open(path)
    other = sqlite3.connect(f"file:{path}?mode=ro", uri=True)

    def count(table: str) -> int:
        return other.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    sid = store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    assert count("sessions") == 1
    step = store.begin_step(sid, StepStarted(exercise_id="stomp", kind="stomp", block="stomps",
                                             target={}))
    assert count("steps") == 1
    for n, (call, table) in enumerate([
        (lambda: store.add_landing(step, Landed(foot="left", t_s=1, peak_bw=1.6, stomp=True)),
         "landings"),
        (lambda: store.add_set(step, SetDone(set_no=1, reps=8, load_kg=None)), "strength_sets"),
        (lambda: store.add_hold(step, Held(side="both", held_s=5, target_s=5)), "holds"),
        (lambda: store.add_interval(step, IntervalDone(seconds=60, steps=100, cadence_spm=100,
                                                       target_spm=110)), "intervals"),
        (lambda: store.add_pain(step, PainAnswered(hurt=False)), "pain"),
    ]):
        call()
        assert count(table) == 1, n
    store.finish_step(step, StepFinished(status="done", achieved={}))
    assert other.execute("SELECT status FROM steps").fetchone() == ("done",)
    assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert store._conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
    other.close()
    store.close()


def test_a_session_whose_process_is_gone_reads_as_interrupted_and_is_closed_at_next_start(path):
    store = Store.open(path)
    sid, _ = _one_of_everything(store)
    store._conn.execute("UPDATE sessions SET owner = 'another-boot:1' WHERE id = ?", (sid,))
    assert store.sessions()[0]["status"] == "interrupted"
    assert store.sessions()[0]["ended_utc"] is not None
    store.close()
    store = Store.open(path)
    assert store._rows("SELECT status FROM sessions") == [("interrupted",)]
    assert store.sessions()[0]["sets"] == 1
    store.close()


def test_a_running_session_of_this_process_reads_as_in_progress(mem):
    mem.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    assert mem.sessions()[0]["status"] == "in progress"


# --- files -----------------------------------------------------------------------------------

def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_files_are_private_by_default(path):
    old = os.umask(0o022)
    try:
        store = Store.open(path)
        store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
        files = [path, path.with_name("log.sqlite-wal"), path.with_name("log.sqlite-shm")]
        assert [_mode(p) for p in files] == [0o600] * 3
        [backup] = (path.parent / "backups").iterdir()
        assert _mode(backup) == 0o600
        assert _mode(path.parent) == 0o700
        store.close()
    finally:
        os.umask(old)


def _other_group() -> grp.struct_group:
    """Another group this process may hand files to: any as root, else one it is in."""
    for gid in [g.gr_gid for g in grp.getgrall()] if os.geteuid() == 0 else os.getgroups():
        if gid != os.getegid():
            return grp.getgrgid(gid)
    pytest.skip("this user is in no second group")


def test_a_log_group_gets_read_access(path):
    group = _other_group()
    store = Store.open(path, log_group=group.gr_name)
    store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    for p in (path, path.with_name("log.sqlite-wal")):
        assert _mode(p) == 0o640
        assert os.stat(p).st_gid == group.gr_gid
    assert _mode(path.parent) == 0o2750 and os.stat(path.parent).st_gid == group.gr_gid
    store.close()


def test_an_unknown_log_group_is_one_clear_sentence(path):
    with pytest.raises(StoreError, match="no group named 'no-such-group-xyz'"):
        Store.open(path, log_group="no-such-group-xyz")


def test_one_backup_a_day_and_only_the_newest_are_kept(path):
    now = Now()
    for day in range(5):
        now.t = T0 + timedelta(days=day)
        store = Store.open(path, now=now, keep_backups=3)
        store.begin_session(slot="morning", started_utc=now.t, plan_date=now.t.date())
        assert store.backup_if_due() is None  # the one for today was made at open
        store.close()
    backups = sorted(p.name for p in (path.parent / "backups").iterdir())
    assert backups == ["log-2024-05-15.sqlite", "log-2024-05-16.sqlite", "log-2024-05-17.sqlite"]
    copy = sqlite3.connect(path.parent / "backups" / backups[-1])
    assert copy.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert copy.execute("SELECT COUNT(*) FROM sessions").fetchone() == (4,)  # made at open
    copy.close()


def test_bench_reports_its_figures_without_timing_assertions():
    from kiosk.store.bench import bench

    figures = bench(years=0.1, commits=5, runs=1)
    assert figures["data"]["sessions"] == 2 * int(0.1 * 365.25)
    assert set(figures["durable_commit_ms"]) == {"median", "p95", "max", "n"}
    assert figures["report_ms"]["limit"] == 300.0 and figures["report_ms"]["lines"] > 20


HELPER_PROBE = ("import pathlib, sys; from kiosk.store.db import open_reader; "
                "print(len(open_reader(pathlib.Path(sys.argv[1])).sessions()))")


HELPER_WRITES = ("import pathlib, sys; from kiosk.store.db import Store, StoreError\n"
                 "try: Store.open(pathlib.Path(sys.argv[1]))\n"
                 "except StoreError as exc: print(exc)")


def test_a_helper_in_the_log_group_reads_while_the_kiosk_runs_and_after(tmp_path):
    """As another user in the log group: a read-only -shm while the kiosk runs, no -wal after."""
    import shutil
    import subprocess
    import tempfile

    python = shutil.which("python3", path="/usr/bin:/bin")
    if os.geteuid() != 0 or not python:
        pytest.skip("needs root (to act as another user) and a system python3")
    group = _other_group()
    top = tempfile.mkdtemp(prefix="osteo-group-")
    try:
        os.chmod(top, 0o755)
        path = Path(top) / "data" / "log.sqlite"
        store = Store.open(path, log_group=group.gr_name)
        store.begin_session(slot="morning", started_utc=T0, plan_date=DAY)

        def as_helper() -> None:
            os.setgroups([group.gr_gid])
            os.setgid(group.gr_gid)
            os.setuid(65534)

        def helper_reads(probe: str = HELPER_PROBE) -> str:
            root = str(Path(db.__file__).parents[2])
            done = subprocess.run([python, "-c", probe, str(path)], cwd=top,
                                  preexec_fn=as_helper, capture_output=True, text=True,
                                  env={"PYTHONPATH": root, "PATH": "/usr/bin:/bin"})
            if "No module named" in done.stderr:
                pytest.skip("the system python3 cannot import the project as another user")
            return done.stdout.strip() or done.stderr.strip().splitlines()[-1]

        assert helper_reads() == "1"
        store.begin_session(slot="evening", started_utc=T0, plan_date=DAY)
        assert helper_reads() == "2"
        assert "no permission to write the log" in helper_reads(HELPER_WRITES)
        store.close()
        assert not path.with_name("log.sqlite-wal").exists()
        assert helper_reads() == "2"
    finally:
        shutil.rmtree(top)


#: What ``kiosk.store.db`` offered before it was split; every name still imports from there.
DB_NAMES_0_1 = ("BACKUP_DIR", "BUSY_TIMEOUT_S", "FEET", "KEEP_BACKUPS", "LOG_NAME", "MEASUREMENTS",
                "MIGRATIONS", "SCHEMA_VERSION", "SESSION_END", "SLOTS", "STEP_END", "TABLES",
                "LogReader", "Migration", "Salvaged", "Store", "StoreError", "backup_files",
                "backup_to", "check_file", "display_status", "migrate", "open_reader",
                "parse_utc", "salvage", "save_onerm", "schema_version", "store_path", "utc_text")


def test_the_split_store_keeps_every_import_path_and_only_it_speaks_sql():
    assert [n for n in DB_NAMES_0_1 if not hasattr(db, n)] == []
    assert set(DB_NAMES_0_1) | {"DeferredStore", "SOLO"} == set(db.__all__)
    kiosk_dir = Path(db.__file__).parents[1]
    speakers = sorted(p.relative_to(kiosk_dir).as_posix() for p in kiosk_dir.rglob("*.py")
                      if "import sqlite3" in p.read_text(encoding="utf-8"))
    assert speakers and all(s.startswith("store/_") for s in speakers), speakers
