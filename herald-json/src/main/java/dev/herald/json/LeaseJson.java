package dev.herald.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.Lease;

import java.io.IOException;

/**
 * A job's claim in JSON (API §9): {@code lease: {worker, expiresAt}} while a worker holds the running job,
 * else null (a finished job's last lease is the server's business), and {@code nextAttemptAt}. The token
 * is written only for the claimer.
 */
final class LeaseJson {
    private LeaseJson() {
    }

    static void write(JsonGenerator g, Job job, boolean withToken) throws IOException {
        Lease lease = job.lease();
        if (lease == null || job.status() != JobStatus.RUNNING) {
            g.writeNullField("lease");
        } else {
            g.writeObjectFieldStart("lease");
            g.writeStringField("worker", lease.worker());
            if (withToken) {
                g.writeStringField("token", lease.token());
            }
            g.writeStringField("expiresAt", Times.format(lease.expiresAt()));
            g.writeEndObject();
        }
        g.writeStringField("nextAttemptAt", Times.format(job.nextAttemptAt()));
    }

    static Lease read(JsonNode n) {
        if (!n.isObject()) {
            return null;
        }
        return new Lease(JobJson.text(n, "worker"), JobJson.text(n, "token"),
                Times.parse(JobJson.text(n, "expiresAt")), 0);
    }
}
