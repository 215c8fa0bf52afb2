-- A start gives every unfinished job a version above any a crash may have lost (docs/api.md §1, versions): it reads
-- them in id order, and among a million finished jobs only this partial index finds the few that are not.
CREATE INDEX jobs_unfinished ON jobs (id) WHERE finished_at IS NULL;
