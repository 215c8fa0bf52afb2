package dev.herald.store.jdbc;

import dev.herald.core.port.JobStore;
import dev.herald.testkit.JobStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class SqliteJobStoreTest extends JobStoreContract {
    @TempDir
    Path folder;

    @Override
    protected JobStore newStore() {
        return JdbcStores.open(folder.toString());
    }
}
