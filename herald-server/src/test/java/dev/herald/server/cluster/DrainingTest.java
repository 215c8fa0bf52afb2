package dev.herald.server.cluster;

import dev.herald.server.support.JobsOverRest;
import dev.herald.server.support.TestSchema;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's graceful stop (docs/cluster.md §7): ready answers 503 {@code draining} while every request is still
 * served; then the servers close, progress written behind is stored and the node's trees are let go. The drain's
 * period is 0 here: {@link dev.herald.server.HeraldServer#beginDraining} starts it ahead of the stop.
 */
class DrainingTest extends JobsOverRest {
    private final TestSchema schema = new TestSchema("herald_drain_");

    @AfterEach
    void dropSchema() throws Exception {
        schema.drop();
    }

    @Test
    void aStoppingNodeAnswersDrainingWhileItServesThenStoresWhatItHeldAndLetsItsTreesGo() throws Exception {
        // a flush interval longer than the test: only the stop itself writes the progress below
        TestServer a = TestServer.inCluster(new ClusterOptions("drain", "127.0.0.1", 0, null),
                o -> o.withStore(schema.store()).withFlushInterval(Duration.ofMinutes(10)));
        String job;
        long version;
        try {
            job = createWith(a, "{\"type\":\"import\",\"status\":\"running\"}");
            assertThat(a.get("/health/ready").statusCode()).isEqualTo(200);

            a.server().beginDraining();
            HttpResponse<String> ready = a.get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"draining\"", "\"store\":\"up\"");
            assertThat(ready.headers().firstValue("Retry-After")).isPresent();
            assertThat(a.get("/health/live").statusCode()).isEqualTo(200);
            version = progress(a, job, "{\"current\":7,\"total\":10}");
            assertThat(job(a, job).get("version").asLong()).isEqualTo(version);
        } finally {
            a.close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT version FROM " + schema.name() + ".jobs WHERE id = '"
                    + job + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(version);
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + schema.name() + ".tree_owners")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }
}
