package dev.herald.core.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class JobStatusTest {

    /** API §1, written out independently of the enum's own table. */
    private static final Set<String> ALLOWED = Set.of(
            "pending>queued", "pending>running", "pending>cancelled", "pending>failed",
            "queued>running", "queued>cancelled", "queued>failed",
            "running>completed", "running>failed", "running>cancelled", "running>queued");

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                pairs.add(Arguments.of(from, to, ALLOWED.contains(from.wire() + ">" + to.wire())));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} -> {1}: allowed={2}")
    @MethodSource("everyPair")
    void transitionTableMatchesApi(JobStatus from, JobStatus to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
    }

    @Test
    void tableHasThirtySixPairsAndElevenAllowed() {
        assertThat(everyPair().count()).isEqualTo(36);
        assertThat(everyPair().filter(a -> (boolean) a.get()[2]).count()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(JobStatus.class)
    void noStatusMovesToItself(JobStatus s) {
        assertThat(s.canMoveTo(s)).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"PENDING,false", "QUEUED,false", "RUNNING,false", "COMPLETED,true", "FAILED,true", "CANCELLED,true"})
    void terminalStatuses(JobStatus s, boolean terminal) {
        assertThat(s.isTerminal()).isEqualTo(terminal);
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"COMPLETED", "FAILED", "CANCELLED"})
    void terminalStatusesGoNowhere(JobStatus s) {
        for (JobStatus to : JobStatus.values()) {
            assertThat(s.canMoveTo(to)).as("%s -> %s", s, to).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({"PENDING,true", "QUEUED,true", "RUNNING,false", "COMPLETED,false", "FAILED,false", "CANCELLED,false"})
    void waitingStatuses(JobStatus s, boolean waiting) {
        assertThat(s.isWaiting()).isEqualTo(waiting);
    }

    @ParameterizedTest
    @CsvSource({"PENDING,pending", "QUEUED,queued", "RUNNING,running", "COMPLETED,completed", "FAILED,failed",
            "CANCELLED,cancelled"})
    void wireNames(JobStatus s, String wire) {
        assertThat(s.wire()).isEqualTo(wire);
        assertThat(JobStatus.fromWire(wire)).contains(s);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"", "RUNNING", "Running", " running", "running ",
            "done", "canceled"})
    void unknownWireNamesAreRefused(String text) {
        assertThat(JobStatus.fromWire(text)).isEmpty();
    }

    @Test
    void nullWireNameIsRefused() {
        assertThat(JobStatus.fromWire(null)).isEmpty();
    }
}
