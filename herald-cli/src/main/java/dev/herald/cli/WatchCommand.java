package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.client.Watch;
import dev.herald.core.event.EventType;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code herald watch JOB_ID}: follows one job through a {@link Watch} of the Java SDK (which reconnects with
 * {@code Last-Event-ID} and falls back to long polling by itself) and draws its progress until it ends.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = {
                "Show a job's progress live in the terminal until it ends.",
                "Follows the job's event stream (GET /api/v1/jobs/{id}/events), draws a progress bar "
                        + "(one line per change when the output is not a terminal), prints its log lines, "
                        + "and reconnects without missing a transition when the connection drops."},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to watch.")
    String jobId;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WatchDisplay display = WatchDisplay.forConsole(out, System.getenv());
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        try (Herald herald = remote.client()) {
            // read first: an unknown job, a refused token or no server at all is an answer at once, not a retry loop
            herald.get(jobId);
            Watch watch = herald.watch(jobId, event -> {
                Integer code = show(event, display, out, err);
                if (code != null) {
                    exit.complete(code);
                }
            });
            watch.onState(new ConnectionNotes(watch, display, exit, err)::changed);
            return exit.get();
        } catch (HeraldException e) {
            display.end();
            err.println("herald: " + remote.explain(e, RemoteOptions.NOT_FOUND + ": " + jobId));
            return RemoteOptions.exitCode(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Shows one event; returns the exit code when the job has ended, else null. */
    private static Integer show(JobEvent event, WatchDisplay display, PrintWriter out, PrintWriter err) {
        if (event.type() == EventType.LOG) {
            display.log(CliJson.tree(event.log()));
            return null;
        }
        if (event.type() == EventType.DELETED) {
            display.end();
            err.println("herald: the job was deleted");
            return ExitCodes.NOT_FOUND_OR_REFUSED;
        }
        Job job = event.job();
        display.job(CliJson.tree(job));
        return switch (job.status()) {
            case COMPLETED -> {
                display.end();
                String result = job.result() == null ? "" : " " + job.result().text();
                out.println("Job completed." + (result.length() > 300 ? "" : result));
                yield ExitCodes.OK;
            }
            case FAILED -> {
                display.end();
                JobError error = job.error();
                String code = error == null || error.code() == null ? "" : " (" + error.code() + ")";
                String message = error == null || error.message() == null || error.message().isEmpty() ? "."
                        : ": " + error.message();
                err.println("Job failed" + code + message);
                yield ExitCodes.JOB_FAILED;
            }
            case CANCELLED -> {
                display.end();
                out.println("Job cancelled.");
                yield ExitCodes.JOB_CANCELLED;
            }
            default -> null;
        };
    }

    /** Notes above the progress when the connection drops and comes back; the exit code when the watch ends. */
    private static final class ConnectionNotes {
        private final Watch watch;
        private final WatchDisplay display;
        private final CompletableFuture<Integer> exit;
        private final PrintWriter err;
        private boolean dropped;

        ConnectionNotes(Watch watch, WatchDisplay display, CompletableFuture<Integer> exit, PrintWriter err) {
            this.watch = watch;
            this.display = display;
            this.exit = exit;
            this.err = err;
        }

        /** Called on the watch's delivery thread, in order with its events. */
        void changed(Watch.State state) {
            switch (state) {
                case RECONNECTING -> note("(connection lost; reconnecting)");
                case POLLING -> note("(the event stream does not get through; following the job by polling)");
                case LIVE -> {
                    if (dropped) {
                        display.above("(reconnected)");
                        dropped = false;
                    }
                }
                case CLOSED -> {
                    if (!exit.isDone()) {
                        display.end();
                        HeraldException why = watch.error().orElse(null);
                        err.println("herald: " + (why == null ? "the watch ended" : why.getMessage()));
                        exit.complete(why == null ? ExitCodes.SERVER_ERROR : RemoteOptions.exitCode(why));
                    }
                }
                default -> {
                }
            }
        }

        private void note(String text) {
            if (!dropped) {
                display.above(text);
                dropped = true;
            }
        }
    }
}
