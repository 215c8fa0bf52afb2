package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code awaitFinished} and {@code whenFinished} (SDK.md §5) against a real sdk.server(). */
class SdkAwaitFinishedTest {
    @RegisterExtension
    static final SdkServer sdk = new SdkServer();

    /** The client under test: remote here, in-process in the Local subclass. */
    Herald herald() {
        return sdk.herald();
    }

    @Test
    void whenFinishedCompletesWithTheJobAsItEnded() throws Exception {
        Job job = herald().create(JobSpec.of("finish").status(JobStatus.RUNNING));
        CompletableFuture<Job> done = herald().whenFinished(job.id());
        herald().complete(job.id(), Map.of("rows", 3));
        Job finished = done.get(15, TimeUnit.SECONDS);
        assertThat(finished.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(finished.result().text()).isEqualTo("{\"rows\":3}");
    }

    @Test
    void aCancelledJobIsFinishedToo() throws Exception {
        Job job = herald().create(JobSpec.of("finish"));
        CompletableFuture<Job> done = herald().whenFinished(job.id());
        herald().cancel(job.id());
        assertThat(done.get(15, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void awaitFinishedOfAFinishedJobAnswersAtOnce() throws Exception {
        Job job = herald().create(JobSpec.of("finish").status(JobStatus.RUNNING));
        herald().fail(job.id(), "broken");
        Job finished = herald().awaitFinished(job.id(), Duration.ofSeconds(15));
        assertThat(finished.status()).isEqualTo(JobStatus.FAILED);
        assertThat(finished.error().message()).isEqualTo("broken");
    }

    @Test
    void awaitFinishedGivesUpAfterItsTimeout() {
        Job job = herald().create(JobSpec.of("finish").status(JobStatus.RUNNING));
        assertThatThrownBy(() -> herald().awaitFinished(job.id(), Duration.ofMillis(200)))
                .isInstanceOf(TimeoutException.class).hasMessageContaining(job.id());
    }

    @Test
    void anUnknownJobIsNotFound() {
        String unknown = "j_" + "1".repeat(26);
        assertThatThrownBy(() -> herald().awaitFinished(unknown, Duration.ofSeconds(15)))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> herald().whenFinished(unknown).get(15, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(HeraldException.class);
    }
}
