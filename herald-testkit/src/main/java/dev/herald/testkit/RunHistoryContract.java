package dev.herald.testkit;

import dev.herald.core.history.RunHistory;
import dev.herald.core.history.RunRecord;
import dev.herald.core.history.StageRun;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on the estimates' history (API §10): runs counted by type and
 * project, the newest successful ones kept whole, older ones only counted, old ones pruned.
 */
public interface RunHistoryContract extends JobStoreFixture {
    /** A run of "import" finished {@code minutes} after T0, lasting {@code ms}, parsing a tenth of it. */
    static RunRecord run(String project, String type, int minutes, long ms, boolean succeeded) {
        return new RunRecord(type, project, succeeded, T0.plus(Duration.ofMinutes(minutes)), ms,
                List.of(new StageRun("parse", ms / 10, null), new StageRun("load", ms - ms / 10, 2.5)));
    }

    @Test
    default void aTypeWithoutRunsHasAnEmptyHistory() {
        assertThat(store().history(ACME, "import")).isEqualTo(RunHistory.empty("import", ACME));
        assertThat(store().histories(ACME)).isEmpty();
    }

    @Test
    default void runsAreCountedAndTheSuccessfulOnesKeptNewestFirst() {
        RunRecord first = run(ACME, "import", 1, 10_000, true);
        RunRecord failed = run(ACME, "import", 2, 3_000, false);
        RunRecord second = run(ACME, "import", 3, 12_345, true);
        store().recordRun(first);
        store().recordRun(failed);
        store().recordRun(second);
        store().recordRun(run(ACME, "export", 4, 500, true));
        store().recordRun(run(GLOBEX, "import", 5, 1, true));

        RunHistory imports = store().history(ACME, "import");
        assertThat(imports).isEqualTo(new RunHistory("import", ACME, 3, 2, List.of(second, first)));
        assertThat(store().histories(ACME)).extracting(RunHistory::type).containsExactly("export", "import");
        assertThat(store().histories(ACME).get(1)).isEqualTo(imports);
    }

    @Test
    default void onlyTheNewestSuccessfulRunsAreKeptTheOthersStillCount() {
        int runs = RunHistory.KEPT + 7;
        for (int i = 0; i < runs; i++) {
            store().recordRun(run(ACME, "import", i, 1000 + i, true));
        }
        RunHistory history = store().history(ACME, "import");
        assertThat(history.finished()).isEqualTo(runs);
        assertThat(history.succeeded()).isEqualTo(runs);
        assertThat(history.recent()).hasSize(RunHistory.KEPT);
        assertThat(history.recent().get(0).durationMs()).isEqualTo(1000 + runs - 1);
        assertThat(history.recent().get(RunHistory.KEPT - 1).durationMs()).isEqualTo(1007);
    }

    @Test
    default void pruningForgetsOldRunsAndTypesNotRunSince() {
        store().recordRun(run(ACME, "import", 1, 1000, true));
        store().recordRun(run(ACME, "import", 10, 2000, true));
        store().recordRun(run(ACME, "export", 2, 3000, true));

        assertThat(store().pruneHistory(T0.plus(Duration.ofMinutes(5)))).isEqualTo(2);
        RunHistory imports = store().history(ACME, "import");
        assertThat(imports.recent()).extracting(RunRecord::durationMs).containsExactly(2000L);
        assertThat(imports.finished()).as("the counts stay while the type runs").isEqualTo(2);
        assertThat(store().histories(ACME)).extracting(RunHistory::type).containsExactly("import");
    }
}
