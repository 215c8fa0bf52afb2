-- Tree ownership for several nodes (docs/cluster.md §2.2). A node's row names the advisory lock its lease holds
-- while it lives; a tree's row names the node that owns it. The fence of every owner transaction locks its trees'
-- rows FOR SHARE and checks they still name it, so a takeover's UPDATE waits for it and then fences it out.
SET LOCAL lock_timeout = '5s';
CREATE TABLE herald_nodes (
    node_id    TEXT   NOT NULL PRIMARY KEY,
    lock_key   BIGINT NOT NULL,
    address    TEXT   NOT NULL,
    started_at BIGINT NOT NULL
);
CREATE TABLE tree_owners (
    root_id    TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    node_id    TEXT    NOT NULL,
    taken_over BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX tree_owners_node ON tree_owners (node_id);
-- A job's root never changes, so progress upserts (which leave it alone) stay HOT updates. Left nullable: a node of
-- the previous release, still writing during a rolling upgrade, does not fill it (§9).
ALTER TABLE jobs ADD COLUMN root_id TEXT COLLATE "C";
-- A job whose parent is gone (retention deleted it first) roots its own tree, as the store's writes do.
WITH RECURSIVE tree (id, root_id) AS (
    SELECT j.id, j.id FROM jobs j
    WHERE j.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = j.parent_id)
    UNION ALL
    SELECT j.id, tree.root_id FROM jobs j JOIN tree ON j.parent_id = tree.id
)
UPDATE jobs SET root_id = tree.root_id FROM tree WHERE jobs.id = tree.id;
CREATE INDEX jobs_root ON jobs (root_id);
