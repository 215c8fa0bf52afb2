package dev.herald.bench;

import java.net.http.HttpResponse;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster soak of docs/cluster.md §11: three nodes ({@link ClusterNodes}); lanes that each create a parent with
 * {@code completeWithChildren}, children, progress, log lines and completions, every request to a random node
 * ({@link SoakCalls}); two SSE readers of each parent's subtree on random nodes, reconnecting with their cursors
 * ({@link SoakReader}); every {@code --kill-every} seconds a random node killed with SIGKILL and started again. At
 * the end, every acknowledged creation, log line and completion must be in the store (read through the nodes) and
 * have been seen by every reader of its parent, versions must only increase in every reader's stream, and every
 * parent must have finished once. Prints a verdict; exits 1 on a violation.
 */
public final class ClusterSoak {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("ClusterSoak [options]", args,
                "minutes", "3", "how long the load runs",
                "nodes", "3", "node processes",
                "lanes", "6", "parents in the making at once",
                "children", "3", "children of each parent",
                "kill-every", "20", "seconds between two kills of a random node",
                "jar", "herald-cli/target/herald.jar", "the herald.jar the nodes run",
                "heap", "512m", "each node's -Xmx",
                "redis", "redis://127.0.0.1:6379", "the Redis between the nodes");
        Machine.printHeader("ClusterSoak");
        System.out.println("options: " + a.effective());
        List<SoakTree> trees = Collections.synchronizedList(new ArrayList<>());
        List<String> findings;
        try (ClusterNodes cluster = ClusterNodes.start(a.integer("nodes"), a.text("jar"), a.text("heap"),
                a.text("redis"));
             Target t = Target.open(cluster.node(0).url(), cluster.adminToken)) {
            System.out.println(cluster.describe());
            cluster.awaitKey(t.token);
            SoakCalls calls = new SoakCalls(cluster, t.token);
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(a.integer("minutes"));
            AtomicLong kills = new AtomicLong();
            Thread killer = new Thread(() -> kill(cluster, a.integer("kill-every"), end, kills), "soak-killer");
            killer.start();
            List<Thread> lanes = new ArrayList<>();
            for (int i = 0; i < a.integer("lanes"); i++) {
                Thread lane = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            trees.add(SoakTree.grow(calls, t.token, a.integer("children")));
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "soak-lane-" + i);
                lanes.add(lane);
                lane.start();
            }
            for (Thread lane : lanes) {
                lane.join();
            }
            killer.join();
            log("load stopped after " + trees.size() + " parents and " + kills.get() + " kills; checking");
            findings = check(calls, trees);
        }
        System.out.println("load average after: " + Machine.loadAverage());
        report(trees, findings);
        System.exit(findings.isEmpty() ? 0 : 1);
    }

    private static void kill(ClusterNodes cluster, int everySeconds, long end, AtomicLong kills) {
        try {
            while (true) {
                Thread.sleep(TimeUnit.SECONDS.toMillis(everySeconds));
                if (System.nanoTime() >= end) {
                    return;
                }
                ClusterNodes.Node node = cluster.node(ThreadLocalRandom.current().nextInt(cluster.size()));
                cluster.kill(node);
                kills.incrementAndGet();
                log("killed node " + node.index + " (SIGKILL)");
                cluster.restart(node);
                log("node " + node.index + " ready again");
            }
        } catch (Exception e) {
            log("the killer stopped: " + e);
        }
    }

    /** Every acknowledged item in the store and in every reader's stream; each parent finished once. */
    private static List<String> check(SoakCalls calls, List<SoakTree> trees) throws InterruptedException {
        List<String> findings = new ArrayList<>();
        for (SoakTree tree : trees) {
            findings.addAll(tree.checkStore(calls));
            findings.addAll(tree.checkReaders());
        }
        return findings;
    }

    private static void report(List<SoakTree> trees, List<String> findings) {
        long parents = trees.stream().filter(SoakTree::made).count();
        long items = trees.stream().mapToLong(SoakTree::acknowledged).sum();
        long readers = trees.stream().mapToLong(SoakTree::readers).sum();
        long reconnects = trees.stream().mapToLong(SoakTree::reconnects).sum();
        long stale = trees.stream().mapToLong(SoakTree::staleSnapshots).sum();
        System.out.printf("acknowledged: %d parents, %d creations, log lines and completions in all; %d readers, "
                + "%d reconnects; %d snapshots after a reconnect older than a state the reader held (a state it "
                + "had had, which API §3 lets come again: the node's stored state, not the owner's newest)%n",
                parents, items, readers, reconnects, stale);
        if (findings.isEmpty()) {
            System.out.println("VERDICT: OK, no violation");
            return;
        }
        System.out.println("VERDICT: " + findings.size() + " VIOLATIONS");
        findings.stream().limit(200).forEach(f -> System.out.println("  " + f));
    }

    static void log(String line) {
        System.out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " " + line);
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** Whether the answer acknowledged the write: the status expected, or 409 already in it (a retry of a done one). */
    static boolean acknowledged(HttpResponse<String> answer, int expect, String alreadyStatus) {
        return answer != null && (answer.statusCode() == expect || (alreadyStatus != null
                && answer.statusCode() == 409 && answer.body().contains("\"" + alreadyStatus + "\"")));
    }
}
