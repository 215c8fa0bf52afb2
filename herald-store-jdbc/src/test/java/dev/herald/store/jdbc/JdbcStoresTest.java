package dev.herald.store.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcStoresTest {
    @Test
    void anUnsupportedLocationIsAnIllegalArgument() {
        assertThatThrownBy(() -> JdbcStores.open("mongodb://localhost/herald"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported store location 'mongodb://localhost/herald'")
                .hasMessageContaining("postgresql://user:pass@host:5432/db");
    }

    @Test
    void anUnreachableDatabaseIsAStoreExceptionSayingWhere() {
        assertThatThrownBy(() -> JdbcStores.open("postgresql://herald:secret@127.0.0.1:1/herald"))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("could not connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/herald")
                .hasMessageNotContaining("secret");
    }
}
