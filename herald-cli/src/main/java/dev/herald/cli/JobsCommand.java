package dev.herald.cli;

import dev.herald.client.JobFilter;
import dev.herald.client.JobList;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import picocli.CommandLine;
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

    /** {@code --status}, as the SDK takes it; an unknown one is a usage error, like any bad option value. */
    static JobFilter filter(CommandLine line, String status) {
        if (status == null) {
            return JobFilter.all();
        }
        return JobFilter.status(JobStatus.fromWire(status.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                new ParameterException(line, "--status must be pending, queued, running, completed, failed or "
                        + "cancelled, not " + status)));
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
            JobFilter byStatus = filter(spec.commandLine(), status).limit(limit);
            return remote.run(spec, RemoteOptions.NOT_FOUND, (herald, out) -> {
                JobFilter filter = type == null ? byStatus : byStatus.type(type);
                JobList page = herald.list(cursor == null ? filter : filter.cursor(cursor));
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[]{"ID", "TYPE", "STATUS", "PERCENT", "NAME"});
                for (Job job : page.items()) {
                    double percent = job.status() == JobStatus.COMPLETED ? 100 : job.progress().percent();
                    rows.add(new String[]{job.id(), job.type(), job.status().wire(),
                            String.format(Locale.ROOT, "%.1f%%", percent), job.name() == null ? "" : job.name()});
                }
                if (rows.size() == 1) {
                    out.println("no jobs");
                } else {
                    printTable(out, rows);
                }
                if (page.nextCursor() != null) {
                    out.println("more: herald jobs list --cursor " + page.nextCursor());
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
            return remote.run(spec, RemoteOptions.NOT_FOUND, (herald, out) -> out.println(CliJson.pretty(herald.get(jobId))));
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
            return remote.run(spec, RemoteOptions.NOT_FOUND,
                    (herald, out) -> out.println(herald.cancel(jobId).status().wire()));
        }
    }
}
