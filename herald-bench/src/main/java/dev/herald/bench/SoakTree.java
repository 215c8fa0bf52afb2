package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One parent of {@link ClusterSoak} with {@code completeWithChildren}, its children, and what was acknowledged of
 * them: creations, log lines ({@code log JOB MESSAGE}) and completions ({@code status JOB completed}).
 */
final class SoakTree {
    private static final int READERS = 2;
    private final String root;
    private final List<String> jobs = new ArrayList<>();
    private final List<String> items = new ArrayList<>();
    private final List<SoakReader> readers = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();

    private SoakTree(String root) {
        this.root = root;
        jobs.add(root);
    }

    /** Makes a tree and waits (up to 30 s) for its readers to see the parent finish; its readers are closed then. */
    static SoakTree grow(SoakCalls calls, String token, int children) throws InterruptedException {
        HttpResponse<String> created = calls.post("/api/v1/jobs", "{\"type\":\"soak-parent\",\"status\":\"running\","
                + "\"completeWithChildren\":true}", ClusterSoak.key());
        if (created == null || created.statusCode() / 100 != 2) {
            ClusterSoak.log("a parent was not created: " + (created == null ? "no answer" : created.body()));
            return new SoakTree(null);
        }
        SoakTree tree = new SoakTree(id(created));
        tree.items.add("created " + tree.root);
        for (int i = 0; i < READERS; i++) {
            tree.readers.add(new SoakReader(calls, token, tree.root));
        }
        for (SoakReader reader : tree.readers) {
            try {
                reader.subscribed.get(30, TimeUnit.SECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                tree.findings.add("a reader of " + tree.root + " got no snapshot within 30 s");
            }
        }
        tree.log(calls, tree.root, "parent line");
        List<String> kids = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            HttpResponse<String> child = calls.post("/api/v1/jobs", "{\"type\":\"soak-child\",\"status\":\"running\","
                    + "\"parentId\":\"" + tree.root + "\"}", ClusterSoak.key());
            if (child != null && child.statusCode() / 100 == 2) {
                kids.add(id(child));
                tree.jobs.add(id(child));
                tree.items.add("created " + id(child));
            }
        }
        for (String child : kids) {
            for (int p = 1; p <= 3; p++) {
                calls.post("/api/v1/jobs/" + child + "/progress", "{\"current\":" + p + ",\"total\":3}", null);
                tree.log(calls, child, "line " + p);
            }
            HttpResponse<String> done = calls.post("/api/v1/jobs/" + child + "/complete", "{}", null);
            if (ClusterSoak.acknowledged(done, 200, "completed")) {
                tree.items.add("status " + child + " completed");
            }
        }
        tree.awaitFinish(kids.isEmpty());
        return tree;
    }

    private void log(SoakCalls calls, String job, String message) throws InterruptedException {
        String unique = message + " " + ClusterSoak.key();
        HttpResponse<String> answer = calls.post("/api/v1/jobs/" + job + "/logs",
                "{\"level\":\"info\",\"message\":\"" + unique + "\"}", null);
        if (ClusterSoak.acknowledged(answer, 202, null)) {
            items.add("log " + job + " " + unique);
        }
    }

    /** A parent whose children all ended finishes by itself: every reader should see it once. */
    private void awaitFinish(boolean childless) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!childless && System.nanoTime() < deadline && readers.stream().anyMatch(r -> r.finishes() == 0)) {
            Thread.sleep(50);
        }
        readers.forEach(SoakReader::close);
    }

    /** Whether the parent must finish: it has children and each one's completion was acknowledged. */
    private boolean mustFinish() {
        return jobs.size() > 1 && items.stream().filter(i -> i.startsWith("status ")).count() == jobs.size() - 1;
    }

    List<String> checkStore(SoakCalls calls) throws InterruptedException {
        List<String> missing = new ArrayList<>();
        if (root == null) {
            return missing;
        }
        for (String job : jobs) {
            HttpResponse<String> got = calls.get("/api/v1/jobs/" + job);
            if (got == null || got.statusCode() != 200) {
                missing.add("job " + job + " (of " + root + ") acknowledged as created, GET answered "
                        + (got == null ? "nothing" : got.statusCode() + " " + got.body()));
                continue;
            }
            JsonNode state = parse(got.body());
            String status = state.path("status").asText();
            if (job.equals(root) ? !status.equals("completed") && mustFinish()
                    : items.contains("status " + job + " completed") && !status.equals("completed")) {
                missing.add("job " + job + " (of " + root + ") is " + status + " in the store, not completed");
            }
            HttpResponse<String> logs = calls.get("/api/v1/jobs/" + job + "/logs?limit=1000");
            for (String item : items) {
                if (item.startsWith("log " + job + " ") && (logs == null
                        || !logs.body().contains(item.substring(("log " + job + " ").length())))) {
                    missing.add("acknowledged log line missing from the store: " + item);
                }
            }
        }
        return missing;
    }

    List<String> checkReaders() {
        List<String> missing = new ArrayList<>(findings);
        for (int r = 0; r < readers.size(); r++) {
            SoakReader reader = readers.get(r);
            String who = "reader " + r + " of " + root + " (" + reader.connections() + " connections)";
            for (String item : items) {
                boolean seen = item.startsWith("created ") ? reader.heardOf(item.substring(8)) : reader.saw(item);
                if (!seen) {
                    missing.add(who + " never saw: " + item);
                }
            }
            if (mustFinish() ? reader.finishes() != 1 : reader.finishes() > 1) {
                missing.add(who + " saw the parent finish " + reader.finishes() + " times");
            }
            reader.violations().forEach(v -> missing.add(who + ": " + v));
        }
        return missing;
    }

    /** Whether the parent was created (acknowledged). */
    boolean made() {
        return root != null;
    }

    long acknowledged() {
        return items.size();
    }

    long readers() {
        return readers.size();
    }

    long staleSnapshots() {
        return readers.stream().mapToLong(SoakReader::staleSnapshots).sum();
    }

    long reconnects() {
        return readers.stream().mapToLong(r -> Math.max(0, r.connections() - 1)).sum();
    }

    private static String id(HttpResponse<String> created) {
        return parse(created.body()).path("id").asText();
    }

    private static JsonNode parse(String body) {
        try {
            return Target.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
