package dev.herald.server.sdk;

import dev.herald.client.Herald;

/** Every test of {@link SdkKeysTest} with {@code server.client().keys()}: same keys, same refusals, no HTTP. */
class SdkLocalKeysTest extends SdkKeysTest {
    @Override
    Herald herald() {
        return sdk.local();
    }
}
