package dev.herald.server.rest;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.HeraldException;

/**
 * One entry of {@code POST /progress:batch}: either a report to apply or the reason
 * the entry was refused, so the batch answers per entry instead of failing whole.
 *
 * @param index  the entry's position in the request array, from 0
 * @param jobId  the entry's job id, or null when it could not be read
 * @param report the report, or null when {@code error} is set
 * @param error  why the entry was refused, or null
 */
public record BatchEntry(int index, String jobId, ProgressReport report, HeraldException error) {

    public BatchEntry {
        if ((report == null) == (error == null)) {
            throw new IllegalArgumentException("a batch entry has either a report or an error");
        }
    }

    /** A valid entry, its index still to be set with {@link #at}. */
    static BatchEntry accepted(String jobId, ProgressReport report) {
        return new BatchEntry(-1, jobId, report, null);
    }

    static BatchEntry refused(int index, String jobId, HeraldException error) {
        return new BatchEntry(index, jobId, null, error);
    }

    BatchEntry at(int position) {
        return new BatchEntry(position, jobId, report, error);
    }

    public boolean ok() {
        return error == null;
    }
}
