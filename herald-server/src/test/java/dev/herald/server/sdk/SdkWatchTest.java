package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.event.EventType;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static dev.herald.core.event.EventType.LOG;
import static dev.herald.core.event.EventType.STATUS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** SDK.md §5 against a real server: what a watch delivers, in which order, and how it ends. */
class SdkWatchTest {
    @RegisterExtension
    static final SdkServer sdk = new SdkServer();

    /** The client under test: remote here, in-process in the Local subclass. */
    Herald herald() {
        return sdk.herald();
    }

    @Test
    void eachJobsEventsComeInVersionOrderAndNeverTwice() {
        WatchedEvents seen = new WatchedEvents();
        Job job = herald().create(JobSpec.of("ordered").total(500));
        try (Watch w = herald().watch(job.id(), seen); Reporter r = herald().reporter(job.id())) {
            await().until(() -> w.state() == Watch.State.LIVE);
            for (int i = 1; i <= 500; i++) {
                r.progress(i);
                if (i % 50 == 0) {
                    r.info("row " + i);
                }
            }
            r.complete(Map.of("rows", 500));
            await().until(() -> seen.finished(job.id()));
            assertThat(seen.broken).isEmpty();
            assertThat(seen.events.get(0).type()).isEqualTo(EventType.SNAPSHOT);
            assertThat(seen.moves(job.id())).containsExactly("pending->running", "running->completed");
            assertThat(seen.lines(job.id())).containsExactlyElementsOf(
                    IntStream.rangeClosed(1, 10).mapToObj(i -> "row " + i * 50).toList());
            assertThat(w.job(job.id()).status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(w.job(job.id()).progress().current()).isEqualTo(500.0);
        }
    }

    @Test
    void aSubtreeWatchSeesChildrenCreatedLaterAndOnlyTheTypesAskedFor() {
        WatchedEvents seen = new WatchedEvents();
        Reporter parent = herald().start(JobSpec.of("tree"));
        try (Watch w = herald().watch(WatchRequest.job(parent.jobId()).descendants().types(STATUS, LOG), seen)) {
            await().until(() -> w.state() == Watch.State.LIVE);
            Reporter child = parent.child(JobSpec.of("leaf"));
            child.progress(5).info("leaf at work");
            child.complete();
            parent.complete();
            await().until(() -> seen.finished(parent.jobId()) && seen.finished(child.jobId()));
            assertThat(seen.broken).isEmpty();
            assertThat(seen.types()).doesNotContain(EventType.PROGRESS, EventType.CHILDREN);
            assertThat(seen.lines(child.jobId())).containsExactly("leaf at work");
            assertThat(seen.moves(child.jobId())).endsWith("running->completed");
        }
    }

    @Test
    void aProjectWatchSeesJobsCreatedAfterItOpened() {
        String project = "watch-" + UUID.randomUUID();
        WatchedEvents seen = new WatchedEvents();
        try (Watch w = herald().watch(WatchRequest.project(project), seen)) {
            await().until(() -> w.state() == Watch.State.LIVE);
            Job job = herald().create(JobSpec.of("late").project(project));
            herald().cancel(job.id());
            await().until(() -> seen.finished(job.id()));
            assertThat(seen.last(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(seen.broken).isEmpty();
        }
    }

    @Test
    void theStatesRunFromConnectingThroughLiveToClosed() {
        Job job = herald().create(JobSpec.of("states"));
        List<Watch.State> states = new CopyOnWriteArrayList<>();
        Watch w = herald().watch(job.id(), e -> { }).onState(states::add);
        await().until(() -> states.contains(Watch.State.LIVE));
        w.close();
        await().until(() -> states.contains(Watch.State.CLOSED));
        assertThat(states).endsWith(Watch.State.LIVE, Watch.State.CLOSED);
        assertThat(w.state()).isEqualTo(Watch.State.CLOSED);
        assertThat(w.error()).isEmpty();
    }

    @Test
    void anUnknownJobEndsTheWatchWithNotFoundInsteadOfRetrying() {
        Watch w = herald().watch("j_" + "0".repeat(26), e -> { });
        await().until(() -> w.state() == Watch.State.CLOSED);
        assertThat(w.error()).get().extracting(HeraldException::code).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void aBadTokenEndsTheWatchWithUnauthorized() {
        Job job = herald().create(JobSpec.of("secret"));
        try (Herald stranger = Herald.remote(sdk.server().baseUrl(), "not-a-token")) {
            Watch w = stranger.watch(job.id(), e -> { });
            await().until(() -> w.state() == Watch.State.CLOSED);
            assertThat(w.error()).get().extracting(HeraldException::code).isEqualTo(ErrorCode.UNAUTHORIZED);
        }
    }

    @Test
    void moreJobsThanOneConnectionCarriesAreRefusedAtTheCall() {
        List<String> ids = new ArrayList<>(Collections.nCopies(1, "j_a"));
        IntStream.range(0, WatchRequest.MAX_JOBS).forEach(i -> ids.add("j_" + i));
        assertThatThrownBy(() -> WatchRequest.jobs(ids)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> WatchRequest.project("acme").descendants())
                .isInstanceOf(IllegalArgumentException.class);
    }
}
