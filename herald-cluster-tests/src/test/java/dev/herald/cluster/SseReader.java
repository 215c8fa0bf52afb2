package dev.herald.cluster;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Server-Sent Events stream over real HTTP, read on a thread of its own into a list of events. */
final class SseReader implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One event: its cursor, its type and its data. */
    record Event(String id, String type, JsonNode data) {
        long version() {
            return data.path("version").asLong(-1);
        }

        String jobId() {
            return data.path("jobId").asText();
        }

        JsonNode job() {
            return data.path("job");
        }

        long logSeq() {
            return data.path("log").path("seq").asLong(-1);
        }
    }

    private final String where;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final InputStream body;
    private volatile Throwable ended;

    private SseReader(String where, InputStream body) {
        this.where = where;
        this.body = body;
        Thread reader = new Thread(this::read, "sse " + where);
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code /api/v1/jobs/{job}/events} on {@code base} (a node or nginx), resuming after {@code cursor} if not null. */
    static SseReader job(String base, String job, String cursor) {
        return open(base, "/api/v1/jobs/" + job + "/events", cursor);
    }

    static SseReader open(String base, String path, String cursor) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + Nodes.TOKEN).header("Accept", "text/event-stream");
        if (cursor != null) {
            request.header("Last-Event-ID", cursor);
        }
        try {
            HttpResponse<InputStream> r = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                String text = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("GET " + base + path + ": " + r.statusCode() + " " + text);
            }
            SseReader reader = new SseReader(base + path, r.body());
            reader.awaitEvent(e -> e.type().equals("snapshot"));
            return reader;
        } catch (IOException e) {
            throw new AssertionError("GET " + base + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Event> events() {
        return List.copyOf(events);
    }

    /** The events of these types, in the order they came. */
    List<Event> events(String... types) {
        List<String> wanted = List.of(types);
        return events.stream().filter(e -> wanted.contains(e.type())).toList();
    }

    /** The cursor of the last event with one. */
    String lastCursor() {
        return events.stream().map(Event::id).filter(id -> id != null).reduce((a, b) -> b).orElseThrow();
    }

    /** Waits until an event matches; fails early if the stream ended, showing the events it had. */
    Event awaitEvent(Predicate<Event> match) {
        await("an event on " + where).atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(ended).as("the stream %s ended", where).isNull();
            assertThat(events).anyMatch(match);
        });
        return events.stream().filter(match).findFirst().orElseThrow();
    }

    @Override
    public void close() throws IOException {
        body.close();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String type = "message";
            String data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(id, type, Api.JSON.readTree(data)));
                    }
                    id = null;
                    type = "message";
                    data = null;
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim();
                }
            }
            ended = new IOException("the server ended the stream");
        } catch (IOException | RuntimeException e) {
            ended = e;
        }
    }
}
