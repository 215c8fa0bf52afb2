package dev.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.engine.IdGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Whether the time of a refusal tells "a job of another project" from "no such job" (API §5: unreadable is unknown).
 * A prober holding a read key of its own project asks, on one keep-alive connection, alternately for a running job of
 * another project (held in the server's memory) and for an id that names no job, and records how long each 404 took.
 * Two rounds: {@code repeated} asks for the same two ids again and again (the probe of issue 14); {@code first}
 * asks for a fresh job and a fresh unknown id each time, each asked once (the first refusal of an id). Equal
 * distributions in each round mean the timing tells nothing.
 */
public final class ProbeTimingBench {
    public static void main(String[] args) throws Exception {
        BenchArgs a = new BenchArgs("ProbeTimingBench [options]", args,
                "url", null, "a running server, e.g. http://127.0.0.1:8080 (default: embedded server in this JVM)",
                "token", null, "the running server's admin token",
                "requests", "2000", "measured requests of the repeated round (half of each kind, interleaved)",
                "first", "200", "fresh jobs and fresh unknown ids of the first-refusal round (each asked once)",
                "warmup", "500", "requests before measuring");
        Machine.printHeader("ProbeTimingBench");
        try (Target t = Target.open(a.text("url"), a.text("token"))) {
            System.out.println(t.describe());
            System.out.println("options: " + a.effective());
            HttpClient client = t.vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                    new PoolOptions().setHttp1MaxSize(1));
            String prober = proberKey(t, client);
            String other = otherProjectJob(t, client);
            String unknown = unknownId();
            int warmup = a.integer("warmup");
            probe(t, client, prober, List.of(other, unknown), warmup / 2);
            Histogram[] repeated = probe(t, client, prober, List.of(other, unknown), a.integer("requests") / 2);
            report("repeated (the same two ids)", repeated);
            int first = a.integer("first");
            List<String> pairs = new ArrayList<>();
            for (int i = 0; i < first; i++) {
                pairs.add(otherProjectJob(t, client));
                pairs.add(unknownId());
            }
            report("first refusal (a fresh id each time)", probe(t, client, prober, pairs, 1));
            System.out.println("load average after: " + Machine.loadAverage());
        }
    }

    /**
     * Asks for each id in turn, {@code rounds} times over; answers the times of the 404s for the ids at even
     * positions (jobs of another project) and at odd ones (unknown ids).
     */
    private static Histogram[] probe(Target t, HttpClient client, String token, List<String> ids, int rounds)
            throws Exception {
        Histogram[] times = {new Histogram(), new Histogram()};
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < ids.size(); i++) {
                RequestOptions get = t.request(HttpMethod.GET, "/api/v1/jobs/" + ids.get(i))
                        .putHeader("Authorization", "Bearer " + token);
                long start = System.nanoTime();
                t.send(client, get, Buffer.buffer(), 404).await(10, TimeUnit.SECONDS);
                times[i % 2].record(System.nanoTime() - start);
            }
        }
        return times;
    }

    private static void report(String round, Histogram[] times) {
        System.out.println(round + ":");
        System.out.println("  job of another project: " + times[0].summaryMillis());
        System.out.println("  unknown id:             " + times[1].summaryMillis());
        System.out.printf("  p50 ratio (other project / unknown): %.2f%n",
                (double) times[0].percentile(50) / Math.max(1, times[1].percentile(50)));
    }

    /** A read key of a project of its own: the prober. */
    private static String proberKey(Target t, HttpClient client) throws Exception {
        Buffer answer = t.send(client, t.request(HttpMethod.POST, "/api/v1/keys")
                        .putHeader("Authorization", "Bearer " + t.adminToken()),
                Buffer.buffer("{\"project\":\"prober\",\"scope\":\"read\",\"name\":\"probe-timing\"}"), 201)
                .await(10, TimeUnit.SECONDS);
        return Target.JSON.readTree(answer.getBytes()).get("token").asText();
    }

    /** A running job (so held in memory) of a project the prober may not read. */
    private static String otherProjectJob(Target t, HttpClient client) throws Exception {
        Buffer answer = t.send(client, t.request(HttpMethod.POST, "/api/v1/jobs")
                        .putHeader("Authorization", "Bearer " + t.adminToken()),
                Buffer.buffer("{\"type\":\"probed\",\"project\":\"victim\",\"status\":\"running\"}"), 201)
                .await(10, TimeUnit.SECONDS);
        JsonNode job = Target.JSON.readTree(answer.getBytes());
        return job.get("id").asText();
    }

    /** An id the server could have made (a malformed one is refused before any lookup), naming no job. */
    private static String unknownId() {
        return IdGenerator.newJobId();
    }
}
