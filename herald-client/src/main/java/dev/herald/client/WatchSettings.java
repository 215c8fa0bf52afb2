package dev.herald.client;

import java.time.Duration;

/**
 * How a client's watches judge a stream: {@code keepAlive} is how often the server speaks on an idle stream (15 s
 * by default), so twice as long without a word means something between holds the bytes back; {@code streamRetry}
 * is how often a polling watch tries the stream again.
 */
record WatchSettings(Duration keepAlive, Duration streamRetry) {
    /** A polling watch's long poll: well inside the server's limit of 60 s and most proxies' idle timeouts. */
    static final Duration LONG_POLL = Duration.ofSeconds(25);
    /** A polling watch of several jobs reads them all this often. */
    static final Duration POLL_ROUND = Duration.ofSeconds(1);

    Duration silence() {
        return keepAlive.multipliedBy(2);
    }
}
