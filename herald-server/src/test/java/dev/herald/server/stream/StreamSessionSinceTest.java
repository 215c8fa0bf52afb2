package dev.herald.server.stream;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which retained events a WebSocket {@code since} replays ({@link StreamSession#notHeld}). */
class StreamSessionSinceTest {
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private static JobEvent log(String id, long version, long position) {
        Job job = new Job.Builder().id(id).type("t").project("p").status(JobStatus.RUNNING).createdAt(T).updatedAt(T)
                .version(version).build();
        return JobEvent.log(job, new LogLine(version, T, LogLevel.INFO, "m", null)).at(position);
    }

    private static List<String> names(List<JobEvent> events) {
        return events.stream().map(e -> e.jobId() + ":" + e.version()).toList();
    }

    @Test
    void namedJobsReplayAboveTheirVersionOthersAfterTheLastEventHeldOfANamedJob() {
        List<JobEvent> retained = List.of(
                log("p", 1, 1), log("a", 1, 2), log("p", 2, 3), log("b", 1, 4), log("p", 3, 5), log("b", 2, 6));
        // the client holds p at version 2 (position 3): it had a:1 (position 2), not b's events after it
        assertThat(names(StreamSession.notHeld(retained, Map.of("p", 2L))))
                .containsExactly("b:1", "p:3", "b:2");
    }

    @Test
    void withNoEventHeldOfANamedJobEveryOtherJobReplaysWhole() {
        List<JobEvent> retained = List.of(log("a", 1, 1), log("p", 5, 2), log("b", 1, 3));
        assertThat(names(StreamSession.notHeld(retained, Map.of("p", 4L))))
                .containsExactly("a:1", "p:5", "b:1");
    }
}
