package dev.herald.store.jdbc;

import dev.herald.core.port.WriteBatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * The first step of a batch's transaction in a cluster (docs/cluster.md §2.6): answers the trees
 * the batch fences or claims that are not this node's, having locked those that are.
 */
interface TreeFence {
    /** A store that is in no cluster owns every tree. */
    TreeFence NONE = (c, batch) -> Set.of();

    Set<String> notMine(Connection c, WriteBatch batch) throws SQLException;
}
