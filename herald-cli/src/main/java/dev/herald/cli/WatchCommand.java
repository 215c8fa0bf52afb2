package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code herald watch JOB_ID}: follows one job's Server-Sent Events (API §3) and
 * draws its progress until it ends, reconnecting with {@code Last-Event-ID} when the
 * connection drops.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = {
                "Show a job's progress live in the terminal until it ends.",
                "Follows the job's event stream (GET /api/v1/jobs/{id}/events), draws a progress bar "
                        + "(one line per change when the output is not a terminal), prints its log lines, "
                        + "and reconnects without missing a transition when the connection drops."},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class WatchCommand implements Callable<Integer> {
    /** A stream silent for three keep-alives of a server on its defaults is taken for dead. */
    static final long SILENCE_MS = ServerOptions.defaults().keepAlive().multipliedBy(3).toMillis();

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB_ID", description = "The job to watch.")
    String jobId;

    @Mixin
    RemoteOptions remote;

    @Mixin
    ConfigOption config;

    private long lastVersion = -1;
    private long lastLogSeq = -1;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiClient api = remote.client();
        WatchDisplay display = WatchDisplay.forConsole(out, System.getenv());
        SseParser parser = new SseParser();
        String path = ApiClient.jobPath(jobId, "/events");
        boolean connectedOnce = false;
        boolean disconnected = false; // a failure was reported and no connection succeeded since

        while (true) {
            long wait;
            try (LineStream lines = api.openLines(path, parser.lastEventId())) {
                if (disconnected) {
                    display.above("(reconnected)");
                    disconnected = false;
                }
                connectedOnce = true;
                parser.reset();
                while (true) {
                    String line = lines.next(SILENCE_MS);
                    if (line == null) {
                        throw new IOException("no data from the server for " + SILENCE_MS / 1000 + " s");
                    }
                    SseParser.Event event = parser.accept(line);
                    if (event != null) {
                        Integer exit = handle(event, display, out, err);
                        if (exit != null) {
                            return exit;
                        }
                    }
                }
            } catch (ApiException e) {
                wait = parser.retryMs();
                if (e.status() == 404) {
                    display.end();
                    err.println("herald: no such job (or not readable with this token): " + jobId);
                    return ExitCodes.NOT_FOUND_OR_REFUSED;
                }
                if (e.status() == 401 || e.status() == 403) {
                    display.end();
                    err.println("herald: token refused" + (api.hasToken() ? "" : " (no token given: use --token or HERALD_TOKEN)"));
                    return ExitCodes.NOT_FOUND_OR_REFUSED;
                }
                if (e.status() == ApiException.UNREACHABLE && !connectedOnce) {
                    display.end();
                    err.println("herald: " + e.getMessage());
                    return ExitCodes.SERVER_ERROR;
                }
                if (e.status() != ApiException.UNREACHABLE && !e.isRetryable()) {
                    display.end();
                    err.println("herald: " + e.getMessage());
                    return e.exitCode();
                }
                if (e.retryAfterMs() >= 0) {
                    wait = Math.max(wait, e.retryAfterMs());
                }
                if (!disconnected) {
                    display.above("(" + e.getMessage() + "; retrying every " + ProgressLine.duration(wait) + ")");
                    disconnected = true;
                }
            } catch (EOFException e) {
                wait = parser.retryMs();
                display.above("(the server closed the stream; reconnecting in " + ProgressLine.duration(wait) + ")");
                disconnected = true;
            } catch (IOException e) {
                wait = parser.retryMs();
                display.above("(connection lost: " + e.getMessage() + "; reconnecting in " + ProgressLine.duration(wait) + ")");
                disconnected = true;
            }
            Thread.sleep(wait);
        }
    }

    /** Shows one event; returns the exit code when the job has ended, else null. */
    private Integer handle(SseParser.Event event, WatchDisplay display, PrintWriter out, PrintWriter err) {
        JsonNode data;
        try {
            data = ApiClient.JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
            return null; // not ours to judge: skip what cannot be read
        }
        String type = data.path("type").asText(event.type());
        switch (type) {
            case "log" -> {
                JsonNode log = data.path("log");
                long seq = log.path("seq").asLong(-1);
                if (seq >= 0 && seq <= lastLogSeq) {
                    return null; // already shown (replayed after a reconnect)
                }
                lastLogSeq = Math.max(lastLogSeq, seq);
                display.log(log);
                return null;
            }
            case "deleted" -> {
                display.end();
                err.println("herald: the job was deleted");
                return ExitCodes.NOT_FOUND_OR_REFUSED;
            }
            default -> {
                JsonNode job = data.path("job");
                if (!job.isObject()) {
                    return null;
                }
                long version = data.path("version").asLong(job.path("version").asLong(-1));
                if (version >= 0 && version < lastVersion) {
                    return null; // older than what is shown (a replay)
                }
                lastVersion = Math.max(lastVersion, version);
                display.job(job);
                return ended(job, display, out, err);
            }
        }
    }

    private static Integer ended(JsonNode job, WatchDisplay display, PrintWriter out, PrintWriter err) {
        String status = job.path("status").asText("");
        switch (status) {
            case "completed" -> {
                display.end();
                JsonNode result = job.path("result");
                String text = result.isMissingNode() || result.isNull() ? "" : " " + result;
                out.println("Job completed." + (text.length() > 300 ? "" : text));
                out.flush();
                return ExitCodes.OK;
            }
            case "failed" -> {
                display.end();
                JsonNode error = job.path("error");
                String code = error.path("code").asText("");
                String message = error.path("message").asText("");
                err.println("Job failed" + (code.isEmpty() ? "" : " (" + code + ")") + (message.isEmpty() ? "." : ": " + message));
                err.flush();
                return ExitCodes.JOB_FAILED;
            }
            case "cancelled" -> {
                display.end();
                out.println("Job cancelled.");
                out.flush();
                return ExitCodes.JOB_CANCELLED;
            }
            default -> {
                return null;
            }
        }
    }
}
