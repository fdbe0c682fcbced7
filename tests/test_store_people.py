"""The log keeps people apart: each record that is someone's names them (migration 9), a log
made by 0.1.0 becomes the one person's ('me') with every row kept, and each person's reads
see only their records."""

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kiosk import config as config_mod
from kiosk import sections
from kiosk.store import db
from kiosk.store._doctor import doctor_checks
from kiosk.store.db import SCHEMA_VERSION, Store, open_reader
from kiosk.store.export import COLUMNS, tables
from kiosk.store.records import (
    CalibrationMade,
    DecisionLogged,
    Landed,
    OneRepMaxTested,
    ProgressRun,
    SteadinessMeasured,
    StepStarted,
)

LOG_010 = Path(__file__).parent / "data" / "log-0.1.0.sql"
T0 = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
DAY = date(2026, 11, 10)


def _log_from_010(path: Path) -> dict[str, int]:
    """The 0.1.0 log as a file, and how many rows each of its tables holds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(LOG_010.read_text(encoding="utf-8"))
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("sessions", "steps", "landings", "holds", "strength_sets", "intervals",
                        "pain", "calibrations", "onerm")}
    assert db.schema_version(conn) == 3  # 0.1.0 shipped migrations 1 to 3
    conn.close()
    return counts


def test_the_log_and_the_config_call_the_single_person_the_same():
    assert db.SOLO == sections.SOLO == config_mod.defaults().people[0].key


def test_a_log_made_by_0_1_0_migrates_to_the_single_person_with_nothing_lost(tmp_path):
    path = tmp_path / "data" / "log.sqlite"
    before = _log_from_010(path)
    assert before["sessions"] == 2 and before["landings"] == 8 and before["onerm"] == 1
    store = Store.open(path)
    assert db.schema_version(store._conn) == SCHEMA_VERSION
    for table, n in before.items():  # every row is still there
        assert store._rows(f"SELECT COUNT(*) FROM {table}")[0][0] == n, table
    for table in ("sessions", "calibrations", "onerm"):
        assert store._rows(f"SELECT DISTINCT person FROM {table}") == [(db.SOLO,)], table
    assert store.people() == [db.SOLO]
    mine = store.for_person(db.SOLO)
    assert [s["plan_date"] for s in mine.sessions()] == ["2026-11-03", "2026-11-02"]
    assert mine.latest_onerm_targets() == {"goblet_squat": 4.5}
    assert mine.latest_calibration()["bw_conductance"] == 0.61
    assert store.for_person("anna").sessions() == []
    assert store.for_person("anna").latest_calibration() is None
    # the kiosk goes on writing for the single person, after the old rows
    sid = store.begin_session(slot="evening", started_utc=T0, plan_date=DAY)
    assert store._rows("SELECT person FROM sessions WHERE id = ?", (sid,)) == [(db.SOLO,)]
    store.close()
    cfg = config_mod.defaults().replace(storage={"data_dir": str(path.parent)})
    (check,) = doctor_checks(cfg)
    assert check.ok, check.detail
    reader = open_reader(path)
    assert [s["person"] for s in reader.sessions()] == [db.SOLO] * 3
    reader.close()


def _two_people(store: Store) -> None:
    for who, peak in (("anna", 1.8), ("bert", 2.4)):
        mine = store.for_person(who)
        sid = mine.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
        step = mine.begin_step(sid, StepStarted("heel_stomp", "stomp", "stomps",
                                                {"per_foot": 4, "target_bw": 1.5}))
        mine.add_landing(step, Landed("left", 1.0, peak, True))
        mine.add_calibration(CalibrationMade({"bw_conductance": peak / 3}), created_utc=T0)
        mine.add_onerm(OneRepMaxTested("goblet_squat", 5.0, 8, 6.3, peak), created_utc=T0)
        mine.add_steadiness(None, SteadinessMeasured("weigh_in", 50.0, 2.0, 2.0), at=T0)
        decision = DecisionLogged("stomp_target", "stomps", "1.5", "1.6", "BW", "reached",
                                  f"{who}'s stomps rise")
        assert mine.add_progress_run(ProgressRun(DAY, {"who": who}, (decision,)),
                                     created_utc=T0)


def test_each_persons_reads_see_only_their_records():
    store = Store.memory()
    _two_people(store)
    anna, bert = store.for_person("anna"), store.for_person("bert")
    assert store.people() == ["anna", "bert"]
    assert [len(p.sessions()) for p in (anna, bert)] == [1, 1]
    assert anna.window_landings(DAY, DAY) == [(DAY.isoformat(), "left", 1.8, 1)]
    assert bert.window_landings(DAY, DAY) == [(DAY.isoformat(), "left", 2.4, 1)]
    assert anna.latest_calibration() == {"bw_conductance": 0.6}
    assert bert.latest_onerm_targets() == {"goblet_squat": 2.4}
    # one progression run a day each, never one person's state for another
    assert anna.last_progress_run(DAY) == (DAY, {"who": "anna"})
    assert [d.line for d in bert.decisions(DAY, DAY)] == ["bert's stomps rise"]
    assert not anna.add_progress_run(ProgressRun(DAY, {}), created_utc=T0)  # still one a day
    everyone = store.for_person(None)
    assert sorted(s["person"] for s in everyone.sessions()) == ["anna", "bert"]
    assert len(everyone.mat_rows(DAY, DAY)["steadiness"]) == 2
    assert len(anna.mat_rows(DAY, DAY)["steadiness"]) == 1
    with pytest.raises(ValueError, match="needs its person"):
        everyone.begin_session(slot="morning", started_utc=T0, plan_date=DAY)
    store.close()


def test_every_export_table_says_whose_each_row_is():
    store = Store.memory()
    _two_people(store)
    for name, (cols, rows) in tables(store.for_person(None)).items():
        assert tuple(cols) == COLUMNS[name]
        if name in ("sessions", "steps", "landings", "calibrations", "onerm", "steadiness"):
            people = {row[cols.index("person")] for row in rows}
            assert people == {"anna", "bert"}, name
    only_bert = tables(store.for_person("bert"))
    assert {r[1] for r in only_bert["sessions"][1]} == {"bert"}
    assert {r[1] for r in only_bert["onerm"][1]} == {"bert"}
    store.close()


def test_migration_9_keeps_a_progression_ledger_and_survives_a_failure_halfway(tmp_path):
    """A log at version 8 with progression runs and their decisions (tables 0.1.0 did not
    have): the person column is added with every row and link kept; a migration that fails
    after dropping a table rolls back whole, and running it again finishes it."""
    import dataclasses

    from kiosk.store._schema import MIGRATIONS, migrate, schema_version

    conn = sqlite3.connect(tmp_path / "v8.sqlite", isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    migrate(conn, MIGRATIONS[:-1])
    assert schema_version(conn) == SCHEMA_VERSION - 1
    for day in ("2026-11-01", "2026-11-02"):
        run = conn.execute("INSERT INTO progress_runs (plan_date, state, created_utc) "
                           "VALUES (?, '{}', 'x')", (day,)).lastrowid
        conn.execute("INSERT INTO decisions (run_id, plan_date, rule, subject, before, after, "
                     "unit, reason, line, created_utc) VALUES (?, ?, 'stomp', 'target', '1.5', "
                     "'1.6', 'BW', 'reached twice', 'stomps 1.5 -> 1.6', 'x')", (run, day))
    last = MIGRATIONS[-1]
    broken = dataclasses.replace(last, statements=(*last.statements[:8], "SELECT no FROM where_"))
    with pytest.raises(sqlite3.Error):
        migrate(conn, (*MIGRATIONS[:-1], broken))
    assert schema_version(conn) == SCHEMA_VERSION - 1  # all of it rolled back
    assert conn.execute("SELECT COUNT(*) FROM decisions").fetchone() == (2,)
    migrate(conn)
    assert schema_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT plan_date, person FROM progress_runs ORDER BY id").fetchall() \
        == [("2026-11-01", sections.SOLO), ("2026-11-02", sections.SOLO)]
    assert conn.execute("SELECT d.plan_date = r.plan_date, d.person FROM decisions d JOIN "
                        "progress_runs r ON r.id = d.run_id").fetchall() \
        == [(1, sections.SOLO), (1, sections.SOLO)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)
    conn.close()
