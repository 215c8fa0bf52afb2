package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static dev.herald.server.edge.ApiParam.JOB_LIMIT;

/** {@code herald jobs list|show|cancel}: the REST API from the command line. */
@Command(name = "jobs", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = "List, show and cancel jobs on a Herald server.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.ShowJob.class, JobsCommand.CancelJob.class},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class JobsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: list, show or cancel");
    }

    /** Runs a request, printing the server's message and returning the exit code when it is refused. */
    interface Request {
        void run(ApiClient api, PrintWriter out);
    }

    static int call(CommandSpec spec, RemoteOptions remote, Request request) {
        return call(spec, remote, "no such job (or not readable with this token)", request);
    }

    static int call(CommandSpec spec, RemoteOptions remote, String notFound, Request request) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiClient api = remote.client();
        try {
            request.run(api, out);
            out.flush();
            return ExitCodes.OK;
        } catch (ApiException e) {
            String message = e.getMessage();
            if (e.status() == 404) {
                message = notFound;
            } else if (e.status() == 401) {
                message = "token refused" + (api.hasToken() ? "" : " (no token given: use --token or HERALD_TOKEN)");
            }
            err.println("herald: " + message);
            err.flush();
            return e.exitCode();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
            description = "List jobs, newest first: id, type, status, percent and name.",
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class ListJobs implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs with this status: pending, queued, running, completed, failed or cancelled. Also HERALD_STATUS.")
        String status;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "Only jobs of this type (e.g. import-csv). Also HERALD_TYPE.")
        String type;

        @Option(names = "--limit", paramLabel = "N",
                description = "At most this many jobs, 1 to 500 (default: ${DEFAULT-VALUE}). Also HERALD_LIMIT.")
        int limit = (int) JOB_LIMIT.byDefault().longValue();

        @Option(names = "--cursor", paramLabel = "CURSOR",
                description = "Continue a previous listing (the cursor it printed last). Also HERALD_CURSOR.")
        String cursor;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            if (limit < JOB_LIMIT.min() || limit > JOB_LIMIT.max()) {
                throw new ParameterException(spec.commandLine(), "--limit must be between " + JOB_LIMIT.min() + " and "
                        + JOB_LIMIT.max() + ", not " + limit);
            }
            return JobsCommand.call(spec, remote, (api, out) -> {
                JsonNode page = api.get("/jobs" + ApiClient.query(ApiClient.obj(
                        "status", status, "type", type, "limit", limit, "cursor", cursor)));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[]{"ID", "TYPE", "STATUS", "PERCENT", "NAME"});
                for (JsonNode job : page.path("items")) {
                    String status = job.path("status").asText("");
                    double percent = "completed".equals(status) ? 100 : job.path("progress").path("percent").asDouble(0);
                    rows.add(new String[]{job.path("id").asText(""), job.path("type").asText(""), status,
                            String.format(Locale.ROOT, "%.1f%%", percent), job.path("name").asText("")});
                }
                if (rows.size() == 1) {
                    out.println("no jobs");
                } else {
                    printTable(out, rows);
                }
                JsonNode next = page.path("nextCursor");
                if (next.isTextual() && !next.asText().isEmpty()) {
                    out.println("more: herald jobs list --cursor " + next.asText());
                }
            });
        }

        /** Left-aligned columns, the last one (the name) unpadded; the percent right-aligned. */
        static void printTable(PrintWriter out, List<String[]> rows) {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int c = 0; c < columns; c++) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder b = new StringBuilder();
                for (int c = 0; c < columns; c++) {
                    if (c == columns - 1) {
                        b.append(row[c]);
                    } else if (c == 3) {
                        b.append(" ".repeat(widths[c] - row[c].length())).append(row[c]).append("  ");
                    } else {
                        b.append(row[c]).append(" ".repeat(widths[c] - row[c].length())).append("  ");
                    }
                }
                out.println(b.toString().stripTrailing());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, description = "Print a job as JSON (API §1).",
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class ShowJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to show.")
        String jobId;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return JobsCommand.call(spec, remote, (api, out) -> out.println(pretty(api.get(ApiClient.jobPath(jobId, "")))));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
            description = {"Cancel a job and every unfinished job below it; prints the job's new status.",
                    "A job that has already ended cannot be cancelled: the server's message is printed."},
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class CancelJob implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to cancel.")
        String jobId;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return JobsCommand.call(spec, remote, (api, out) -> {
                JsonNode job = api.post(ApiClient.jobPath(jobId, "/cancel"), ApiClient.obj());
                out.println(job == null ? "cancelled" : job.path("status").asText("cancelled"));
            });
        }
    }

    static String pretty(JsonNode node) {
        try {
            return ApiClient.PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return String.valueOf(node);
        }
    }
}
