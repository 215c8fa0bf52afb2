-- Claims and leases (API §9). not_before: when a delayed retry becomes claimable; lease_expires_at: when a running
-- job's lease ends (null when no worker holds it); both written with the job's state. A claim's hold on a queued
-- job is kept in memory: one process owns this file (PostgreSQL keeps it in claimed_version and claimed_until).
ALTER TABLE jobs ADD COLUMN not_before BIGINT;
ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT;
-- A claim takes the oldest queued job of its types.
CREATE INDEX jobs_queue ON jobs (type, created_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

-- A job's input, up to 64 KiB: kept apart from its state, which is rewritten with every flush of progress.
CREATE TABLE job_inputs (
    job_id TEXT NOT NULL PRIMARY KEY,
    input  TEXT NOT NULL
);
