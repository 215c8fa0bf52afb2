package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonParser;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A row of {@code jobs}: the columns listings filter on and {@code state}, which in format 2 of {@link StoredJob}
 * holds only what those columns do not.
 */
record JobRow(String id, String project, String type, String status, String parentId, String owner, long createdAt,
              Long updatedAt, Long finishedAt, long version, String state) {
    private static final String[] NAMES = {"id", "project", "type", "status", "parent_id", "owner", "created_at",
        "updated_at", "finished_at", "version", "state"};
    /** How many columns {@link #read} takes. */
    static final int WIDTH = NAMES.length;
    /** The columns {@link #read} expects, of {@code jobs}. */
    static final String COLUMNS = columns("");

    /** The columns of {@code jobs} under the alias, for a join: "j." gives "j.id, j.project, …". */
    static String columns(String alias) {
        StringBuilder b = new StringBuilder();
        for (String name : NAMES) {
            b.append(b.isEmpty() ? "" : ", ").append(alias).append(name);
        }
        return b.toString();
    }

    /** The row whose columns start at {@code first}, or null where a left join found none. */
    static JobRow read(ResultSet rs, int first) throws SQLException {
        String id = rs.getString(first);
        if (id == null) {
            return null;
        }
        return new JobRow(id, rs.getString(first + 1), rs.getString(first + 2), rs.getString(first + 3),
                rs.getString(first + 4), rs.getString(first + 5), rs.getLong(first + 6),
                nullable(rs, first + 7), nullable(rs, first + 8), rs.getLong(first + 9), rs.getString(first + 10));
    }

    private static Long nullable(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /** The job the row holds, in any format: format 2 takes from the columns what its state leaves out. */
    Job job() {
        if (StorageJson.formatOf(state) < StoredJob.FORMAT) {
            return StoredJob.decode(state);
        }
        Job.Builder b = new Job.Builder().id(id).project(project).type(type)
                .status(JobStatus.fromWire(status).orElseThrow(() ->
                        new StoreException("job " + id + " has an unknown status " + status, null)))
                .parentId(parentId).owner(owner).createdAt(Instant.ofEpochMilli(createdAt))
                .updatedAt(updatedAt == null ? null : Instant.ofEpochMilli(updatedAt))
                .finishedAt(finishedAt == null ? null : Instant.ofEpochMilli(finishedAt))
                .version(version);
        try (JsonParser p = StorageJson.open(state, StoredJob.FORMAT)) {
            return StoredJob.readFields(p, state, b, createdAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
