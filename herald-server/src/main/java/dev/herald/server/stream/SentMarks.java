package dev.herald.server.stream;

import java.util.HashMap;
import java.util.Map;

/**
 * Per job, the mark of the newest event a session sent. Most streams follow one job, and an idle stream holds this
 * for its whole life: the first job's mark is kept in fields, and a map is made only for a second job. Used on the
 * session's context.
 */
final class SentMarks {
    /** What {@link #get} answers for a job none of whose events was sent: below every mark. */
    static final long NONE = Long.MIN_VALUE;

    private String firstJob;
    private long firstMark;
    private Map<String, Long> others;

    long get(String jobId) {
        if (jobId.equals(firstJob)) {
            return firstMark;
        }
        Long mark = others == null ? null : others.get(jobId);
        return mark == null ? NONE : mark;
    }

    void put(String jobId, long mark) {
        if (firstJob == null || firstJob.equals(jobId)) {
            firstJob = jobId;
            firstMark = mark;
            return;
        }
        if (others == null) {
            others = new HashMap<>();
        }
        others.put(jobId, mark);
    }
}
