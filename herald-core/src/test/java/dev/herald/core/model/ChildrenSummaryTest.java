package dev.herald.core.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildrenSummaryTest {

    @Test
    void apiExample() {
        ChildrenSummary s = new ChildrenSummary(108, 66, 0, 1, 41, 0, 0, 38.9);
        assertThat(s.text()).isEqualTo("66 pending, 1 running, 41 completed, 0 failed");
    }

    @Test
    void queuedCountsAsPending() {
        ChildrenSummary s = new ChildrenSummary(108, 60, 6, 1, 41, 0, 0, 38.9);
        assertThat(s.text()).isEqualTo("66 pending, 1 running, 41 completed, 0 failed");
    }

    @Test
    void cancelledShownOnlyWhenNonZero() {
        assertThat(new ChildrenSummary(10, 1, 2, 3, 1, 2, 1, 50).text())
                .isEqualTo("3 pending, 3 running, 1 completed, 2 failed, 1 cancelled");
        assertThat(new ChildrenSummary(9, 1, 2, 3, 1, 2, 0, 50).text())
                .isEqualTo("3 pending, 3 running, 1 completed, 2 failed")
                .doesNotContain("cancelled");
    }

    @Test
    void allZero() {
        assertThat(new ChildrenSummary(0, 0, 0, 0, 0, 0, 0, 0).text())
                .isEqualTo("0 pending, 0 running, 0 completed, 0 failed");
    }

    @Test
    void onlyCancelled() {
        assertThat(new ChildrenSummary(4, 0, 0, 0, 0, 0, 4, 100).text())
                .isEqualTo("0 pending, 0 running, 0 completed, 0 failed, 4 cancelled");
    }
}
