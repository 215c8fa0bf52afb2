package dev.herald.server.sdk;

import dev.herald.client.Herald;

/** Every watch test of {@link SdkWatchTest} against {@code server.client()}: subscribed to the engine directly. */
class SdkLocalWatchTest extends SdkWatchTest {
    @Override
    Herald herald() {
        return sdk.local();
    }
}
