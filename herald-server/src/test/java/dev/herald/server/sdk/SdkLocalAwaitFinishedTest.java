package dev.herald.server.sdk;

import dev.herald.client.Herald;

/** {@link SdkAwaitFinishedTest} against {@code server.client()}. */
class SdkLocalAwaitFinishedTest extends SdkAwaitFinishedTest {
    @Override
    Herald herald() {
        return sdk.local();
    }
}
