package dev.herald.store.jdbc;

import dev.herald.core.cluster.Ownership;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tree_owners} on PostgreSQL (docs/cluster.md §2.4). Whether an owner is alive is asked of
 * its lease's lock inside the claiming statement: {@code pg_try_advisory_xact_lock_shared} gets
 * the lock only when no session holds it exclusively, that is when the owner's lease is gone.
 */
final class PostgresOwnership implements Ownership {
    /*
     * Insert, or take over from a node whose lock is free (or whose row is gone); when neither,
     * the second half reads who holds it. A row inserted by another node after this statement's
     * snapshot answers nothing: claim() then asks again.
     */
    private static final String CLAIM = "WITH claimed AS (INSERT INTO tree_owners AS t (root_id, node_id) "
            + "VALUES (?, ?) ON CONFLICT (root_id) DO UPDATE SET node_id = excluded.node_id, taken_over = true "
            + "WHERE t.node_id <> excluded.node_id AND NOT EXISTS (SELECT 1 FROM herald_nodes n "
            + "WHERE n.node_id = t.node_id AND NOT pg_try_advisory_xact_lock_shared(n.lock_key)) "
            + "RETURNING node_id, taken_over) "
            + "SELECT node_id, taken_over, NULL AS address FROM claimed UNION ALL "
            + "SELECT t.node_id, t.taken_over, n.address FROM tree_owners t "
            + "LEFT JOIN herald_nodes n ON n.node_id = t.node_id "
            + "WHERE t.root_id = ? AND NOT EXISTS (SELECT 1 FROM claimed)";
    private static final int ATTEMPTS = 3;
    /** A node is gone when its row is, or when its lease's lock is free (the shared lock is then had). */
    private static final String GONE = "(n.node_id IS NULL OR pg_try_advisory_xact_lock_shared(n.lock_key))";

    /** The owner is alive while its lease holds its lock: then the shared lock is not had. */
    private static final String LIVE_OWNERS = "SELECT j.id, t.root_id, n.address FROM jobs j "
            + "JOIN tree_owners t ON t.root_id = j.root_id JOIN herald_nodes n ON n.node_id = t.node_id "
            + "WHERE j.id = ANY(?) AND t.node_id <> ? AND NOT pg_try_advisory_xact_lock_shared(n.lock_key)";

    private final Connections connections;
    private final String nodeId;

    PostgresOwnership(Connections connections, String nodeId) {
        this.connections = connections;
        this.nodeId = nodeId;
    }

    @Override
    public Claim claim(String rootId) {
        try {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                Claim claim = connections.read(c -> {
                    try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                        s.setString(1, rootId);
                        s.setString(2, nodeId);
                        s.setString(3, rootId);
                        try (ResultSet rs = s.executeQuery()) {
                            return rs.next() ? claim(rs.getString(1), rs.getBoolean(2), rs.getString(3)) : null;
                        }
                    }
                });
                if (claim != null) {
                    return claim;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("could not claim tree " + rootId, e);
        }
        throw new StoreException("could not claim tree " + rootId + ": its row kept changing", null);
    }

    private Claim claim(String owner, boolean takenOver, String address) {
        boolean mine = owner.equals(nodeId);
        return new Claim(owner, mine ? null : address, mine, mine && takenOver);
    }

    @Override
    public boolean release(String rootId) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "DELETE FROM tree_owners WHERE root_id = ? AND node_id = ?")) {
                    s.setString(1, rootId);
                    s.setString(2, nodeId);
                    return s.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not release tree " + rootId, e);
        }
    }

    @Override
    public Optional<Owner> liveOwnerOf(String jobId) {
        return Optional.ofNullable(liveOwnersOf(List.of(jobId)).get(jobId));
    }

    @Override
    public Map<String, Owner> liveOwnersOf(Collection<String> jobIds) {
        if (jobIds.isEmpty()) {
            return Map.of();
        }
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(LIVE_OWNERS)) {
                    s.setArray(1, c.createArrayOf("text", jobIds.toArray()));
                    s.setString(2, nodeId);
                    Map<String, Owner> owners = new HashMap<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            owners.put(rs.getString(1), new Owner(rs.getString(2), rs.getString(3)));
                        }
                    }
                    return owners;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not read who owns the trees of " + jobIds.size() + " jobs", e);
        }
    }

    @Override
    public List<String> orphaned(int limit) {
        return ids("list the trees of nodes that are gone", "SELECT t.root_id FROM tree_owners t "
                + "LEFT JOIN herald_nodes n ON n.node_id = t.node_id WHERE t.node_id <> ? AND " + GONE
                + " ORDER BY t.root_id LIMIT " + limit, nodeId);
    }

    @Override
    public int deleteDeadNodes() {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM herald_nodes n WHERE n.node_id <> ? "
                        + "AND NOT EXISTS (SELECT 1 FROM tree_owners t WHERE t.node_id = n.node_id) AND " + GONE)) {
                    s.setString(1, nodeId);
                    return s.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not delete the rows of nodes that are gone", e);
        }
    }

    @Override
    public List<String> unfinishedParents(String rootId) {
        return ids("list the unfinished parents of tree " + rootId, "SELECT p.id FROM jobs p WHERE p.root_id = ? "
                + "AND p.finished_at IS NULL AND EXISTS (SELECT 1 FROM jobs c WHERE c.parent_id = p.id) "
                + "ORDER BY p.id", rootId);
    }

    private List<String> ids(String what, String sql, String parameter) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(sql)) {
                    s.setString(1, parameter);
                    List<String> ids = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                    return ids;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not " + what, e);
        }
    }

    @Override
    public Set<String> owned() {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT root_id FROM tree_owners WHERE node_id = ? ORDER BY root_id")) {
                    s.setString(1, nodeId);
                    Set<String> roots = new LinkedHashSet<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            roots.add(rs.getString(1));
                        }
                    }
                    return roots;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not list the trees of node " + nodeId, e);
        }
    }
}
