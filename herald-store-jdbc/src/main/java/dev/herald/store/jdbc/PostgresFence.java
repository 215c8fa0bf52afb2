package dev.herald.store.jdbc;

import dev.herald.core.port.WriteBatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node's fence on PostgreSQL. Its trees' {@code tree_owners} rows are locked {@code FOR SHARE}
 * until the transaction ends, so a takeover's {@code UPDATE} of one waits for this commit, and a
 * later transaction of this node reads the new owner (READ COMMITTED re-reads a row it waited
 * for) and is refused. New roots' rows are inserted in the same transaction.
 */
final class PostgresFence implements TreeFence {
    private static final String LOCK_MINE = "SELECT root_id FROM tree_owners WHERE root_id = ANY(?) AND node_id = ? "
            + "ORDER BY root_id FOR SHARE";
    // Claiming a tree that is already this node's is no conflict; one held by another node is.
    private static final String CLAIM = "INSERT INTO tree_owners (root_id, node_id) "
            + "SELECT r, ? FROM unnest(?::text[]) r ON CONFLICT (root_id) DO UPDATE SET node_id = excluded.node_id "
            + "WHERE tree_owners.node_id = excluded.node_id RETURNING root_id";

    private final String nodeId;

    PostgresFence(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public Set<String> notMine(Connection c, WriteBatch batch) throws SQLException {
        Set<String> fenced = new TreeSet<>(batch.fences());
        fenced.removeAll(batch.claims());
        Set<String> notMine = new TreeSet<>(fenced);
        if (!fenced.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement(LOCK_MINE)) {
                s.setArray(1, c.createArrayOf("text", fenced.toArray()));
                s.setString(2, nodeId);
                removeAnswered(s, notMine);
            }
        }
        if (!batch.claims().isEmpty()) {
            notMine.addAll(batch.claims());
            try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                s.setString(1, nodeId);
                s.setArray(2, c.createArrayOf("text", batch.claims().toArray()));
                removeAnswered(s, notMine);
            }
        }
        return notMine;
    }

    private static void removeAnswered(PreparedStatement s, Set<String> roots) throws SQLException {
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                roots.remove(rs.getString(1));
            }
        }
    }
}
