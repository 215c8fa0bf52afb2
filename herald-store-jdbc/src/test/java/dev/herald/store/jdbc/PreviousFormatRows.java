package dev.herald.store.jdbc;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.ChildrenSummary;
import dev.herald.core.model.Eta;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.Progress;
import dev.herald.core.model.RawJson;
import dev.herald.core.model.Stage;
import dev.herald.testkit.TestJobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static dev.herald.testkit.TestJobs.T0;

/**
 * Rows as the store wrote them before it had a format of its own (format 0: the
 * API's JSON of jobs and events, from JobJson and EventJson), captured from that
 * code into {@code previous-format/rows.sql}, and what they must read back as.
 */
final class PreviousFormatRows {
    static final String ROWS = "/previous-format/rows.sql";

    /** Format 0 knew an estimate's time and basis only, and nothing of overdue or stalled jobs. */
    static final Job EVERY_FIELD = TestJobs.everyField("acme").toBuilder()
            .id("prevEveryField_00001").parentId("prevParent_000000001")
            .eta(new Eta(5_400, Eta.HISTORY)).overdue(false).stalled(false).build();
    static final Job REQUIRED_ONLY = new Job.Builder().id("prevRequiredOnly_001").type("t").project("acme")
            .createdAt(T0).updatedAt(T0).version(1).build();
    static final Job PENDING = TestJobs.pending("acme").id("prevRunning_00000001").build();
    static final Job RUNNING = TestJobs.running("acme").id(PENDING.id()).eta(new Eta(73_250, Eta.RATE)).build();
    static final Job COMPLETED = TestJobs.completed("globex", T0.plusSeconds(90)).id("prevCompleted_000001").build();
    /**
     * Cancelled before it started, with values that are hard to carry: escapes, huge and inexact numbers, a bare
     * result. It was written with percents 33.333333333 and 66.6666666; format 0 kept two decimals.
     */
    static final Job ODD = new Job.Builder().id("prevOdd_000000000001").type("odd \"type\"").project("globex")
            .name("line 1\nline 2\t\"quoted\" \\ 😀").owner("ö")
            .status(JobStatus.CANCELLED)
            .stages(List.of(new Stage("a", 0.5), new Stage("b", 2.5)))
            .progress(new Progress("b", 1, 1.0E20, 0.1 + 0.2, null, 33.33, null,
                    new RawJson("{\"price\":1.50,\"big\":12345678901234567890,\"list\":[],\"s\":\"}{\"}")))
            .children(new ChildrenSummary(3, 0, 0, 0, 2, 0, 1, 66.67))
            .result(new RawJson("\"done\""))
            .error(new JobError("cancelled", null))
            .attempt(3).maxAttempts(5)
            .createdAt(T0).finishedAt(T0.plusMillis(1)).updatedAt(T0.plusMillis(1)).version(2)
            .build();
    static final List<Job> JOBS = List.of(EVERY_FIELD, REQUIRED_ONLY, RUNNING, COMPLETED, ODD);

    static final JobEvent CREATED = JobEvent.status(PENDING, null).at(1);
    static final JobEvent STARTED = JobEvent.status(RUNNING, JobStatus.PENDING).at(2);
    static final JobEvent LOGGED = JobEvent.log(RUNNING, new LogLine(1, T0.plusSeconds(3), LogLevel.INFO,
            "started", new RawJson("{\"worker\":\"w-1\",\"attempt\":1}"))).at(3);
    static final JobEvent LOGGED_BARE = JobEvent.log(RUNNING,
            new LogLine(2, T0.plusSeconds(4), LogLevel.ERROR, "disk full — Zürich", null)).at(4);
    static final JobEvent FINISHED = JobEvent.status(COMPLETED, JobStatus.RUNNING).at(5);
    static final JobEvent FAILED = JobEvent.status(EVERY_FIELD, JobStatus.RUNNING).at(6);
    static final List<JobEvent> EVENTS = List.of(CREATED, STARTED, LOGGED, LOGGED_BARE, FINISHED, FAILED);

    private PreviousFormatRows() {
    }

    /** The last version whose events name their job by its id, as the captured rows do (V10 refers to it by ref). */
    static final int SCHEMA = 9;

    /**
     * Brings the database to {@link #SCHEMA} and inserts the captured rows, one statement a line, behind the store's
     * back: the store opened next migrates them.
     */
    static void insert(Connection c, Dialect dialect) throws SQLException {
        c.setAutoCommit(false);
        Migrations.apply(c, dialect, SCHEMA);
        try (Statement s = c.createStatement()) {
            for (String line : text().split("\n")) {
                if (!line.isBlank() && !line.startsWith("--")) {
                    s.execute(line);
                }
            }
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static String text() {
        try (InputStream in = PreviousFormatRows.class.getResourceAsStream(ROWS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
