package dev.herald.store.jdbc;

import dev.herald.core.command.LogEntry;
import dev.herald.core.command.NewJob;
import dev.herald.core.command.ProgressReport;
import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.core.port.WriteBatch;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compact storage (state and event format 2, V6) on both databases: what replay reads after a restart is what
 * readers were sent live, and a store that V5 filled (format 1) replays as before once migrated, beside new rows;
 * so does one that V9 filled (format 2, events naming their job by id) once V10 refers to jobs by their ref.
 */
class CompactStorageTest {
    private static final RawJson RESULT = new RawJson("{\"width\":320, \"height\":240,\"ratio\":1.50}");

    @TempDir
    Path folder;
    private TestPostgres postgres;

    @AfterEach
    void dropSchema() throws SQLException {
        if (postgres != null) {
            postgres.dropSchema();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void replayAfterARestartGivesTheEventsReadersWereSentLive(Dialect dialect) throws Exception {
        String location = location(dialect);
        LocalEventBus bus = new LocalEventBus();
        Queue<JobEvent> live = new ConcurrentLinkedQueue<>();
        CountDownLatch parentDone = new CountDownLatch(1);
        bus.subscribe(e -> {
            if (e.type().isRetained()) {
                live.add(e);
                if (e.to() == JobStatus.COMPLETED && e.job().completeWithChildren()) {
                    parentDone.countDown();
                }
            }
        });
        List<String> ids = new ArrayList<>();
        try (JobStore store = JdbcStores.open(location);
             JobEngine engine = JobEngine.start(store, bus, EngineOptions.defaults())) {
            String parent = engine.create(new NewJob("batch", "Batch 1", "default", "ann", null, List.of(), null,
                    null, new RawJson("{\"trigger\":\"herald demo\"}"), true, JobStatus.RUNNING, 1, null))
                    .get(10, TimeUnit.SECONDS).job().id();
            ids.add(parent);
            for (int i = 1; i <= 3; i++) {
                ids.add(engine.create(new NewJob("thumbnail", "photo-" + i + ".jpg", "default", null, parent,
                        List.of(), 100.0, "tiles", null, false, null, 2, null)).get(10, TimeUnit.SECONDS).job().id());
            }
            for (String child : ids.subList(1, ids.size())) {
                engine.progress(child, new ProgressReport(null, null, 40.0, null, null, null, "Rendering", null));
                engine.log(child, new LogEntry(LogLevel.WARN, "slow tile", new RawJson("{\"tile\": 7}")))
                        .get(10, TimeUnit.SECONDS);
                engine.progress(child, ProgressReport.of(100, 100));
                if (child.equals(ids.get(2))) {
                    engine.fail(child, new JobError("gpu_lost", "the GPU went away")).get(10, TimeUnit.SECONDS);
                    engine.retry(child).get(10, TimeUnit.SECONDS);
                    engine.start(child).get(10, TimeUnit.SECONDS);
                }
                engine.complete(child, RESULT).get(10, TimeUnit.SECONDS);
            }
            assertThat(parentDone.await(10, TimeUnit.SECONDS)).isTrue();
            engine.streams().published(ids).get(10, TimeUnit.SECONDS);
        }
        List<JobEvent> sent = live.stream().map(e -> e.within(List.of())).toList();
        assertThat(sent).hasSizeGreaterThan(12);
        try (JobStore store = JdbcStores.open(location)) {
            assertThat(store.eventsAfter(ids, 0, 1000)).containsExactlyElementsOf(sent);
            assertThat(store.projectEventsAfter("default", 0, 1000)).containsExactlyElementsOf(sent);
            JobEvent third = sent.get(2);
            assertThat(store.eventsAfter(ids, third.position(), 1000)).containsExactlyElementsOf(sent.subList(3,
                    sent.size()));
        }
        try (Connection c = connect(dialect, location); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT data FROM events UNION ALL SELECT state FROM jobs")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).startsWith("{\"v\":2");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aStoreThatVersionFiveFilledReplaysAsBeforeOnceMigrated(Dialect dialect) throws Exception {
        String location = location(dialect);
        Job running = TestJobs.running("acme").build();
        Job pending = running.toBuilder().status(JobStatus.PENDING).startedAt(null).version(1).build();
        Job everyField = TestJobs.everyField("acme");
        Job completed = TestJobs.completed("globex", TestJobs.T0.plusSeconds(60)).build();
        List<Job> jobs = List.of(running, everyField, completed);
        List<JobEvent> before = List.of(
                JobEvent.status(pending, null).at(1),
                JobEvent.status(running, JobStatus.PENDING).at(2),
                JobEvent.log(running, new LogLine(1, TestJobs.T0.plusSeconds(3), LogLevel.INFO, "started",
                        new RawJson("{\"worker\": \"w-1\"}"))).at(3),
                JobEvent.status(completed, JobStatus.RUNNING).at(4),
                JobEvent.status(everyField, JobStatus.RUNNING).at(5));
        fillAt(dialect, location, 5, jobs, before);
        List<String> ids = jobs.stream().map(Job::id).toList();
        try (JobStore store = JdbcStores.open(location)) {
            assertReadsBack(store, jobs, ids, before);
            Job done = TestJobs.next(running).status(JobStatus.COMPLETED).result(RESULT)
                    .finishedAt(TestJobs.T0.plusSeconds(9)).build();
            JobEvent finished = JobEvent.status(done, JobStatus.RUNNING).at(6);
            store.write(new WriteBatch().job(done).event(finished));
            List<JobEvent> all = new ArrayList<>(before);
            all.add(finished);
            assertReadsBack(store, List.of(done, everyField, completed), ids, all);
        }
        try (JobStore store = JdbcStores.open(location); Connection c = connect(dialect, location)) {
            assertThat(MigrationsTest.recordedVersions(c)).contains(5, 6);
            assertThat(store.eventsAfter(ids, 0, 100)).hasSize(6).startsWith(before.toArray(JobEvent[]::new));
            assertThat(store.eventsAfter(List.of(running.id()), 2, 100)).extracting(JobEvent::position)
                    .containsExactly(3L, 6L);
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void aStoreThatVersionNineFilledReplaysUnchangedOnceEventsReferToTheirJobsByRef(Dialect dialect) throws Exception {
        String location = location(dialect);
        Job running = TestJobs.running("acme").build();
        Job pending = running.toBuilder().status(JobStatus.PENDING).startedAt(null).version(1).build();
        Job everyField = TestJobs.everyField("acme");
        Job completed = TestJobs.completed("globex", TestJobs.T0.plusSeconds(60)).build();
        List<Job> jobs = List.of(running, everyField, completed);
        List<JobEvent> before = List.of(
                JobEvent.status(pending, null).at(1),
                JobEvent.status(running, JobStatus.PENDING).at(2),
                JobEvent.log(running, new LogLine(1, TestJobs.T0.plusSeconds(3), LogLevel.INFO, "started",
                        new RawJson("{\"worker\": \"w-1\"}"))).at(3),
                JobEvent.status(completed, JobStatus.RUNNING).at(4),
                JobEvent.status(everyField, JobStatus.RUNNING).at(5));
        // the newest event is of a job without a row, which no version writes: V10 cannot keep it, nor its position
        Job rowless = TestJobs.running("acme").build();
        List<JobEvent> all = new ArrayList<>(before);
        all.add(JobEvent.status(rowless, JobStatus.PENDING).at(6));
        fillAt(dialect, location, 9, jobs, all);
        List<String> ids = jobs.stream().map(Job::id).toList();
        try (JobStore store = JdbcStores.open(location)) {
            assertReadsBack(store, jobs, ids, before);
            assertThat(store.lastPosition()).isEqualTo(6);
            assertThat(store.lastLogSeq(running.id())).isEqualTo(1);
            Job done = TestJobs.next(running).status(JobStatus.COMPLETED).result(RESULT)
                    .finishedAt(TestJobs.T0.plusSeconds(9)).build();
            assertThat(store.write(new WriteBatch().job(done).event(JobEvent.status(done, JobStatus.RUNNING)))
                    .events()).extracting(JobEvent::position).containsExactly(7L);
            store.write(new WriteBatch().delete(everyField.id()));
            assertThat(store.eventsAfter(ids, 0, 100)).extracting(JobEvent::position)
                    .containsExactly(1L, 2L, 3L, 4L, 7L);
        }
        try (Connection c = connect(dialect, location)) {
            assertThat(MigrationsTest.recordedVersions(c)).contains(9, 10);
        }
    }

    private static void assertReadsBack(JobStore store, List<Job> jobs, List<String> ids, List<JobEvent> events) {
        for (Job job : jobs) {
            assertThat(store.find(job.id())).as(job.id()).contains(job);
        }
        assertThat(store.list(new JobQuery(null, null, null, null, null, 10, null)).items())
                .containsExactlyInAnyOrderElementsOf(jobs);
        assertThat(store.eventsAfter(ids, 0, 100)).containsExactlyElementsOf(events);
        assertThat(store.projectEventsAfter("globex", 0, 100)).containsExactly(events.get(3));
        assertThat(store.logs(ids.get(0), 0, 10)).containsExactly(events.get(2).log());
    }

    /**
     * The schema up to the version and the rows that version's code wrote, behind the store's back: format 1 at V5,
     * format 2 after; events name their job by its id up to V9.
     */
    private void fillAt(Dialect dialect, String location, int version, List<Job> jobs, List<JobEvent> events)
            throws SQLException {
        JdbcLocation where = JdbcLocation.parse(location);
        try (Connections connections = dialect == Dialect.SQLITE ? SqliteConnections.open(where.jdbcUrl())
                : PostgresConnections.open(where)) {
            connections.transaction(c -> Migrations.apply(c, dialect, version));
            connections.transaction(c -> {
                insert(c, jobs, events, version < 6);
                if (dialect == Dialect.POSTGRESQL) {
                    try (Statement s = c.createStatement()) {
                        s.execute("UPDATE event_head SET position = " + events.size());
                    }
                }
                return null;
            });
        }
    }

    private static void insert(Connection c, List<Job> jobs, List<JobEvent> events, boolean whole)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO jobs (" + JobRow.COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Job job : jobs) {
                s.setString(1, job.id());
                s.setString(2, job.project());
                s.setString(3, job.type());
                s.setString(4, job.status().wire());
                s.setString(5, job.parentId());
                s.setString(6, job.owner());
                s.setLong(7, job.createdAt().toEpochMilli());
                s.setObject(8, BatchWriter.millis(job.updatedAt()));
                s.setObject(9, BatchWriter.millis(job.finishedAt()));
                s.setLong(10, job.version());
                s.setString(11, whole ? StoredJob.encodeWhole(job) : StoredJob.encode(job));
                s.executeUpdate();
            }
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO events (position, job_id, project, type, version, "
                + "time, log_seq, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (JobEvent e : events) {
                s.setLong(1, e.position());
                s.setString(2, e.jobId());
                s.setString(3, e.project());
                s.setString(4, e.type().wire());
                s.setLong(5, e.version());
                s.setObject(6, BatchWriter.millis(e.time()));
                s.setObject(7, e.log() == null ? null : e.log().seq());
                s.setString(8, whole || jobs.stream().noneMatch(j -> j.id().equals(e.jobId()))
                        ? StoredEvent.encodeWhole(e) : StoredEvent.encode(e));
                s.executeUpdate();
            }
        }
    }

    private String location(Dialect dialect) {
        if (dialect == Dialect.SQLITE) {
            return folder.toString();
        }
        postgres = TestPostgres.reachable();
        return postgres.location();
    }

    private Connection connect(Dialect dialect, String location) throws SQLException {
        return dialect == Dialect.SQLITE
                ? java.sql.DriverManager.getConnection(JdbcLocation.parse(location).jdbcUrl()) : postgres.connect();
    }
}
