package dev.herald.client.transport;

import dev.herald.core.model.HeraldException;

/** What the server made of one batch entry: the job's new version, or why it refused the entry. */
public record ProgressOutcome(String jobId, long version, HeraldException error) {

    public static ProgressOutcome accepted(String jobId, long version) {
        return new ProgressOutcome(jobId, version, null);
    }

    public static ProgressOutcome refused(String jobId, HeraldException error) {
        return new ProgressOutcome(jobId, -1, error);
    }

    public boolean ok() {
        return error == null;
    }
}
