-- Positions for several nodes (docs/cluster.md §3.1): each transaction that appends events takes them from this
-- one-row counter as its last statement, so its row lock orders the writers and positions are dense and in commit
-- order. It holds the highest position ever given out, also once those events are deleted with their jobs.
SET LOCAL lock_timeout = '5s';
CREATE TABLE event_head (
    one      BOOLEAN NOT NULL PRIMARY KEY DEFAULT true CHECK (one),
    position BIGINT  NOT NULL
);
INSERT INTO event_head (position) SELECT GREATEST(
    COALESCE((SELECT MAX(position) FROM events), 0),
    COALESCE((SELECT value::bigint FROM herald_meta WHERE name = 'position'), 0));
DELETE FROM herald_meta WHERE name = 'position';
