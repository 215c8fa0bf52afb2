package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bad input to a reporter is refused at the call, with nothing sent; what only the server can judge is refused
 * with the API's code, or (for progress, which is sent later) logged while the rest of the report still goes.
 */
class SdkBadInputTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    static TestServer server;
    private static Herald remote;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        remote = Herald.builder().url(server.baseUrl()).token(TestServer.TOKEN)
                .progressInterval(Duration.ofMillis(20)).build();
    }

    /** The client under test: remote here, in-process in the Local subclass. */
    Herald herald() {
        return remote;
    }

    @AfterAll
    static void stop() {
        remote.close();
        server.close();
    }

    @Test
    void theReporterKnowsTheJobsStagesAndRefusesOthersAtTheCall() {
        Job job = herald().create(JobSpec.of("staged").stage("parsing", 20).stage("loading", 80).total(10));
        for (Reporter r : List.of(herald().reporter(job.id()), herald().start(JobSpec.of("staged").stage("parsing", 1)))) {
            assertThatThrownBy(() -> r.stage("uploading")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'uploading'");
            r.stage("parsing");
        }
        Reporter r = herald().reporter(job.id());
        assertThatThrownBy(() -> r.progress(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.progress(11)).as("the job's total is 10").isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.progress(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.progress(1, -2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.metadata(List.of("not", "an", "object"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.log(null, "m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> herald().reporter(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aJobWithoutStagesTakesAStageNameAsALabelAsTheServerDoes() {
        Reporter r = herald().start(JobSpec.of("unstaged"));
        r.stage("warming up").progress(1, 2);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(herald().get(r.jobId()).progress().stage()).isEqualTo("warming up"));
    }

    @Test
    void whatOnlyTheServerCanJudgeIsRefusedWithItsCode() {
        assertThatThrownBy(() -> herald().reporter("j_00000000000000000000000000"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        Reporter r = herald().start(JobSpec.of("too-large"));
        assertThatThrownBy(() -> r.complete(Map.of("blob", "x".repeat(1024 * 1024 + 10))))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
    }

    @Test
    void aProgressFieldTheServerRefusesIsLoggedAndTheRestStillArrives() {
        Reporter r = herald().start(JobSpec.of("long-message").total(10));
        r.message("m".repeat(5000)).progress(5);
        await().atMost(WAIT).untilAsserted(() -> assertThat(herald().get(r.jobId()).progress().current()).isEqualTo(5.0));
        r.info("after the refusal");
        r.complete();
        assertThat(herald().logs(r.jobId(), 0, 10)).hasSize(1);
        assertThat(herald().get(r.jobId()).progress().message()).isNull();
    }
}
