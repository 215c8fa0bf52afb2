package dev.herald.core.engine;

import dev.herald.core.cluster.Interest;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What streams need of the engine ({@link JobEngine#streams}): where the stream stands, when changes are in
 * subscribers' hands, the events themselves, and the states and retained events a stream opens or resumes with.
 */
public final class EngineStreams {
    private final EngineEvents events;
    private final Publication publication;
    private final JobReads reads;

    EngineStreams(EngineEvents events, Publication publication, JobReads reads) {
        this.events = events;
        this.publication = publication;
        this.reads = reads;
    }

    /** The stream position a new reader starts from: every retained event up to it has been published. */
    public long position() {
        return events.position();
    }

    /** The store's highest position, read on a store thread: ahead of {@link #position()} by other nodes' events. */
    public CompletableFuture<Long> storedPosition() {
        return reads.storedPosition();
    }

    /**
     * Completes with {@link #position()} once every change of these jobs queued so far is published (committed, in
     * subscribers' hands): a stream opens with states read first and waits for this, so a replay lacks nothing.
     */
    public CompletableFuture<Long> published(Collection<String> ids) {
        return publication.published(ids);
    }

    /** {@code onMissed} runs on a bus between nodes when events may have been lost: {@link #newest} recovers. */
    public AutoCloseable subscribe(Consumer<JobEvent> listener, Runnable onMissed) {
        return events.subscribe(listener, onMissed);
    }

    /** The newest states of what readers watch, as events to offer them after lost events (docs/cluster.md §4.4). */
    public CompletableFuture<List<JobEvent>> newest(Interest interest) {
        return new Resync(reads).newest(interest);
    }

    /** Retained events of these jobs after a stream position, for replay. */
    public CompletableFuture<List<JobEvent>> retainedEvents(Collection<String> ids, long after, int limit) {
        return reads.retainedEvents(ids, after, limit);
    }

    /** Retained events of a project after a stream position, for replay. */
    public CompletableFuture<List<JobEvent>> retainedProjectEvents(String project, long after, int limit) {
        return reads.retainedProjectEvents(project, after, limit);
    }

    /** The job and all its descendants, newest states, parents before their children; fails with not_found. */
    public CompletableFuture<List<Job>> subtree(String rootId) {
        return reads.subtree(rootId);
    }

    /** The unfinished jobs of a project, newest first, at most {@code limit} of each waiting or running status. */
    public CompletableFuture<List<Job>> activeJobs(String project, int limit) {
        return reads.activeJobs(project, limit);
    }
}
