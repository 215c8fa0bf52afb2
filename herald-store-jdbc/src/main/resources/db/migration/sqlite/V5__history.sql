-- The estimates' history (API §10). Every finished run counts in history_totals; the newest 100 successful runs of
-- a type and project are kept whole in history_runs, older ones only in the counts. Times are epoch milliseconds;
-- stages is the store's own JSON: [[name, durationMs, itemsPerSecond or null], ...].
CREATE TABLE history_totals (
    project          TEXT   NOT NULL,
    type             TEXT   NOT NULL,
    finished         BIGINT NOT NULL,
    succeeded        BIGINT NOT NULL,
    last_finished_at BIGINT NOT NULL,
    PRIMARY KEY (project, type)
);

CREATE TABLE history_runs (
    id          INTEGER PRIMARY KEY,
    project     TEXT   NOT NULL,
    type        TEXT   NOT NULL,
    finished_at BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    stages      TEXT   NOT NULL
);
CREATE INDEX history_runs_newest ON history_runs (project, type, finished_at, id);
-- Retention takes the oldest runs first.
CREATE INDEX history_runs_finished ON history_runs (finished_at);
