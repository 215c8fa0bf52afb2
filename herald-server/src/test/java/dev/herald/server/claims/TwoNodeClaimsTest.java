package dev.herald.server.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers on one PostgreSQL store, as two nodes of a cluster (API §8): claimers on both take every queued
 * job, each exactly once, whichever node created it.
 */
class TwoNodeClaimsTest {
    private static final String API = "/api/v1";

    @Test
    void claimersOnTwoNodesTakeEveryJobExactlyOnce() throws Exception {
        String schema = "herald_claims2_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String location = "postgresql://postgres@127.0.0.1:5432/test?schema=" + schema;
        try (TestServer a = TestServer.start(o -> o.withStore(location));
             TestServer b = TestServer.start(o -> o.withStore(location))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                TestServer node = i % 2 == 0 ? a : b;
                ids.add(ClaimsCases.json(node.post(API + "/jobs", "{\"type\":\"shared\",\"status\":\"queued\"}"))
                        .get("id").asText());
            }
            List<String> taken = Collections.synchronizedList(new ArrayList<>());
            ExecutorService claimers = Executors.newFixedThreadPool(20);
            try {
                List<Future<?>> running = new ArrayList<>();
                for (int c = 0; c < 20; c++) {
                    TestServer node = c % 2 == 0 ? a : b;
                    String body = "{\"types\":[\"shared\"],\"worker\":\"w" + c + "\"}";
                    running.add(claimers.submit(() -> {
                        HttpResponse<String> r;
                        while ((r = node.post(API + "/jobs:claim", body)).statusCode() == 200) {
                            JsonNode job = ClaimsCases.json(r);
                            taken.add(job.get("id").asText());
                        }
                        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
                    }));
                }
                for (Future<?> f : running) {
                    f.get(2, TimeUnit.MINUTES);
                }
            } finally {
                claimers.shutdown();
            }
            assertThat(taken).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        } finally {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }
}
