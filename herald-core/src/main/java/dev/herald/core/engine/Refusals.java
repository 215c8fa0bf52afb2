package dev.herald.core.engine;

import dev.herald.core.model.Job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ids most recently answered {@code not_found}, so that the next refusal of each is answered from memory: for
 * an unknown id, nothing; for a job some caller may not read, only what decides who may read it (its id, project,
 * parent and type, which never change). Ids are made by the server at random, so one found unknown stays unknown
 * unless it is created, which needs the id beforehand; a refused job that is later deleted is refused all the same.
 */
final class Refusals {
    private final Map<String, Optional<Job>> recent;

    Refusals(int capacity) {
        this.recent = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<Job>> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Null when the id was not refused lately; empty when it was unknown; else the refused job's access facts. */
    synchronized Optional<Job> get(String id) {
        return recent.get(id);
    }

    synchronized void unknown(String id) {
        recent.put(id, Optional.empty());
    }

    synchronized void unreadable(Job job) {
        recent.put(job.id(), Optional.of(new Job.Builder().id(job.id()).project(job.project())
                .parentId(job.parentId()).type(job.type()).build()));
    }
}
