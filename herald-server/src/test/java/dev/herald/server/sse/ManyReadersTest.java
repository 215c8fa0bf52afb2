package dev.herald.server.sse;

import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static dev.herald.server.sse.Jobs.tree;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many readers of one job: more than an event loop hands an event to in one slice of its time ({@code LoopPump})
 * before it reads its sockets again, on every loop, while the updates come in one batch as fast as the server takes them. Each
 * reader keeps up (its events fit its socket's buffers) and so gets every version, in order: a fan-out spread
 * over turns of the loop keeps each reader's events in the order they were published.
 */
class ManyReadersTest {
    private static final int READERS = 600;
    private static final int UPDATES = 20;

    @Test
    void everyReaderOfAJobGetsEveryVersionInOrder() throws Exception {
        try (TestServer server = TestServer.start()) {
            String id = Jobs.create(server, "running");
            long created = Jobs.version(server, id);
            List<RawSseSocket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < READERS; i++) {
                    readers.add(RawSseSocket.open(server, "/api/v1/jobs/" + id + "/events", 0));
                }
                for (RawSseSocket r : readers) {
                    assertThat(r.readUntil(e -> e.event().equals("snapshot"), Jobs.WAIT))
                            .isEqualTo(RawSseSocket.End.MATCHED);
                }
                HttpResponse<String> posted = server.post("/api/v1/progress:batch", Jobs.batchOf(id, UPDATES));
                assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

                long last = created + UPDATES;
                List<Long> every = LongStream.rangeClosed(created + 1, last).boxed().toList();
                for (int i = 0; i < readers.size(); i++) {
                    RawSseSocket r = readers.get(i);
                    assertThat(r.readUntil(e -> e.event().equals("progress")
                            && tree(e.data()).get("version").asLong() == last, Jobs.WAIT))
                            .as("reader %d", i).isEqualTo(RawSseSocket.End.MATCHED);
                    List<Long> versions = r.events().stream().filter(e -> e.event().equals("progress"))
                            .map(e -> tree(e.data()).get("version").asLong()).toList();
                    assertThat(versions).as("reader %d", i).isEqualTo(every);
                    assertThat(r.malformed()).isEmpty();
                }
            } finally {
                for (RawSseSocket r : readers) {
                    r.close();
                }
            }
        }
    }
}
