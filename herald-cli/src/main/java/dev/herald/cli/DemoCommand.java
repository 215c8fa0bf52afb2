package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.core.model.HeraldException;
import dev.herald.server.HeraldServer;
import dev.herald.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** {@code herald demo}: a development server with a demonstration job tree running on it. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = {
                "Start a development server and run a demonstration on it.",
                "Creates, through the Java SDK, a job tree that runs for about a minute: \"Nightly refresh\" with "
                        + "\"Import customers.csv\" (stages parsing, validating, loading; rows, messages, logs, "
                        + "metadata), a crawl reporting a percent, and \"Render thumbnails\", a parent of "
                        + DemoScenario.THUMBNAILS + " jobs worked on " + DemoScenario.THUMBNAIL_WORKERS
                        + " at a time; plus a search reindex that fails after 20 s. "
                        + "Prints the dashboard's address and the commands to watch the jobs from a terminal. "
                        + "Then work keeps coming until Ctrl-C (unless --once): a new small job tree every "
                        + LivingDemo.TREE_EVERY_MS / 1000 + " s, one long import in weighted stages after another, "
                        + "and now and then a job that fails and is retried. The server keeps running until Ctrl-C."},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Port to listen on, 0 for any free port (default: ${DEFAULT-VALUE}). Also HERALD_PORT.")
    int port = ServerOptions.defaults().port();

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder of the embedded store (default: a fresh temporary folder, deleted on exit). Also HERALD_DATA.")
    Path data;

    @Option(names = "--demo-jobs", paramLabel = "N",
            description = "Jobs in each new job tree while the demo goes on (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_DEMO_JOBS.")
    int demoJobs = 6;

    @Option(names = "--once", negatable = true, fallbackValue = "true",
            description = "Only the first job tree, then no new work (the demo of earlier versions). Also HERALD_ONCE.")
    boolean once;

    @Mixin
    LogFlags logging;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65_535) {
            err.println("herald: --port must be between 0 and 65535, not " + port);
            return ExitCodes.USAGE;
        }
        if (demoJobs < 1 || demoJobs > 1_000) {
            err.println("herald: --demo-jobs must be between 1 and 1000, not " + demoJobs);
            return ExitCodes.USAGE;
        }
        logging.apply();
        Path dir = data;
        boolean temporary = dir == null;
        if (temporary) {
            try {
                dir = Files.createTempDirectory("herald-demo-");
            } catch (IOException e) {
                err.println("herald: cannot create a temporary folder: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        // on the default host, a loopback address, as development mode requires
        ServerOptions options = ServerOptions.defaults()
                .withPort(port)
                .withDataDir(dir)
                .withDev(true);
        HeraldServer server = ServeCommand.start(options, err);
        if (server == null) {
            if (temporary) {
                deleteQuietly(dir);
            }
            return ExitCodes.USAGE;
        }
        // the SDK straight into the server: the API a worker uses, without a round trip through its own socket
        Herald herald = server.client();
        DemoWork work = new DemoWork(out, DemoPace.REAL);
        LivingDemo living = new LivingDemo(herald, work, demoJobs);
        Path cleanup = temporary ? dir : null;
        CountDownLatch stopped = ServeCommand.closeOnShutdown(() -> {
            living.close();
            herald.close();
        }, server, cleanup == null ? null : () -> deleteQuietly(cleanup));
        out.println("Herald listening on " + server.baseUrl() + " (development mode, data in " + dir + ")");
        out.println("Admin key (shown once): " + server.adminToken());
        out.flush();

        DemoScenario scenario = new DemoScenario(herald, work);
        try {
            DemoScenario.Jobs jobs = scenario.create();
            String url = server.baseUrl().equals(RemoteOptions.DEFAULT_URL) ? "" : " --url " + server.baseUrl();
            out.println();
            out.println("Dashboard: " + server.dashboardUrl());
            out.println("Watch from a terminal: ./herald watch " + jobs.importId() + url + " --token " + server.adminToken());
            out.println("  the whole tree:      ./herald watch " + jobs.parentId() + url + " --token " + server.adminToken());
            out.println("  " + DemoScenario.THUMBNAILS + " jobs in parallel: ./herald watch " + jobs.thumbnailsId() + url
                    + " --token " + server.adminToken());
            out.println("  a job that fails:    ./herald watch " + jobs.failingId() + url + " --token " + server.adminToken());
            out.println("  or list them:        ./herald jobs list" + url + " --token " + server.adminToken());
            out.println();
            out.flush();
            if (!once) {
                living.start();
            }
            scenario.run(jobs);
            out.println(once ? "demo finished; the server keeps running (Ctrl-C to stop)"
                    : "the first tree is done; new work keeps coming until Ctrl-C");
        } catch (HeraldException e) {
            err.println("herald: the demonstration stopped: " + e.getMessage());
            out.println("the server keeps running (Ctrl-C to stop)");
        }
        out.flush();
        err.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: it is a temporary folder
        }
    }
}
