package dev.herald.client.transport;

import dev.herald.core.command.ProgressReport;

/** One entry of {@code POST /progress:batch}. */
public record ProgressEntry(String jobId, ProgressReport report) {
}
