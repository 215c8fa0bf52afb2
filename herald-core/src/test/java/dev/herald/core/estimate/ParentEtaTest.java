package dev.herald.core.estimate;

import dev.herald.core.model.Eta;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParentEtaTest {
    private static ParentEta.Child running(long ms) {
        return new ParentEta.Child(JobStatus.RUNNING, new Eta(ms, ms / 2, ms * 2, Eta.RATE, 0), 9_000L, 4);
    }

    private static ParentEta.Child queued(long median) {
        return new ParentEta.Child(JobStatus.QUEUED, null, median, 6);
    }

    @Test
    void theSlowestRunningChildBoundsTheParent() {
        Eta eta = ParentEta.of(List.of(running(1000), running(5000), running(3000)), 3);
        assertThat(eta).isEqualTo(new Eta(5000, 2500, 10_000, Eta.RATE, 0));
    }

    @Test
    void waitingChildrenShareTheWorkersSeen() {
        List<ParentEta.Child> children = List.of(running(5000), queued(10_000), queued(10_000), queued(10_000),
                queued(10_000), new ParentEta.Child(JobStatus.COMPLETED, null, null, 0));
        Eta eta = ParentEta.of(children, 2);
        assertThat(eta.remainingMs()).as("5 s, then 40 s of work on 2 workers").isEqualTo(25_000);
        assertThat(eta.basis()).isEqualTo(Eta.BLEND);
        assertThat(eta.sampleSize()).isEqualTo(6);
        assertThat(ParentEta.of(List.of(queued(10_000), queued(10_000)), 0).basis()).isEqualTo(Eta.HISTORY);
    }

    @Test
    void aChildThatNothingTellsAboutLeavesTheParentWithoutEstimate() {
        assertThat(ParentEta.of(List.of(running(1000), new ParentEta.Child(JobStatus.RUNNING, null, null, 0)), 2))
                .isNull();
        assertThat(ParentEta.of(List.of(new ParentEta.Child(JobStatus.PENDING, null, null, 0)), 2)).isNull();
        assertThat(ParentEta.of(List.of(), 2)).isNull();
    }
}
