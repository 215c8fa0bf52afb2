package dev.herald.examples;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Reporter;
import dev.herald.client.Watch;
import dev.herald.client.WatchRequest;
import dev.herald.core.event.EventType;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows a job tree from Java and prints a progress line for each change of its root:
 * {@code java -cp ... dev.herald.examples.WatchTree [URL TOKEN [JOB_ID]]}. Without a job id (say, one of
 * {@code ./herald demo}'s trees) it makes a small tree of its own and works on it meanwhile.
 */
public final class WatchTree {
    private WatchTree() {
    }

    public static void main(String[] args) throws Exception {
        try (Herald herald = Connect.herald(args)) {
            String root = args.length >= 3 ? args[2] : smallTree(herald);
            CompletableFuture<Job> end = new CompletableFuture<>();
            Watch watch = herald.watch(WatchRequest.job(root).descendants(), event -> {
                if (event.jobId().equals(root) && event.type() != EventType.LOG) {
                    System.out.println(line(event.job()));
                    if (event.job().status().isTerminal()) {
                        end.complete(event.job());
                    }
                }
            });
            Job done = end.get(10, TimeUnit.MINUTES);
            watch.close();
            System.out.println("the tree ended: " + done.status().wire());
        }
    }

    /** {@code  42.0%  running  children: 1 pending, 2 running, 3 completed, 0 failed} */
    static String line(Job job) {
        String children = job.children() == null ? "" : "  children: " + job.children().text();
        return String.format(Locale.ROOT, "%5.1f%%  %s%s", job.progress().percent(), job.status().wire(), children);
    }

    /** A parent of three children, worked on by a thread of this program. */
    private static String smallTree(Herald herald) {
        Job parent = herald.create(JobSpec.of("nightly").name("Nightly").status(JobStatus.RUNNING)
                .completeWithChildren(true));
        // every child is made before any ends: a parent that completes with its children would otherwise end
        // with the first, before the next one exists
        List<Reporter> children = new ArrayList<>();
        for (int c = 1; c <= 3; c++) {
            children.add(herald.start(JobSpec.of("step").name("step " + c).parent(parent.id()).total(50)));
        }
        Thread worker = new Thread(() -> {
            for (Reporter child : children) {
                try (child) {
                    for (int i = 0; i < 50; i++) {
                        child.increment();
                        pause();
                    }
                    child.complete();
                }
            }
        }, "watch-tree-worker");
        worker.setDaemon(true);
        worker.start();
        return parent.id();
    }

    /** Stands for real work. */
    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
