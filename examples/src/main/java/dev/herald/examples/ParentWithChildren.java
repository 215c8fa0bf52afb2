package dev.herald.examples;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * A parent with 50 children reported from a pool of 8 threads; the parent completes by itself with its last child
 * ({@code completeWithChildren}). Run: {@code java -cp ... dev.herald.examples.ParentWithChildren [URL TOKEN]}.
 */
public final class ParentWithChildren {
    static final int CHILDREN = 50;

    private ParentWithChildren() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Herald herald = Connect.herald(args)) {
            Job parent = herald.create(JobSpec.of("render-album").name("Render album").status(JobStatus.RUNNING)
                    .completeWithChildren(true));
            System.out.println("parent " + parent.id());
            List<Future<?>> work = new ArrayList<>();
            for (int i = 1; i <= CHILDREN; i++) {
                String name = "page-" + i;
                work.add(pool.submit(() -> render(herald, parent.id(), name)));
            }
            for (Future<?> f : work) {
                f.get();
            }
            Job done = herald.awaitFinished(parent.id(), Duration.ofMinutes(1));
            System.out.println("parent " + done.status().wire() + ": " + done.children().text());
        } catch (TimeoutException e) {
            System.out.println("the parent did not finish in time: " + e.getMessage());
        } finally {
            pool.shutdown();
        }
    }

    private static void render(Herald herald, String parentId, String name) {
        try (Reporter child = herald.start(JobSpec.of("render-page").name(name).parent(parentId).total(20)
                .unit("tiles"))) {
            for (int tile = 0; tile < 20; tile++) {
                child.increment();
            }
            child.complete(Map.of("page", name));
        }
    }
}
