package dev.herald.cli;

import dev.herald.server.ServerOptions;
import dev.herald.server.logging.LogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class HeraldCliTest {

    /** The output and exit code of one run. */
    record Run(int exit, String out, String err) {
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HeraldCli.execute(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static Run run(String... args) {
        return run(Map.of(), args);
    }

    /** Every command path: [], [serve], [jobs], [jobs, list], ... */
    private static List<List<String>> commandPaths(CommandLine cli, List<String> prefix, List<List<String>> into) {
        into.add(prefix);
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> path = new ArrayList<>(prefix);
                path.add(name);
                commandPaths(sub, path, into);
            }
        });
        return into;
    }

    private static CommandLine find(CommandLine root, List<String> path) {
        CommandLine c = root;
        for (String name : path) {
            c = c.getSubcommands().get(name);
        }
        return c;
    }

    @Test
    void helpOfEveryCommandExitsZeroAndMentionsEveryOptionAndItsVariable() {
        CommandLine root = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        List<List<String>> paths = commandPaths(root, List.of(), new ArrayList<>());
        assertThat(paths).contains(List.of("serve"), List.of("demo"), List.of("watch"),
                List.of("jobs", "list"), List.of("jobs", "show"), List.of("jobs", "cancel"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = run(args.toArray(String[]::new));
            assertThat(r.exit()).as("exit of %s", args).isZero();
            assertThat(r.err()).as("stderr of %s", args).isEmpty();
            CommandSpec spec = find(root, path).getCommandSpec();
            assertThat(r.out()).as("help of %s", path).contains("Usage: herald" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
            for (OptionSpec o : spec.options()) {
                for (String name : o.names()) {
                    assertThat(r.out()).as("help of %s mentions %s", path, name).contains(name);
                }
                String longName = o.longestName().replaceFirst("^-+", "");
                if (!longName.equals("help") && !longName.equals("version")) {
                    assertThat(r.out()).as("help of %s mentions the variable of %s", path, longName)
                            .contains(CliDefaults.envName(longName));
                    assertThat(o.description()).as("description of %s", o.longestName()).isNotEmpty();
                }
            }
            for (PositionalParamSpec p : spec.positionalParameters()) {
                assertThat(r.out()).contains(p.paramLabel());
            }
            if (!path.isEmpty() && !path.equals(List.of("jobs"))) {
                assertThat(r.out()).as("help of %s documents the precedence", path)
                        .contains("Precedence: flags > environment variables > config file > defaults");
            }
        }
    }

    @Test
    void theHelpSubcommandAndVersionWork() {
        assertThat(run("help", "serve").exit()).isZero();
        assertThat(run("help", "serve").out()).contains("--flush-interval");
        Run v = run("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.out()).startsWith("herald ");
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageError() {
        Run none = run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("Missing command");
        assertThat(run("frobnicate").exit()).isEqualTo(2);
        assertThat(run("jobs").exit()).isEqualTo(2);
        assertThat(run("watch").err()).contains("JOB_ID");
        assertThat(run("serve", "--prot", "1").err()).contains("--prot");
    }

    @Test
    void aDemoOfNoJobsOrTooManyIsAUsageErrorBeforeAnyServerStarts() {
        for (String n : new String[] {"0", "1001"}) {
            Run r = run("demo", "--demo-jobs", n);
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--demo-jobs must be between 1 and 1000, not " + n);
            assertThat(r.out()).doesNotContain("Herald listening");
        }
    }

    @Test
    void aBadDurationIsAClearUsageError() {
        Run r = run("serve", "--flush-interval", "fast");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--flush-interval").contains("'fast' is not a duration");
        assertThat(r.out()).isEmpty();

        Run fromEnv = run(Map.of("HERALD_RETENTION", "a week"), "serve");
        assertThat(fromEnv.exit()).isEqualTo(2);
        assertThat(fromEnv.err()).contains("--retention").contains("'a week' is not a duration");
    }

    @Test
    void aClusterNeedsAPostgresqlStoreAndAName() {
        Run noBus = run("serve", "--admin-token", "t", "--cluster", "prod");
        assertThat(noBus.exit()).isEqualTo(2);
        assertThat(noBus.err()).contains("--cluster needs --bus");
        Run noStore = run("serve", "--admin-token", "t", "--cluster", "prod", "--bus", "redis://127.0.0.1:6379");
        assertThat(noStore.exit()).isEqualTo(2);
        assertThat(noStore.err()).contains("--cluster needs a PostgreSQL store");
        Run badName = run("serve", "--admin-token", "t", "--cluster", "prod east");
        assertThat(badName.exit()).isEqualTo(2);
        assertThat(badName.err()).contains("--cluster must be");
        Run noCluster = run("serve", "--admin-token", "t", "--cluster-secret", "x".repeat(20));
        assertThat(noCluster.exit()).isEqualTo(2);
        assertThat(noCluster.err()).contains("need --cluster NAME");
    }

    @Test
    void theClusterFlagsReachTheClusterOptions() {
        ServeCommand s = parseServe(Map.of("HERALD_CLUSTER_SECRET", "s".repeat(16)), new Properties(),
                "--host", "0.0.0.0", "--cluster", "prod", "--cluster-port", "9081");
        assertThat(s.cluster.options(s.options().host()))
                .isEqualTo(new dev.herald.server.cluster.ClusterOptions("prod", "0.0.0.0", 9081, "s".repeat(16)));
        assertThat(parseServe(Map.of(), new Properties(), "--cluster-address", "10.0.0.1", "--cluster", "prod")
                .cluster.options("127.0.0.1").host()).isEqualTo("10.0.0.1");
        assertThat(parseServe(Map.of(), new Properties()).cluster.options("127.0.0.1")).isNull();
    }

    // ---- where option values come from ----

    private static ServeCommand parseServe(Map<String, String> env, Properties config, String... args) {
        CommandLine cli = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        cli.setDefaultValueProvider(new CliDefaults(env, config));
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        cli.parseArgs(all.toArray(String[]::new));
        return cli.getSubcommands().get("serve").getCommand();
    }

    @Test
    void defaultsApplyWhenNothingElseIsGiven() {
        ServeCommand s = parseServe(Map.of(), new Properties());
        assertThat(s.host).isEqualTo("127.0.0.1");
        assertThat(s.port).isEqualTo(8080);
        assertThat(s.data).isEqualTo(Path.of("herald-data"));
        assertThat(s.store).isNull();
        assertThat(s.adminToken).isNull();
        assertThat(s.dev).isFalse();
        assertThat(s.flushInterval).isEqualTo(Duration.ofMillis(200));
        assertThat(s.retention).isEqualTo(Duration.ofDays(7));
        // herald serve drains on SIGTERM behind a load balancer; an embedded server (the defaults) stops at once
        assertThat(s.options()).as("the options of a bare herald serve")
                .isEqualTo(ServerOptions.defaults().withDrain(Duration.ofSeconds(5)));
        assertThat(s.logging.options()).isEqualTo(LogOptions.defaults());
    }

    @Test
    void theAuthLimitAndLogFlagsReachTheOptions() {
        ServeCommand s = parseServe(Map.of("HERALD_LOG_FORMAT", "json"), new Properties(),
                "--cors-origin", "https://a.example, https://b.example", "--jwt-secret", "s".repeat(32),
                "--jwt-leeway", "5s", "--write-rate", "2.5", "--batch-entry-rate", "40", "--batch-entry-burst", "80",
                "--max-body-bytes", "1000", "--log-level", "WARN");
        assertThat(s.options().auth().corsOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(s.options().auth().jwt().leeway()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.options().auth().writesPerSecond()).isEqualTo(2.5);
        assertThat(s.options().auth().entriesPerSecond()).isEqualTo(40);
        assertThat(s.options().auth().entryBurst()).isEqualTo(80);
        assertThat(s.options().limits().maxBodyBytes()).isEqualTo(1000);
        assertThat(s.options().limits().maxResultBytes()).isEqualTo(ServerOptions.defaults().limits().maxResultBytes());
        assertThat(s.logging.options()).isEqualTo(new LogOptions(LogOptions.Level.WARN, LogOptions.Format.JSON));
    }

    @Test
    void flagsBeatEnvironmentBeatsConfigFileBeatsDefaults() {
        Properties file = new Properties();
        file.setProperty("port", "7000");
        file.setProperty("host", "10.0.0.1");
        file.setProperty("retention", "30d");
        file.setProperty("flush-interval", "1s");
        Map<String, String> env = Map.of("HERALD_PORT", "7100", "HERALD_FLUSH_INTERVAL", "500ms",
                "HERALD_ADMIN_TOKEN", "secret", "HERALD_STORE", "postgresql://db/herald");

        ServeCommand s = parseServe(env, file, "--flush-interval", "50ms");
        assertThat(s.flushInterval).as("flag over env and file").isEqualTo(Duration.ofMillis(50));
        assertThat(s.port).as("env over file").isEqualTo(7100);
        assertThat(s.host).as("file over default").isEqualTo("10.0.0.1");
        assertThat(s.retention).as("file over default").isEqualTo(Duration.ofDays(30));
        assertThat(s.adminToken).isEqualTo("secret");
        assertThat(s.store).isEqualTo("postgresql://db/herald");
        assertThat(s.data).as("default").isEqualTo(Path.of("herald-data"));

        assertThat(s.options().port()).isEqualTo(7100);
        assertThat(s.options().adminToken()).isEqualTo("secret");
        assertThat(s.options().store()).isEqualTo("postgresql://db/herald");
    }

    @Test
    void devCanBeSwitchedOnByVariableOrFileAndOffByFlag() {
        assertThat(parseServe(Map.of(), new Properties(), "--dev").dev).isTrue();
        assertThat(parseServe(Map.of(), new Properties(), "--no-dev").dev).isFalse();
        assertThat(parseServe(Map.of("HERALD_DEV", "true"), new Properties()).dev).isTrue();
        assertThat(parseServe(Map.of("HERALD_DEV", "true"), new Properties(), "--dev").dev).isTrue();
        assertThat(parseServe(Map.of("HERALD_DEV", "true"), new Properties(), "--no-dev").dev).isFalse();
        Properties file = new Properties();
        file.setProperty("dev", "true");
        assertThat(parseServe(Map.of(), file).dev).isTrue();
        assertThat(parseServe(Map.of("HERALD_DEV", "false"), file).dev).as("env over file").isFalse();
    }

    @Test
    void remoteCommandsReadUrlAndTokenFromTheEnvironment() {
        CommandLine cli = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        cli.setDefaultValueProvider(new CliDefaults(Map.of("HERALD_URL", "http://h:1", "HERALD_TOKEN", "t0k"), new Properties()));
        cli.parseArgs("watch", "j_1");
        WatchCommand w = cli.getSubcommands().get("watch").getCommand();
        assertThat(w.jobId).isEqualTo("j_1");
        assertThat(w.remote.url).isEqualTo("http://h:1");
        assertThat(w.remote.token).isEqualTo("t0k");

        CommandLine cli2 = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        cli2.setDefaultValueProvider(new CliDefaults(Map.of(), new Properties()));
        cli2.parseArgs("jobs", "list");
        JobsCommand.ListJobs list = cli2.getSubcommands().get("jobs").getSubcommands().get("list").getCommand();
        assertThat(list.remote.url).isEqualTo(RemoteOptions.DEFAULT_URL);
        assertThat(list.remote.token).isNull();
        assertThat(list.limit).isEqualTo(50);
    }

    @Test
    void envNamesFollowTheLongOptionNames() {
        assertThat(CliDefaults.envName("--flush-interval")).isEqualTo("HERALD_FLUSH_INTERVAL");
        assertThat(CliDefaults.envName("--admin-token")).isEqualTo("HERALD_ADMIN_TOKEN");
        assertThat(CliDefaults.envName("port")).isEqualTo("HERALD_PORT");
    }

    // ---- the config file ----

    @Test
    void theConfigFileIsFoundInTheArgumentsOrTheEnvironment() {
        assertThat(CliDefaults.configFile(new String[]{"serve", "--config", "a.properties"}, Map.of())).isEqualTo(Path.of("a.properties"));
        assertThat(CliDefaults.configFile(new String[]{"--config=b.properties", "serve"}, Map.of())).isEqualTo(Path.of("b.properties"));
        assertThat(CliDefaults.configFile(new String[]{"serve"}, Map.of("HERALD_CONFIG", "c.properties"))).isEqualTo(Path.of("c.properties"));
        assertThat(CliDefaults.configFile(new String[]{"serve", "--config", "a"}, Map.of("HERALD_CONFIG", "c"))).isEqualTo(Path.of("a"));
        assertThat(CliDefaults.configFile(new String[]{"serve"}, Map.of())).isNull();
        assertThat(CliDefaults.configFile(new String[]{"watch", "--", "--config", "x"}, Map.of())).isNull();
    }

    @Test
    void aConfigFileSetsDefaultsThroughExecute(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, "# a comment\nurl = http://127.0.0.1:" + freePort() + "\ntoken=abc\n");
        // nothing listens there: the command gets as far as connecting, with the file's URL
        Run r = run(Map.of(), "jobs", "list", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:");
    }

    @Test
    void aConfigFileWithAnUnknownKeyOrMissingIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("herald.properties");
        Files.writeString(file, "prot=9090\nport=9090\n");
        Run r = run(Map.of(), "serve", "--config", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown key prot").contains("port");

        Run missing = run(Map.of(), "serve", "--config", dir.resolve("nope.properties").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("does not exist");
    }

    @Test
    void everyOptionIsAKnownConfigKey() {
        CommandLine root = HeraldCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        assertThat(CliDefaults.settingNames(root.getCommandSpec())).contains(
                "host", "port", "data", "store", "admin-token", "dev", "flush-interval", "retention",
                "url", "token", "status", "type", "limit", "cursor")
                .doesNotContain("help", "version", "config");
    }

    // ---- remote commands without a server ----

    @Test
    void remoteCommandsSayWhenTheServerCannotBeReached() throws IOException {
        String url = "http://127.0.0.1:" + freePort();
        for (String[] args : new String[][]{{"watch", "j_1"}, {"jobs", "list"}, {"jobs", "show", "j_1"}, {"jobs", "cancel", "j_1"}}) {
            List<String> all = new ArrayList<>(List.of(args));
            all.addAll(List.of("--url", url));
            Run r = run(all.toArray(String[]::new));
            assertThat(r.exit()).as("exit of %s", all).isEqualTo(5);
            assertThat(r.err()).as("stderr of %s", all).contains("cannot reach " + url);
        }
    }

    @Test
    void aBadUrlIsAUsageError() {
        Run r = run("jobs", "list", "--url", "ftp://x");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not an http(s) URL");
        assertThat(run("jobs", "list", "--limit", "0").exit()).isEqualTo(2);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
