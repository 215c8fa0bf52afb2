package dev.herald.core.engine;

import dev.herald.core.model.Job;

import java.util.Optional;

/**
 * The ids most recently answered {@code not_found}, so that the next refusal of each is answered from memory: for
 * an unknown id, nothing; for a job some caller may not read, only what decides who may read it
 * ({@link #accessFacts}). Ids are made by the server at random, so one found unknown stays unknown unless it is
 * created, which needs the id beforehand; a refused job that is later deleted is refused all the same.
 */
final class Refusals {
    private final RecentlyUsed<Optional<Job>> recent;

    Refusals(int capacity) {
        this.recent = new RecentlyUsed<>(capacity);
    }

    /** What decides who may read or change a job: its id, project, parent and type, which never change. */
    static Job accessFacts(Job job) {
        return new Job.Builder().id(job.id()).project(job.project()).parentId(job.parentId()).type(job.type()).build();
    }

    /** Null when the id was not refused lately; empty when it was unknown; else the refused job's access facts. */
    Optional<Job> get(String id) {
        return recent.get(id);
    }

    void unknown(String id) {
        recent.put(id, Optional.empty());
    }

    void unreadable(Job job) {
        recent.put(job.id(), Optional.of(accessFacts(job)));
    }
}
