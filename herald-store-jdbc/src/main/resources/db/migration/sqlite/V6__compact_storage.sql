-- Storage size (docs/architecture.md, "Storage"). From this version jobs and events are written in a compact form
-- (state format 2, event format 2) that the code reads beside the older rows, which stay as they are until their
-- job changes or retention deletes it: nothing here rewrites data.
-- Most jobs have no owner; only those that have one are listed by owner, and "owner = ?" implies the index's
-- condition, so listings by owner still use it.
DROP INDEX jobs_project_owner_newest;
CREATE INDEX jobs_project_owner_newest ON jobs (project, owner, created_at, id) WHERE owner IS NOT NULL;
-- Retention takes the oldest finished jobs first; jobs that finished in the same millisecond are few, and their
-- order is the query's to settle, not the index's.
DROP INDEX jobs_finished;
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
