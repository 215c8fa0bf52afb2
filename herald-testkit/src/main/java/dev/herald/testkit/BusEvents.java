package dev.herald.testkit;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.List;

/** Events as the engine publishes them: retained ones at rising positions, the others at the last one. */
final class BusEvents {
    private long position;

    long position() {
        return position;
    }

    JobEvent retained(JobEvent event) {
        return event.at(++position);
    }

    /** The job's next {@code count} progress events. */
    List<JobEvent> progressOf(Job job, int count) {
        List<JobEvent> events = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            Job next = job.toBuilder().version(job.version() + i).updatedAt(job.updatedAt().plusMillis(i)).build();
            events.add(JobEvent.progress(next).at(position));
        }
        return events;
    }
}
