-- Events refer to their job by an integer, its row's key, not by its id (docs/architecture.md, "Storage"): a job of
-- the demo has three to five retained events, and the 28-character id was in each of them and in each of their
-- entries in events_job_position. ref is the jobs table's rowid; declared INTEGER PRIMARY KEY it keeps its value
-- through VACUUM (an implicit rowid may change), so both tables are rebuilt. Positions are kept as they were.
-- Its project likewise, by the ref of its row in projects (the name is read from the job's row, the index is what
-- needs it). An event's type is a small integer (EventRow's codes; status, the commonest, is 1, which takes no byte).
-- A new job takes the next ref; the ref of the newest job may be given again once it is deleted, with its events.
CREATE TABLE jobs_v10 (
    ref              INTEGER PRIMARY KEY,
    id               TEXT    NOT NULL UNIQUE,
    project          TEXT    NOT NULL,
    type             TEXT,
    status           TEXT    NOT NULL,
    parent_id        TEXT,
    owner            TEXT,
    created_at       BIGINT  NOT NULL,
    updated_at       BIGINT,
    finished_at      BIGINT,
    version          BIGINT  NOT NULL,
    state            TEXT    NOT NULL,
    not_before       BIGINT,
    lease_expires_at BIGINT
);
INSERT INTO jobs_v10 (id, project, type, status, parent_id, owner, created_at, updated_at, finished_at, version,
                      state, not_before, lease_expires_at)
SELECT id, project, type, status, parent_id, owner, created_at, updated_at, finished_at, version, state, not_before,
       lease_expires_at
FROM jobs ORDER BY created_at, id;
DROP TABLE jobs;
ALTER TABLE jobs_v10 RENAME TO jobs;
-- The indexes of V6, V7 and V8, which went with the old table (an index that an earlier migration adds to jobs
-- is to be made here again: MigrationsTest checks).
CREATE INDEX jobs_newest ON jobs (created_at);
CREATE INDEX jobs_project_newest ON jobs (project, created_at);
CREATE INDEX jobs_project_status_newest ON jobs (project, status, created_at);
CREATE INDEX jobs_project_type_newest ON jobs (project, type, created_at);
CREATE INDEX jobs_parent_newest ON jobs (parent_id, created_at) WHERE parent_id IS NOT NULL;
CREATE INDEX jobs_project_owner_newest ON jobs (project, owner, created_at) WHERE owner IS NOT NULL;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_queue ON jobs (type, created_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX jobs_unfinished ON jobs (id) WHERE finished_at IS NULL;

-- No version wrote an event without its job's row (a job's events are deleted with it), but should one be there it
-- cannot be kept; the highest position stays given out all the same.
INSERT INTO herald_meta (name, value)
SELECT 'position', CAST(high AS TEXT) FROM (SELECT MAX(position) AS high FROM events)
WHERE high > COALESCE((SELECT CAST(value AS INTEGER) FROM herald_meta WHERE name = 'position'), 0)
ON CONFLICT (name) DO UPDATE SET value = excluded.value;
CREATE TABLE projects (
    ref  INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);
INSERT INTO projects (name) SELECT DISTINCT project FROM events ORDER BY project;
CREATE TABLE events_v10 (
    position    INTEGER NOT NULL PRIMARY KEY,
    job_ref     INTEGER NOT NULL,
    project_ref INTEGER NOT NULL,
    type     INTEGER NOT NULL,
    version  BIGINT  NOT NULL,
    time     BIGINT,
    log_seq  BIGINT,
    data     TEXT    NOT NULL
);
INSERT INTO events_v10 (position, job_ref, project_ref, type, version, time, log_seq, data)
SELECT e.position, j.ref, p.ref, CASE e.type WHEN 'snapshot' THEN 0 WHEN 'status' THEN 1 WHEN 'progress' THEN 2
    WHEN 'children' THEN 3 WHEN 'log' THEN 4 WHEN 'deleted' THEN 5 END, e.version, e.time, e.log_seq, e.data
FROM events e JOIN jobs j ON j.id = e.job_id JOIN projects p ON p.name = e.project ORDER BY e.position;
DROP TABLE events;
ALTER TABLE events_v10 RENAME TO events;
-- An index of a rowid table ends with the rowid, the position (V6).
CREATE INDEX events_job_position ON events (job_ref);
CREATE INDEX events_job_log_seq ON events (job_ref, log_seq) WHERE log_seq IS NOT NULL;
CREATE INDEX events_project_position ON events (project_ref);
