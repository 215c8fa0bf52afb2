package dev.herald.client;

import dev.herald.client.transport.RetryableException;
import dev.herald.client.transport.ServerUnreachableException;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.herald.client.JobVersionsTest.job;
import static dev.herald.client.JobVersionsTest.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A watch over a transport whose streams the test plays: cursors, copies, reconnects, fallback, refusal. */
class EventWatchTest {
    private static final Duration NEVER = Duration.ofHours(1);

    private final StreamingTransport transport = new StreamingTransport();
    private final WatchThreads threads = new WatchThreads();
    private final List<JobEvent> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        threads.close();
    }

    private EventWatch watch(Duration keepAlive) {
        EventWatch w = new EventWatch(transport, threads, WatchRequest.job("j_1").query(), delivered::add,
                new WatchSettings(keepAlive, NEVER), x -> { });
        w.start();
        return w;
    }

    private static RetryableException badGateway() {
        return new RetryableException(ErrorCode.UNAVAILABLE, "the server answered HTTP 502", null);
    }

    @Test
    void aDroppedStreamResumesAfterTheLastCursorAndWhatComesAgainIsDropped() throws Exception {
        EventWatch w = watch(NEVER);
        StreamingTransport.Opened first = transport.next();
        assertThat(first.cursor()).isNull();
        first.sink().event(JobEvent.snapshot(job("j_1", 1, JobStatus.RUNNING), 0), "e-1");
        first.sink().event(JobEvent.progress(job("j_1", 2, JobStatus.RUNNING)), "e-1");
        first.sink().event(log("j_1", 3, 1), "e-3");
        first.sink().closed(null);

        StreamingTransport.Opened second = transport.next();
        assertThat(second.cursor()).isEqualTo("e-3");
        second.sink().event(log("j_1", 3, 1), "e-3");
        second.sink().event(JobEvent.snapshot(job("j_1", 3, JobStatus.RUNNING), 0), "e-3");
        second.sink().event(JobEvent.status(job("j_1", 4, JobStatus.COMPLETED), JobStatus.RUNNING), "e-4");

        // the line comes once; the state at its version is news (the line carried none), as the server's streams rank it
        await().until(() -> delivered.size() == 5);
        assertThat(delivered).extracting(JobEvent::version).containsExactly(1L, 2L, 3L, 3L, 4L);
        assertThat(delivered).extracting(JobEvent::type).containsExactly(EventType.SNAPSHOT, EventType.PROGRESS,
                EventType.LOG, EventType.SNAPSHOT, EventType.STATUS);
        assertThat(w.job("j_1").status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(w.state()).isEqualTo(Watch.State.LIVE);
    }

    @Test
    void threeConnectsThatReachNoStreamFallBackToPollingWhichDeliversTheChanges() throws Exception {
        EventWatch w = watch(NEVER);
        transport.current(job("j_1", 1, JobStatus.RUNNING));
        for (int i = 0; i < 3; i++) {
            transport.next().sink().closed(badGateway());
        }
        await().until(() -> w.state() == Watch.State.POLLING);
        await().until(() -> delivered.size() == 1);
        transport.current(job("j_1", 2, JobStatus.COMPLETED));
        await().until(() -> delivered.size() == 2);
        assertThat(delivered).extracting(JobEvent::type).containsExactly(EventType.SNAPSHOT, EventType.STATUS);
        assertThat(delivered.get(1).from()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aServerThatCannotBeReachedIsWaitedForOnTheStreamNotPolled() throws Exception {
        EventWatch w = watch(NEVER);
        for (int i = 0; i < 3; i++) {
            transport.next().sink().closed(new ServerUnreachableException("connection refused"));
        }
        transport.next();
        assertThat(w.state()).isEqualTo(Watch.State.RECONNECTING);
        assertThat(transport.polls).hasValue(0);
    }

    @Test
    void aRefusalEndsTheWatchWithItsErrorAndNothingIsTriedAgain() throws Exception {
        EventWatch w = watch(NEVER);
        transport.next().sink().closed(new HeraldException(ErrorCode.UNAUTHORIZED, "bad token"));
        assertThat(w.state()).isEqualTo(Watch.State.CLOSED);
        assertThat(w.error()).get().extracting(HeraldException::code).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(transport.noneOpened()).isTrue();
    }

    @Test
    void aStreamSilentForTwiceTheKeepAliveFallsBackToPolling() throws Exception {
        EventWatch w = watch(Duration.ofMillis(50));
        transport.current(job("j_1", 1, JobStatus.RUNNING));
        transport.next().sink().alive();
        await().until(() -> w.state() == Watch.State.POLLING);
        assertThat(transport.streamsClosed).hasPositiveValue();
    }

    @Test
    void nothingIsDeliveredAfterClose() throws Exception {
        EventWatch w = watch(NEVER);
        StreamingTransport.Opened s = transport.next();
        w.close();
        s.sink().event(JobEvent.snapshot(job("j_1", 1, JobStatus.RUNNING), 0), "e-1");
        assertThat(w.state()).isEqualTo(Watch.State.CLOSED);
        assertThat(transport.streamsClosed).hasValue(1);
        assertThat(delivered).isEmpty();
    }
}
