-- A job's columns exist to be filtered and ordered on; state is the whole job as JSON, the only thing read back.
-- Ids are compared with the "C" collation so that listings and cursors order them as Java compares strings,
-- whatever the database's default collation.
-- Progress rewrites a job's row many times a second. Room left in each page lets the new row version go in the same
-- page without touching any index (a HOT update), which makes a batch of progress upserts several times faster.
CREATE TABLE jobs (
    id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    project     TEXT    NOT NULL,
    type        TEXT,
    status      TEXT    NOT NULL,
    parent_id   TEXT,
    owner       TEXT,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT,
    finished_at BIGINT,
    version     BIGINT  NOT NULL,
    state       TEXT    NOT NULL
) WITH (fillfactor = 70);

-- Listings are newest first (created_at DESC, id DESC), almost always within a token's projects;
-- an index is read backwards as cheaply as forwards.
CREATE INDEX jobs_newest ON jobs (created_at, id);
CREATE INDEX jobs_project_newest ON jobs (project, created_at, id);
CREATE INDEX jobs_project_status_newest ON jobs (project, status, created_at, id);
CREATE INDEX jobs_project_type_newest ON jobs (project, type, created_at, id);
CREATE INDEX jobs_project_owner_newest ON jobs (project, owner, created_at, id);
CREATE INDEX jobs_parent_newest ON jobs (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
-- Retention takes the oldest finished jobs first.
CREATE INDEX jobs_finished ON jobs (finished_at, id) WHERE finished_at IS NOT NULL;

CREATE TABLE events (
    position BIGINT  NOT NULL PRIMARY KEY,
    job_id   TEXT    NOT NULL,
    project  TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    version  BIGINT  NOT NULL,
    time     BIGINT,
    log_seq  BIGINT,
    data     TEXT    NOT NULL
);
CREATE INDEX events_job_position ON events (job_id, position);
CREATE INDEX events_job_log_seq ON events (job_id, log_seq) WHERE log_seq IS NOT NULL;

CREATE TABLE idempotency_keys (
    project TEXT NOT NULL,
    key     TEXT NOT NULL,
    job_id  TEXT NOT NULL,
    PRIMARY KEY (project, key)
);
-- Deleting a job deletes its keys.
CREATE INDEX idempotency_keys_job ON idempotency_keys (job_id);

CREATE TABLE herald_meta (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
-- The epoch names this database's event log: a cursor from a wiped or another store is never taken for a position here.
INSERT INTO herald_meta (name, value) VALUES ('epoch', substr(replace(gen_random_uuid()::text, '-', ''), 1, 12));
