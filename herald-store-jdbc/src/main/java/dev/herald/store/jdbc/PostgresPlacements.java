package dev.herald.store.jdbc;

import dev.herald.core.cluster.Placement;
import dev.herald.core.cluster.Placements;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A job's placement in one statement: the job and its ancestors, up the parent links. */
final class PostgresPlacements implements Placements.Source {
    // Depth-bounded, so that a cycle (which the engine never makes) cannot loop.
    private static final String UP = "WITH RECURSIVE up (id, parent_id, project, root_id, depth) AS ("
            + "SELECT id, parent_id, project, root_id, 0 FROM jobs WHERE id = ? UNION ALL "
            + "SELECT j.id, j.parent_id, j.project, j.root_id, up.depth + 1 FROM jobs j JOIN up ON j.id = up.parent_id "
            + "WHERE up.depth < 1000) SELECT id, project, root_id FROM up ORDER BY depth";

    private final Connections connections;

    PostgresPlacements(Connections connections) {
        this.connections = connections;
    }

    @Override
    public Optional<Placement> read(String jobId) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(UP)) {
                    s.setString(1, jobId);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.empty();
                        }
                        String project = rs.getString(2);
                        String root = rs.getString(3);
                        List<String> ancestors = new ArrayList<>();
                        while (rs.next()) {
                            ancestors.add(rs.getString(1));
                        }
                        // a row written by a node of the previous release has no root: the topmost ancestor is it
                        String top = ancestors.isEmpty() ? jobId : ancestors.get(ancestors.size() - 1);
                        return Optional.of(new Placement(jobId, root == null ? top : root, project, ancestors));
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not read the placement of job " + jobId, e);
        }
    }
}
