-- Storage size (docs/architecture.md, "Storage"). From this version jobs and events are written in a compact form
-- (state format 2, event format 2) that the code reads beside the older rows, which stay as they are until their
-- job changes or retention deletes it: nothing here rewrites data.
-- Listings are ordered by (created_at, id). Ids are long and two jobs rarely share a millisecond, so the listing
-- indexes stop at created_at: both databases seek the cursor's created_at in them and sort only the jobs of one
-- millisecond by id (SQLite: "TEMP B-TREE FOR RIGHT PART OF ORDER BY"; PostgreSQL: an incremental sort).
DROP INDEX jobs_newest;
CREATE INDEX jobs_newest ON jobs (created_at);
DROP INDEX jobs_project_newest;
CREATE INDEX jobs_project_newest ON jobs (project, created_at);
DROP INDEX jobs_project_status_newest;
CREATE INDEX jobs_project_status_newest ON jobs (project, status, created_at);
DROP INDEX jobs_project_type_newest;
CREATE INDEX jobs_project_type_newest ON jobs (project, type, created_at);
DROP INDEX jobs_parent_newest;
CREATE INDEX jobs_parent_newest ON jobs (parent_id, created_at) WHERE parent_id IS NOT NULL;
-- Most jobs have no owner; only those that have one are listed by owner, and "owner = ?" implies the index's
-- condition, so listings by owner still use it.
DROP INDEX jobs_project_owner_newest;
CREATE INDEX jobs_project_owner_newest ON jobs (project, owner, created_at) WHERE owner IS NOT NULL;
-- Retention takes the oldest finished jobs first; the query sorts those of one millisecond by id.
DROP INDEX jobs_finished;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- An index of a rowid table ends with the rowid, which for events is the position: (job_id) and (project) order
-- their entries by position without holding it twice.
DROP INDEX events_job_position;
CREATE INDEX events_job_position ON events (job_id);
DROP INDEX events_project_position;
CREATE INDEX events_project_position ON events (project);
