package dev.herald.server.sdk;

import dev.herald.client.Herald;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link SdkJobsTest} against {@code server.client()}: same answers, same refusals, no HTTP. */
class SdkLocalJobsTest extends SdkJobsTest {
    private static Herald local;

    @BeforeAll
    static void startLocal() {
        local = server.server().client();
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
