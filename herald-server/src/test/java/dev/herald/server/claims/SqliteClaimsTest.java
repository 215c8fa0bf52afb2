package dev.herald.server.claims;

import dev.herald.server.ServerOptions;

import java.util.function.UnaryOperator;

/** The claims cases on the embedded store. */
class SqliteClaimsTest extends ClaimsCases {
    @Override
    UnaryOperator<ServerOptions> store() {
        return o -> o;
    }
}
