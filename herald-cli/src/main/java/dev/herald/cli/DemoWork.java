package dev.herald.cli;

import dev.herald.client.JobCancelledException;
import dev.herald.client.Reporter;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.LogLevel;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** What the demo's simulated workers share: their threads, their pace, and the work they pretend to do. */
final class DemoWork {
    /** A worker's body: it may be interrupted when the demo stops. */
    interface Body {
        void run() throws InterruptedException;
    }

    private final PrintWriter out;
    private final DemoPace pace;
    private final Random random = new Random();

    DemoWork(PrintWriter out, DemoPace pace) {
        this.out = out;
        this.pace = pace;
    }

    /** Starts a daemon thread for {@code body}. */
    Thread worker(String name, Body body) {
        Thread t = new Thread(guarded(name, body), "herald-demo-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * {@code body} as a task that ends quietly when interrupted, with a note when its job was ended from outside
     * (cancelled on the dashboard) or the server refused something.
     */
    Runnable guarded(String name, Body body) {
        return () -> {
            try {
                body.run();
            } catch (JobCancelledException e) {
                say("demo: job " + e.jobId() + " was ended from outside; its worker stops");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (HeraldException e) {
                if (!Thread.currentThread().isInterrupted()) {
                    say("demo worker '" + name + "' stopped: " + e.getMessage());
                }
            }
        };
    }

    /** How many ticks make {@code ms} of demo time. */
    int ticks(long ms) {
        return (int) Math.max(1, ms / DemoScenario.TICK_MS);
    }

    /** Waits about one tick, with some jitter so that the rates vary like real work, then checks for a cancel. */
    void tick(Reporter r, double jitter) throws InterruptedException {
        double factor = 1 + jitter * (random.nextDouble() * 2 - 1);
        pace.pause(Math.round(DemoScenario.TICK_MS * factor));
        r.throwIfCancelled();
    }

    void pause(long ms) throws InterruptedException {
        pace.pause(ms);
    }

    void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /**
     * An import of {@code rows} rows in three weighted stages (parsing, validating, loading) with messages, log
     * lines and metadata; about a minute times {@code slowness}. Two rows are invalid: their numbers are returned.
     */
    static List<Integer> importRows(Reporter r, int rows, DemoWork work, int slowness) throws InterruptedException {
        r.log(LogLevel.INFO, "Opened customers.csv (2.4 MB)", Map.of("delimiter", ",", "encoding", "UTF-8"));
        int parseTicks = work.ticks(10_000L * slowness);
        r.stage("parsing").unit("rows").message("Parsing customers.csv");
        for (int i = 1; i <= parseTicks; i++) {
            r.progress((double) rows * i / parseTicks, rows);
            if (i == parseTicks / 3) {
                r.debug("Detected 14 columns; header: id, email, name, country, ...");
            }
            work.tick(r, 0.3);
        }
        r.info("Parsed " + rows + " rows");

        int validateTicks = work.ticks(6_000L * slowness);
        int firstBad = rows * 15 / 100;
        int secondBad = rows * 73 / 100;
        int invalid = 0;
        r.stage("validating").message("Validating rows");
        for (int i = 1; i <= validateTicks; i++) {
            int current = rows * i / validateTicks;
            if (invalid == 0 && current >= firstBad) {
                invalid++;
                r.log(LogLevel.WARN, "Row " + firstBad + ": invalid email address 'bob@'",
                        Map.of("row", firstBad, "column", "email"));
            }
            if (invalid == 1 && current >= secondBad) {
                invalid++;
                r.log(LogLevel.WARN, "Row " + secondBad + ": missing country code",
                        Map.of("row", secondBad, "column", "country"));
            }
            r.progress(current, rows).metadata(Map.of("valid", current - invalid, "invalid", invalid));
            work.tick(r, 0.3);
        }

        int loadTicks = work.ticks(42_000L * slowness);
        int batches = rows / 500 + 1;
        int committed = 0;
        r.stage("loading");
        for (int i = 1; i <= loadTicks; i++) {
            int current = rows * i / loadTicks;
            int errors = current >= secondBad ? 2 : current >= firstBad ? 1 : 0;
            r.progress(current, rows).message("Loading rows (batch " + Math.min(batches, current / 500 + 1) + " of "
                    + batches + ")").metadata(Map.of("success", current - errors, "errors", errors));
            while (committed < current / 2500) {
                committed++;
                r.log(LogLevel.INFO, "Committed " + committed * 2500 + " rows", Map.of("table", "customers"));
            }
            work.tick(r, 0.5);
        }
        return List.of(firstBad, secondBad);
    }

    /** A small job that renders 100 tiles in about {@code ms} of demo time, then completes. */
    static void tiles(Reporter r, DemoWork work, long ms) throws InterruptedException {
        int ticks = work.ticks(ms);
        r.message("Rendering tiles");
        for (int i = 1; i <= ticks; i++) {
            r.progress(100 * i / ticks);
            work.tick(r, 0.3);
        }
        r.complete(Map.of("width", 320, "height", 240));
    }
}
