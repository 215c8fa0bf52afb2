package dev.herald.client;

import dev.herald.core.command.LogEntry;
import dev.herald.core.model.LogLevel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Past the bound, the oldest waiting debug/info line goes; warn and error lines stay while one of those waits. */
class LineBudgetTest {
    private static QueuedWrite.Line line(LogLevel level, String message) {
        return new QueuedWrite.Line(null, new LogEntry(level, message, null));
    }

    @Test
    void theOldestDebugOrInfoLineIsDroppedFirst() {
        LineBudget budget = new LineBudget(3);
        QueuedWrite.Line warn = line(LogLevel.WARN, "w");
        QueuedWrite.Line info1 = line(LogLevel.INFO, "i1");
        QueuedWrite.Line debug = line(LogLevel.DEBUG, "d");
        assertThat(budget.admit(warn)).isNull();
        assertThat(budget.admit(info1)).isNull();
        assertThat(budget.admit(debug)).isNull();
        QueuedWrite.Line error = line(LogLevel.ERROR, "e");
        assertThat(budget.admit(error)).isSameAs(info1);
        assertThat(info1.isDone()).isTrue();
        assertThat(budget.admit(line(LogLevel.INFO, "i2"))).isSameAs(debug);
        assertThat(budget.waiting()).isEqualTo(3);
        assertThat(warn.isDone() || error.isDone()).isFalse();
    }

    @Test
    void aLineBeingSentIsNotDropped() {
        LineBudget budget = new LineBudget(1);
        QueuedWrite.Line sending = line(LogLevel.INFO, "sending");
        budget.admit(sending);
        assertThat(sending.claim()).isTrue();
        QueuedWrite.Line next = line(LogLevel.INFO, "next");
        assertThat(budget.admit(next)).as("only the new line can go").isSameAs(next);
    }

    @Test
    void withOnlyWarnAndErrorWaitingTheNewLineIsDropped() {
        LineBudget budget = new LineBudget(1);
        budget.admit(line(LogLevel.ERROR, "kept"));
        QueuedWrite.Line more = line(LogLevel.WARN, "over");
        assertThat(budget.admit(more)).isSameAs(more);
        budget.release();
        assertThat(budget.waiting()).isZero();
    }

    @Test
    void linesSentLongAgoAreNeverTheOnesDropped() {
        LineBudget budget = new LineBudget(2);
        for (int i = 0; i < 100; i++) {
            QueuedWrite.Line sent = line(LogLevel.INFO, "sent " + i);
            budget.admit(sent);
            sent.claim();
            sent.done();
            budget.release();
        }
        QueuedWrite.Line first = line(LogLevel.INFO, "first");
        budget.admit(first);
        budget.admit(line(LogLevel.INFO, "second"));
        assertThat(budget.admit(line(LogLevel.INFO, "third"))).isSameAs(first);
    }
}
