-- Claims and leases (API §9). not_before: when a delayed retry becomes claimable; lease_expires_at: when a running
-- job's lease ends (null when no worker holds it); both written with the job's state. claimed_version and
-- claimed_until are a claim's hold on a queued job: that version is not answered to another claim before then.
-- Adding nullable columns without a default rewrites nothing.
SET LOCAL lock_timeout = '5s';
ALTER TABLE jobs ADD COLUMN not_before BIGINT;
ALTER TABLE jobs ADD COLUMN lease_expires_at BIGINT;
ALTER TABLE jobs ADD COLUMN claimed_version BIGINT;
ALTER TABLE jobs ADD COLUMN claimed_until BIGINT;
-- A claim takes the oldest queued job of its types. The lease index is touched only by a leased job's writes
-- that move its lease (so its progress upserts are no longer HOT updates, which other jobs' still are).
CREATE INDEX jobs_queue ON jobs (type, created_at, id) WHERE status = 'queued';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE lease_expires_at IS NOT NULL;

-- A job's input, up to 64 KiB: kept apart from its state, which is rewritten with every flush of progress.
CREATE TABLE job_inputs (
    job_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    input  TEXT NOT NULL
);
