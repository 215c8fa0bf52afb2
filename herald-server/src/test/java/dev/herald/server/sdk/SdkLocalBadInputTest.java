package dev.herald.server.sdk;

import dev.herald.client.Herald;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** Every test of {@link SdkBadInputTest} against {@code server.client()}: refused at the call, as over REST. */
class SdkLocalBadInputTest extends SdkBadInputTest {
    private static Herald local;

    @BeforeAll
    static void startLocal() {
        local = server.server().client(b -> b.progressInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stopLocal() {
        local.close();
    }

    @Override
    Herald herald() {
        return local;
    }
}
