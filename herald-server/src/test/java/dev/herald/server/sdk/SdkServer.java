package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.server.ServerOptions;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.function.UnaryOperator;

/**
 * A real server on a free port and a remote client of it with the admin token (or, on asking, an in-process one),
 * for all tests of a class:
 * {@code @RegisterExtension static final SdkServer sdk = new SdkServer();}
 */
final class SdkServer implements BeforeAllCallback, AfterAllCallback {
    private final UnaryOperator<ServerOptions> tweak;
    private TestServer server;
    private Herald herald;
    private Herald local;

    SdkServer() {
        this(o -> o);
    }

    SdkServer(UnaryOperator<ServerOptions> tweak) {
        this.tweak = tweak;
    }

    TestServer server() {
        return server;
    }

    Herald herald() {
        return herald;
    }

    /** An in-process client of the same server ({@code server.client()}), made on first use. */
    synchronized Herald local() {
        if (local == null) {
            local = server.server().client();
        }
        return local;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = TestServer.start(tweak);
        herald = Herald.remote(server.baseUrl(), TestServer.TOKEN);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        herald.close();
        if (local != null) {
            local.close();
        }
        server.close();
    }
}
