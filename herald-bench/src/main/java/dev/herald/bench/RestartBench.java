package dev.herald.bench;

import dev.herald.core.engine.EngineOptions;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.LocalEventBus;
import dev.herald.store.jdbc.JdbcStores;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Restart-to-ready with a big store (issue 14, item 8): {@link FinishedJobs} fills a new store (SQLite in a folder
 * under {@code --tmp}, or a new PostgreSQL schema) with {@code --jobs} finished and {@code --unfinished} running
 * jobs; then {@code herald serve} (the jar of {@code --server-jar}) is started {@code --restarts} times on it, each
 * time from the process's start until {@code GET /health/ready} answers 200, and killed with SIGKILL; then the
 * store is opened and an engine started on it as many times in this JVM (Herald's own part, without the JVM's
 * start). The same is measured first on an empty store: what no store makes shorter. The data is deleted at the end
 * unless {@code --keep true}.
 */
public final class RestartBench {
    private static final String TOKEN = "restart-bench-token";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private RestartBench() {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("RestartBench [options]", args,
                "store", "sqlite", "sqlite (the embedded store, a folder) or postgresql",
                "jobs", "1000000", "finished jobs to generate",
                "unfinished", "100", "running jobs to generate among them",
                "restarts", "3", "starts measured on the full store (and on the empty one)",
                "server-jar", "herald-cli/target/herald.jar", "the herald command's jar",
                "java-opts", "", "JVM options before -jar, e.g. the herald launcher's defaults (see the script)",
                "postgres", "postgresql://postgres@127.0.0.1:5432/test", "the PostgreSQL server (a schema is made)",
                "tmp", "/tmp", "where the SQLite folders go",
                "keep", "false", "true: leave the generated store (its location is printed)");
        Machine.printHeader("RestartBench");
        System.out.println("options: " + a.effective());
        boolean postgres = a.text("store").equals("postgresql");
        String schema = "herald_restart_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Path root = Files.createTempDirectory(Path.of(a.text("tmp")), "herald-restart");
        try {
            String empty = postgres ? a.text("postgres") + "?schema=" + schema + "_empty" : null;
            report("empty store", measure(a, root.resolve("empty"), empty));
            String full = postgres ? a.text("postgres") + "?schema=" + schema : null;
            Path data = root.resolve("full");
            try (JobStore store = JdbcStores.open(full != null ? full : data.toString())) {
                FinishedJobs.write(store, a.integer("jobs"), a.integer("unfinished"));
            }
            if (postgres) {
                settle(a.text("postgres"), schema);
            } else {
                System.out.printf("SQLite folder: %,d bytes%n", size(data));
            }
            report(String.format("%,d finished jobs", a.integer("jobs")), measure(a, data, full));
        } finally {
            if (Boolean.parseBoolean(a.text("keep"))) {
                System.out.println("kept: " + (postgres ? "schema " + schema : root));
            } else {
                delete(root);
                if (postgres) {
                    drop(a.text("postgres"), schema);
                    drop(a.text("postgres"), schema + "_empty");
                }
            }
        }
    }

    /** Milliseconds from each start to ready, then of each store open and engine start in this JVM. */
    private static List<List<Double>> measure(BenchArgs a, Path data, String store) throws Exception {
        List<Double> process = new ArrayList<>();
        for (int i = 0; i < a.integer("restarts"); i++) {
            process.add(startToReady(a.text("server-jar"), a.text("java-opts"), data, store));
        }
        List<Double> inJvm = new ArrayList<>();
        for (int i = 0; i < a.integer("restarts"); i++) {
            inJvm.add(openAndStart(store != null ? store : data.toString()));
        }
        return List.of(process, inJvm);
    }

    /**
     * Herald's own share of a start, without the JVM's: the store opened (migrations checked) and the engine
     * started (start-up recovery and all) in this warm JVM, until the store answers a ping through the engine.
     */
    private static double openAndStart(String location) {
        long start = System.nanoTime();
        try (JobStore store = JdbcStores.open(location);
             JobEngine engine = JobEngine.start(store, new LocalEventBus(), EngineOptions.defaults())) {
            engine.ping().join();
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static double startToReady(String jar, String javaOpts, Path data, String store) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(javaOpts.isBlank() ? List.of() : List.of(javaOpts.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar, "serve", "--port", Integer.toString(port), "--data", data.toString(),
                "--admin-token", TOKEN));
        if (store != null) {
            command.addAll(List.of("--store", store));
        }
        Files.createDirectories(data);
        Path log = data.resolveSibling(data.getFileName() + "-server.log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.startsWith("HERALD_"));
        URI ready = URI.create("http://127.0.0.1:" + port + "/health/ready");
        long start = System.nanoTime();
        Process server = pb.start();
        try {
            while (!answersReady(ready)) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the server exited; see " + log);
                }
                if (System.nanoTime() - start > 300_000_000_000L) {
                    throw new IllegalStateException("not ready after 300 s; see " + log);
                }
                Thread.sleep(5);
            }
            return (System.nanoTime() - start) / 1e6;
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static boolean answersReady(URI ready) {
        try {
            return HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void report(String what, List<List<Double>> times) {
        System.out.printf("%s: process start to ready %s; store open and engine start in this JVM %s%n", what,
                summary(times.get(0)), summary(times.get(1)));
    }

    private static String summary(List<Double> times) {
        List<Double> sorted = times.stream().sorted().toList();
        return String.format("%s ms (median %.0f)", times.stream().map(t -> String.format("%.0f", t)).toList(),
                sorted.get(sorted.size() / 2));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /**
     * A store that has served for days has been vacuumed and analysed; a million rows loaded a minute ago have not
     * (and this machine's PostgreSQL runs with {@code autovacuum = off}, so they never would be), and a start would
     * then be measured on a planner without statistics. So the new tables are vacuumed and analysed first.
     */
    private static void settle(String postgres, String schema) throws Exception {
        long start = System.nanoTime();
        try (Connection c = connect(postgres); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = s.executeQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "' ORDER BY tablename")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                s.execute("VACUUM (ANALYZE) " + schema + "." + table);
            }
        }
        System.out.printf("VACUUM (ANALYZE) of the new tables: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private static void drop(String postgres, String schema) throws Exception {
        try (Connection c = connect(postgres); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static Connection connect(String postgres) throws Exception {
        return DriverManager.getConnection("jdbc:" + postgres.replace("postgres@", ""), "postgres", null);
    }
}
