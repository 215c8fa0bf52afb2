package dev.herald.server.cluster;

import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Moved;
import dev.herald.core.cluster.Peers;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;
import dev.herald.server.edge.Limits;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A batch of forwarded progress on the wire: as the sender writes it, the owner reads it, and back. */
class ProgressBatchWireTest {

    @Test
    void theOwnerReadsEachUpdateWithItsLeaseTokenInOrder() {
        ProgressReport staged = new ProgressReport("copy", 1, 3.0, 10.0, "rows", null, "through b", null);
        String body = ProgressBatchWire.body(List.of(
                new Peers.Update(new Forward.Progress("j_1", staged), "lease-1"),
                new Peers.Update(new Forward.Progress("j_2", ProgressReport.of(1, 2)), null)));

        List<ProgressBatchWire.Entry> entries = ProgressBatchWire.entries(body, 256, Limits.defaults());
        assertThat(entries).extracting(ProgressBatchWire.Entry::jobId).containsExactly("j_1", "j_2");
        assertThat(entries.get(0).leaseToken()).isEqualTo("lease-1");
        assertThat(entries.get(0).report()).isEqualTo(staged);
        assertThat(entries.get(1).leaseToken()).isNull();
        assertThat(entries.get(1).report()).isEqualTo(ProgressReport.of(1, 2));
    }

    @Test
    void anUpdateTheOwnerCannotReadIsRefusedAloneAndTooManyAreRefusedWhole() {
        String body = "[{\"jobId\":\"j_1\",\"report\":{\"current\":5,\"total\":2}},"
                + "{\"jobId\":\"j_2\",\"report\":{\"current\":1}},{\"jobId\":\"j_3\"}]";
        List<ProgressBatchWire.Entry> entries = ProgressBatchWire.entries(body, 256, Limits.defaults());
        assertThat(entries.get(0).error().code()).isEqualTo(ErrorCode.INVALID_PROGRESS);
        assertThat(entries.get(1).error()).isNull();
        assertThat(entries.get(2).error().code()).isEqualTo(ErrorCode.INVALID_FIELD);

        assertThatThrownBy(() -> ProgressBatchWire.entries(body, 2, Limits.defaults()))
                .isInstanceOf(HeraldException.class);
    }

    @Test
    void eachAnswerComesBackAsASingleForwardsWould() {
        HeraldException finished = new HeraldException(ErrorCode.JOB_FINISHED, "the job is cancelled", null,
                JobStatus.CANCELLED);
        String answer = ProgressBatchWire.answer(List.of(7L, Moved.fenced(), finished,
                new IllegalStateException("a fault of the owner")));

        List<Peers.Outcome> outcomes = ProgressBatchWire.outcomes(answer, 4);
        assertThat(outcomes.get(0)).isEqualTo(Peers.Outcome.applied(7));
        assertThat(outcomes.get(1).refusal()).isInstanceOf(Moved.class);
        assertThat(outcomes.get(2).refusal()).isInstanceOfSatisfying(HeraldException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
            assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(e).hasMessage("the job is cancelled");
        });
        assertThat(outcomes.get(3).refusal()).isInstanceOfSatisfying(HeraldException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));

        assertThatThrownBy(() -> ProgressBatchWire.outcomes(answer, 3)).isInstanceOf(IllegalStateException.class);
    }
}
