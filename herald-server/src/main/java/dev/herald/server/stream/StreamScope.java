package dev.herald.server.stream;

import dev.herald.core.engine.IdGenerator;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.server.auth.Access;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.Limits;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** What a stream covers: which live events reach it, what it replays, and which snapshots open it. */
public interface StreamScope {

    FanOut.Registration register(FanOut fanOut, FanOut.Subscriber subscriber);

    /** Retained events after a position, oldest first. */
    CompletableFuture<List<JobEvent>> retained(JobEngine engine, long after, int limit);

    /** The states a reader starts from; fails with {@code not_found} for an unknown job. */
    CompletableFuture<List<Job>> snapshots(JobEngine engine);

    /** Fails with {@code not_found}, exactly as for unknown jobs, unless the caller may read all of it. */
    CompletableFuture<Void> authorize(Access access, Principal caller);

    /** These jobs. */
    record Jobs(List<String> ids) implements StreamScope {
        /** These jobs, each once; an id no job can have is {@code not_found}, too many are {@code too_large}. */
        public static Jobs of(Collection<String> ids, Limits limits) {
            Set<String> unique = new LinkedHashSet<>();
            for (String id : ids) {
                if (!IdGenerator.looksLikeJobId(id)) {
                    throw HeraldException.notFound();
                }
                unique.add(id);
            }
            if (unique.size() > limits.maxSubscriptions()) {
                throw HeraldException.field(ErrorCode.TOO_LARGE, "jobs",
                        "at most " + limits.maxSubscriptions() + " jobs per stream");
            }
            return new Jobs(List.copyOf(unique));
        }

        @Override
        public FanOut.Registration register(FanOut fanOut, FanOut.Subscriber subscriber) {
            return fanOut.register(ids, subscriber);
        }

        @Override
        public CompletableFuture<List<JobEvent>> retained(JobEngine engine, long after, int limit) {
            return engine.streams().retainedEvents(ids, after, limit);
        }

        @Override
        public CompletableFuture<List<Job>> snapshots(JobEngine engine) {
            List<CompletableFuture<Job>> gets = ids.stream().map(engine::get).toList();
            return CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new))
                    .thenApply(v -> gets.stream().map(CompletableFuture::join).toList());
        }

        @Override
        public CompletableFuture<Void> authorize(Access access, Principal caller) {
            return CompletableFuture.allOf(ids.stream().map(id -> access.read(caller, id))
                    .toArray(CompletableFuture[]::new));
        }
    }

    /** A job and everything below it, descendants created later included. */
    record Subtree(String rootId) implements StreamScope {
        @Override
        public FanOut.Registration register(FanOut fanOut, FanOut.Subscriber subscriber) {
            return fanOut.registerSubtree(rootId, subscriber);
        }

        @Override
        public CompletableFuture<List<JobEvent>> retained(JobEngine engine, long after, int limit) {
            return engine.streams().subtree(rootId).thenCompose(jobs ->
                    engine.streams().retainedEvents(jobs.stream().map(Job::id).toList(), after, limit));
        }

        @Override
        public CompletableFuture<List<Job>> snapshots(JobEngine engine) {
            return engine.streams().subtree(rootId);
        }

        /** Below a readable job, everything is readable: same project, and under whatever a jobs claim names. */
        @Override
        public CompletableFuture<Void> authorize(Access access, Principal caller) {
            return access.read(caller, rootId).thenApply(job -> null);
        }
    }

    /** Every job of a project, jobs created later included; it opens with its unfinished jobs. */
    record Project(String name) implements StreamScope {
        /** At most this many unfinished jobs of each status open a project stream. */
        private static final int SNAPSHOTS = 1000;

        @Override
        public FanOut.Registration register(FanOut fanOut, FanOut.Subscriber subscriber) {
            return fanOut.registerProject(name, subscriber);
        }

        @Override
        public CompletableFuture<List<JobEvent>> retained(JobEngine engine, long after, int limit) {
            return engine.streams().retainedProjectEvents(name, after, limit);
        }

        @Override
        public CompletableFuture<List<Job>> snapshots(JobEngine engine) {
            return engine.streams().activeJobs(name, SNAPSHOTS);
        }

        /** A credential limited to some jobs cannot watch a whole project. */
        @Override
        public CompletableFuture<Void> authorize(Access access, Principal caller) {
            return caller.mayReadProject(name) && caller.jobs() == null ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.failedFuture(HeraldException.notFound());
        }
    }
}
