package dev.herald.store.jdbc;

import dev.herald.core.model.Job;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The unfinished jobs, by id, a page at a time: what a start raises to a new version (JobStore#unfinished). */
final class UnfinishedJobs {
    // "finished_at IS NULL" as the partial index jobs_unfinished (V8) says it, so finished jobs are never read
    private static final String PAGE = "SELECT " + JobRow.COLUMNS + " FROM jobs WHERE finished_at IS NULL AND id > ? "
            + "ORDER BY id LIMIT ?";

    private UnfinishedJobs() {
    }

    static List<Job> page(Connections connections, String afterId, int limit) {
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement(PAGE)) {
                    s.setString(1, afterId == null ? "" : afterId);
                    s.setInt(2, limit);
                    List<Job> jobs = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            jobs.add(JobRow.read(rs, 1).job());
                        }
                    }
                    return jobs;
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not find unfinished jobs", e);
        }
    }
}
