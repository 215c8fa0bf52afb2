package dev.herald.server.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static dev.herald.server.support.JobsOverRest.createWith;

/**
 * Thousands of jobs made over the wire (POST /jobs; the API has no batch create), a few requests at a time. Job 0
 * is made alone first, so that it is the oldest; the rest come in any order.
 */
public final class ManyJobs {
    private static final int AT_ONCE = 8;

    private ManyJobs() {
    }

    /** The ids, by index; {@code body} gives job i's JSON. The server needs a write limit that lets this through. */
    public static List<String> create(TestServer server, int count, IntFunction<String> body) {
        List<String> ids = new ArrayList<>(List.of(createWith(server, body.apply(0))));
        ExecutorService pool = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<Future<String>> made = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                String json = body.apply(i);
                made.add(pool.submit(() -> createWith(server, json)));
            }
            for (Future<String> id : made) {
                ids.add(id.get());
            }
            return ids;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("making " + count + " jobs", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
