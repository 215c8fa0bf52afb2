package dev.herald.server.claims;

import dev.herald.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** The claims cases on the machine's PostgreSQL, in a schema of their own, dropped after. */
class PostgresClaimsTest extends ClaimsCases {
    private final String schema = "herald_claims_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    UnaryOperator<ServerOptions> store() {
        return o -> o.withStore("postgresql://postgres@127.0.0.1:5432/test?schema=" + schema);
    }

    @AfterAll
    void dropSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "postgres", null);
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }
}
