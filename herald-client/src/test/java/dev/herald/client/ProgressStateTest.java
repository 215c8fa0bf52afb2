package dev.herald.client;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.Progress;
import dev.herald.core.model.Stage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One state per job, whatever the number of calls; what is taken is what changed, with its newest value. */
class ProgressStateTest {
    private static final List<Stage> STAGES = List.of(new Stage("parsing", 20), new Stage("loading", 80));

    @Test
    void aMillionIncrementsAreOneReportWithTheExactCount() {
        ProgressState s = new ProgressState(List.of(), Progress.NONE);
        s.progress(0, 2_000_000.0);
        assertThat(s.take()).isEqualTo(new ProgressReport(null, null, 0.0, 2_000_000.0, null, null, null, null));
        for (int i = 0; i < 1_000_000; i++) {
            s.increment(1);
        }
        assertThat(s.take()).isEqualTo(new ProgressReport(null, null, 1_000_000.0, null, null, null, null, null));
        assertThat(s.take()).isNull();
        assertThat(s.hasChanges()).isFalse();
    }

    @Test
    void anUnsentReportGoesAgainWithTheNewestValues() {
        ProgressState s = new ProgressState(List.of(), Progress.NONE);
        s.progress(1, 10.0);
        s.message("one");
        ProgressReport lost = s.take();
        s.increment(1);
        s.untake(lost);
        assertThat(s.take()).isEqualTo(new ProgressReport(null, null, 2.0, 10.0, null, null, "one", null));
    }

    @Test
    void aReportRefusedForOneFieldGoesAgainWithoutIt() {
        ProgressState s = new ProgressState(List.of(), Progress.NONE);
        s.progress(3, 10.0);
        s.message("far too long");
        assertThat(s.untakeAllBut(s.take(), "message")).isTrue();
        assertThat(s.take()).isEqualTo(new ProgressReport(null, null, 3.0, 10.0, null, null, null, null));
        s.message("only this");
        assertThat(s.untakeAllBut(s.take(), "message")).as("nothing else to send").isFalse();
        assertThat(s.hasChanges()).isFalse();
    }

    @Test
    void incrementsContinueFromTheJobsProgress() {
        ProgressState s = new ProgressState(List.of(), new Progress(null, null, 40.0, 100.0, "rows", 40, null, null));
        s.increment(2);
        assertThat(s.take().current()).isEqualTo(42.0);
        assertThatThrownBy(() -> s.increment(59)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceed total");
        assertThat(s.hasChanges()).as("a refused call changes nothing").isFalse();
    }

    @Test
    void aMoveToAnotherStageStartsItsCountAfresh() {
        ProgressState s = new ProgressState(STAGES, Progress.NONE);
        s.stage("parsing");
        s.progress(100, 100.0);
        s.take();
        s.stage("loading");
        s.progress(5, null);
        assertThat(s.take()).isEqualTo(new ProgressReport("loading", null, 5.0, null, null, null, null, null));
    }

    @Test
    void theFirstStageKeepsWhatCreationSaid() {
        ProgressState s = new ProgressState(STAGES, new Progress(null, null, null, 1000.0, "rows", 0, null, null));
        s.stage("parsing");
        s.progress(10, null);
        assertThat(s.take()).isEqualTo(new ProgressReport("parsing", null, 10.0, 1000.0, "rows", null, null, null));
    }

    @Test
    void aStageTheJobDoesNotHaveIsRefusedAtTheCall() {
        ProgressState s = new ProgressState(STAGES, Progress.NONE);
        assertThatThrownBy(() -> s.stage("uploading")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no stage 'uploading'").hasMessageContaining("[parsing, loading]");
        ProgressState unstaged = new ProgressState(List.of(), Progress.NONE);
        unstaged.stage("anything");
        assertThat(unstaged.take().stage()).as("a job without stages takes a stage as a label").isEqualTo("anything");
    }
}
