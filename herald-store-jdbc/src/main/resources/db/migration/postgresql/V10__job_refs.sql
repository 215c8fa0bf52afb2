-- Events refer to their job by an integer, its row's ref, not by its id (docs/architecture.md, "Storage"): a job of
-- the demo has three to five retained events, and the 28-character id was in each of them and in each of their
-- entries in events_job_position. Its project likewise, by the ref of its row in projects (the name is read from
-- the job's row, the index is what needs it). An event's type is a small integer (EventRow's codes). Positions are kept as they were (event_head is not touched). Like V6, a node of
-- an older release cannot write beside this one (it writes events.job_id): stop them first (docs/cluster.md §9).
SET LOCAL lock_timeout = '5s';
-- Adding an identity column rewrites the table once, numbering the jobs there are; indexes are kept. Progress
-- upserts leave ref alone, so they stay HOT updates, but each takes a value from the sequence before it finds its
-- conflict: a cache of values per session spares them the sequence's lock and its WAL (refs need not be dense).
ALTER TABLE jobs ADD COLUMN ref BIGINT GENERATED ALWAYS AS IDENTITY (CACHE 100);
CREATE UNIQUE INDEX jobs_ref ON jobs (ref);

CREATE TABLE projects (
    ref  INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);
INSERT INTO projects (name) SELECT DISTINCT project FROM events ORDER BY project;

-- The eight-byte columns first: PostgreSQL aligns a BIGINT to eight bytes, so after a text it pads.
CREATE TABLE events_v10 (
    position BIGINT NOT NULL,
    job_ref  BIGINT NOT NULL,
    version  BIGINT NOT NULL,
    time     BIGINT,
    log_seq  BIGINT,
    type     SMALLINT NOT NULL,
    project_ref INTEGER NOT NULL,
    data     TEXT   NOT NULL
);
-- No version wrote an event without its job's row (a job's events are deleted with it), but should one be there it
-- cannot be kept; event_head keeps its position given out.
INSERT INTO events_v10 (position, job_ref, version, time, log_seq, type, project_ref, data)
SELECT e.position, j.ref, e.version, e.time, e.log_seq, CASE e.type WHEN 'snapshot' THEN 0 WHEN 'status' THEN 1
    WHEN 'progress' THEN 2 WHEN 'children' THEN 3 WHEN 'log' THEN 4 WHEN 'deleted' THEN 5 END, p.ref, e.data
FROM events e JOIN jobs j ON j.id = e.job_id JOIN projects p ON p.name = e.project ORDER BY e.position;
DROP TABLE events;
ALTER TABLE events_v10 RENAME TO events;
ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (position);
CREATE INDEX events_job_position ON events (job_ref, position);
CREATE INDEX events_job_log_seq ON events (job_ref, log_seq) WHERE log_seq IS NOT NULL;
CREATE INDEX events_project_position ON events (project_ref, position);
