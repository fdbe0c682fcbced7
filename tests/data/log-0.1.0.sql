-- A log written by osteo-kiosk 0.1.0's own Store (git 8e24e1e, schema 3): two morning
-- sessions, a calibration and a one-rep max; tests/data/make_log_010.py made it. Do not edit.
BEGIN TRANSACTION;
CREATE TABLE calibrations (
            id INTEGER PRIMARY KEY,
            created_utc TEXT NOT NULL,
            data TEXT NOT NULL);
INSERT INTO "calibrations" VALUES(1,'2026-11-03T08:02:20.000Z','{"baseline_counts": [3, 4], "bw_conductance": 0.61}');
CREATE TABLE holds (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            side TEXT NOT NULL,
            held_s REAL NOT NULL,
            target_s REAL NOT NULL,
            created_utc TEXT NOT NULL);
INSERT INTO "holds" VALUES(1,3,'left',25.0,25.0,'2026-11-02T08:01:31.000Z');
INSERT INTO "holds" VALUES(2,7,'left',25.0,25.0,'2026-11-03T08:01:31.000Z');
CREATE TABLE incidents (
            id INTEGER PRIMARY KEY,
            created_utc TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL);
CREATE TABLE intervals (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            seconds REAL NOT NULL,
            steps INTEGER NOT NULL,
            cadence_spm REAL NOT NULL,
            target_spm REAL NOT NULL,
            created_utc TEXT NOT NULL);
INSERT INTO "intervals" VALUES(1,4,60.0,92,92.0,90.0,'2026-11-02T08:01:59.000Z');
INSERT INTO "intervals" VALUES(2,8,60.0,92,92.0,90.0,'2026-11-03T08:01:59.000Z');
CREATE TABLE landings (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            foot TEXT NOT NULL CHECK (foot IN ('left', 'right')),
            t_s REAL NOT NULL,
            peak_bw REAL NOT NULL,
            stomp INTEGER NOT NULL CHECK (stomp IN (0, 1)),
            created_utc TEXT NOT NULL);
INSERT INTO "landings" VALUES(1,1,'left',1000.0,1.4,0,'2026-11-02T08:00:21.000Z');
INSERT INTO "landings" VALUES(2,1,'left',1001.0,1.5,1,'2026-11-02T08:00:28.000Z');
INSERT INTO "landings" VALUES(3,1,'right',1002.0,1.59999999999999986677e+00,1,'2026-11-02T08:00:35.000Z');
INSERT INTO "landings" VALUES(4,1,'right',1003.0,1.7,1,'2026-11-02T08:00:42.000Z');
INSERT INTO "landings" VALUES(5,5,'left',1000.0,1.4,0,'2026-11-03T08:00:21.000Z');
INSERT INTO "landings" VALUES(6,5,'left',1001.0,1.5,1,'2026-11-03T08:00:28.000Z');
INSERT INTO "landings" VALUES(7,5,'right',1002.0,1.59999999999999986677e+00,1,'2026-11-03T08:00:35.000Z');
INSERT INTO "landings" VALUES(8,5,'right',1003.0,1.7,1,'2026-11-03T08:00:42.000Z');
CREATE TABLE onerm (
            id INTEGER PRIMARY KEY,
            exercise_id TEXT NOT NULL,
            weight_kg REAL NOT NULL,
            reps INTEGER NOT NULL,
            estimate_kg REAL NOT NULL,
            target_kg REAL NOT NULL,
            created_utc TEXT NOT NULL);
INSERT INTO "onerm" VALUES(1,'goblet_squat',5.0,8,6.3,4.5,'2026-11-03T08:02:27.000Z');
CREATE TABLE pain (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            hurt INTEGER NOT NULL CHECK (hurt IN (0, 1)),
            created_utc TEXT NOT NULL);
INSERT INTO "pain" VALUES(1,3,0,'2026-11-02T08:01:38.000Z');
INSERT INTO "pain" VALUES(2,7,1,'2026-11-03T08:01:38.000Z');
CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_utc TEXT NOT NULL);
INSERT INTO "schema_migrations" VALUES(1,'core_log','2026-11-02T08:00:07.000Z');
INSERT INTO "schema_migrations" VALUES(2,'report_indexes','2026-11-02T08:00:14.000Z');
INSERT INTO "schema_migrations" VALUES(3,'incidents','2026-11-02T08:00:21.000Z');
CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            slot TEXT NOT NULL CHECK (slot IN ('morning', 'evening', 'demo', 'extra')),
            plan_date TEXT NOT NULL,
            started_utc TEXT NOT NULL,
            ended_utc TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'stopped', 'interrupted')),
            owner TEXT NOT NULL DEFAULT '');
INSERT INTO "sessions" VALUES(1,'morning','2026-11-02','2026-11-02T08:00:07.000Z','2026-11-02T08:02:13.000Z','done','4721e7f4-1417-4206-9e04-39acd17b2809:18313');
INSERT INTO "sessions" VALUES(2,'morning','2026-11-03','2026-11-03T08:00:07.000Z','2026-11-03T08:02:13.000Z','done','4721e7f4-1417-4206-9e04-39acd17b2809:18313');
CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            exercise_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            block TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '{}',
            achieved TEXT,
            status TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'skipped', 'stopped')),
            started_utc TEXT NOT NULL,
            ended_utc TEXT);
INSERT INTO "steps" VALUES(1,1,'heel_stomp','stomp','stomps','{"per_foot": 4, "target_bw": 1.5}','{"left": 1, "right": 2}','done','2026-11-02T08:00:14.000Z','2026-11-02T08:00:49.000Z');
INSERT INTO "steps" VALUES(2,1,'goblet_squat','strength','strength','{"load_kg": 4.0, "reps": 8, "sets": 2}','{"sets": 2}','done','2026-11-02T08:00:56.000Z','2026-11-02T08:01:17.000Z');
INSERT INTO "steps" VALUES(3,1,'calf_stretch','stretch','stretch','{"hold_s": 25}','{}','done','2026-11-02T08:01:24.000Z','2026-11-02T08:01:45.000Z');
INSERT INTO "steps" VALUES(4,1,'march','cardio','cardio_low','{"target_spm": 90}','{}','done','2026-11-02T08:01:52.000Z','2026-11-02T08:02:06.000Z');
INSERT INTO "steps" VALUES(5,2,'heel_stomp','stomp','stomps','{"per_foot": 4, "target_bw": 1.5}','{"left": 1, "right": 2}','done','2026-11-03T08:00:14.000Z','2026-11-03T08:00:49.000Z');
INSERT INTO "steps" VALUES(6,2,'goblet_squat','strength','strength','{"load_kg": 4.0, "reps": 8, "sets": 2}','{"sets": 2}','done','2026-11-03T08:00:56.000Z','2026-11-03T08:01:17.000Z');
INSERT INTO "steps" VALUES(7,2,'calf_stretch','stretch','stretch','{"hold_s": 25}','{}','done','2026-11-03T08:01:24.000Z','2026-11-03T08:01:45.000Z');
INSERT INTO "steps" VALUES(8,2,'march','cardio','cardio_low','{"target_spm": 90}','{}','done','2026-11-03T08:01:52.000Z','2026-11-03T08:02:06.000Z');
CREATE TABLE strength_sets (
            id INTEGER PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES steps(id),
            set_no INTEGER NOT NULL,
            reps INTEGER NOT NULL,
            load_kg REAL,
            created_utc TEXT NOT NULL);
INSERT INTO "strength_sets" VALUES(1,2,1,8,4.0,'2026-11-02T08:01:03.000Z');
INSERT INTO "strength_sets" VALUES(2,2,2,7,4.0,'2026-11-02T08:01:10.000Z');
INSERT INTO "strength_sets" VALUES(3,6,1,8,4.0,'2026-11-03T08:01:03.000Z');
INSERT INTO "strength_sets" VALUES(4,6,2,7,4.0,'2026-11-03T08:01:10.000Z');
CREATE INDEX sessions_by_plan_date ON sessions(plan_date, started_utc);
CREATE INDEX steps_by_session ON steps(session_id, status, block);
CREATE INDEX landings_by_step ON landings(step_id);
CREATE INDEX holds_by_step ON holds(step_id);
CREATE INDEX strength_sets_by_step ON strength_sets(step_id);
CREATE INDEX intervals_by_step ON intervals(step_id);
CREATE INDEX pain_by_step ON pain(step_id);
CREATE INDEX onerm_by_exercise ON onerm(exercise_id, created_utc);
COMMIT;
