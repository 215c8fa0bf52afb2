package dev.herald.client;

import dev.herald.client.transport.HttpTransport;
import dev.herald.client.transport.Transport;

import java.time.Duration;
import java.util.Map;

/**
 * Settings of a {@link Herald}, from {@link Herald#builder()}:
 *
 * <pre>{@code
 * Herald herald = Herald.builder()
 *     .url("https://herald.example.com").token(token)
 *     .requestTimeout(Duration.ofSeconds(10))       // default 10 s
 *     .maxRetries(5)                                // default 5, jittered exponential backoff
 *     .progressInterval(Duration.ofMillis(100))     // default 100 ms
 *     .heartbeatInterval(Duration.ofSeconds(10))    // default 10 s
 *     .keepAlive(Duration.ofSeconds(15))            // default 15 s, the server's: watches judge silence by it
 *     .streamRetry(Duration.ofMinutes(1))           // default 1 minute: a polling watch tries the stream again
 *     .build();
 * }</pre>
 */
public final class HeraldBuilder {
    private String url = Herald.DEFAULT_URL;
    private String token;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxRetries = 5;
    private Duration progressInterval = Duration.ofMillis(100);
    private Duration heartbeatInterval = Duration.ofSeconds(10);
    private Duration keepAlive = Duration.ofSeconds(15);
    private Duration streamRetry = Duration.ofMinutes(1);
    private Transport transport;

    HeraldBuilder() {
    }

    static HeraldBuilder fromEnv(Map<String, String> env) {
        HeraldBuilder b = new HeraldBuilder();
        String url = env.get("HERALD_URL");
        if (url != null && !url.isBlank()) {
            b.url(url);
        }
        b.token = env.get("HERALD_TOKEN");
        return b;
    }

    /** The server, e.g. {@code http://127.0.0.1:8080} (the default). */
    public HeraldBuilder url(String url) {
        this.url = Arguments.text(url, "url");
        return this;
    }

    /** The bearer token: an API key or a JWT (API.md §5). */
    public HeraldBuilder token(String token) {
        this.token = token;
        return this;
    }

    /** How long one request may take before it counts as lost and is tried again (default 10 s). */
    public HeraldBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = Arguments.positive(timeout, "requestTimeout");
        return this;
    }

    /** How often a direct call is tried again after a failure that may pass (default 5); 0 for never. */
    public HeraldBuilder maxRetries(int retries) {
        if (retries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative (got " + retries + ")");
        }
        this.maxRetries = retries;
        return this;
    }

    /** How often reporters send the newest progress of each job, at most (default 100 ms). */
    public HeraldBuilder progressInterval(Duration interval) {
        this.progressInterval = Arguments.positive(interval, "progressInterval");
        return this;
    }

    /** How often an open reporter that has sent nothing else asks whether its job goes on (default 10 s). */
    public HeraldBuilder heartbeatInterval(Duration interval) {
        this.heartbeatInterval = Arguments.positive(interval, "heartbeatInterval");
        return this;
    }

    /**
     * How often the server speaks on a quiet event stream (default 15 s, the server's own default; set it to the
     * server's {@code --keep-alive}). A watch whose stream stays silent twice as long takes it as held back by a
     * proxy and falls back to long polling.
     */
    public HeraldBuilder keepAlive(Duration interval) {
        this.keepAlive = Arguments.positive(interval, "keepAlive");
        return this;
    }

    /** How often a watch that fell back to long polling tries the stream again (default 1 minute). */
    public HeraldBuilder streamRetry(Duration interval) {
        this.streamRetry = Arguments.positive(interval, "streamRetry");
        return this;
    }

    /**
     * Reaches the server through this transport instead of HTTP to {@code url}: how a server started in this JVM
     * hands out an in-process client. The client closes it.
     */
    public HeraldBuilder transport(Transport transport) {
        this.transport = Arguments.required(transport, "transport");
        return this;
    }

    /** @throws IllegalArgumentException when the URL is not an http(s) URL */
    public Herald build() {
        Transport t = transport != null ? transport : new HttpTransport(url, token, requestTimeout);
        return new ClientHerald(t, maxRetries, requestTimeout, progressInterval, heartbeatInterval,
                new WatchSettings(keepAlive, streamRetry));
    }
}
