package dev.herald.store.jdbc;

import dev.herald.core.auth.ApiKey;
import dev.herald.core.auth.KeyStore;
import dev.herald.core.port.JobStore;
import dev.herald.testkit.KeyStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;

class SqliteKeyStoreTest extends KeyStoreContract {
    @TempDir
    Path folder;
    private JdbcDatabase database;

    @Override
    protected KeyStore newStore() {
        database = JdbcStores.openDatabase(folder.toString());
        return database.keys();
    }

    @Override
    protected void cleanUp() {
        database.close();
    }

    @Test
    void keysOutliveTheProcessAndShareTheJobsDatabase() {
        ApiKey key = key(T0, null);
        store.create(key);
        database.close();

        // The job store's file: open(String) still gives the job store, and the keys are in the same database.
        try (JobStore jobs = JdbcStores.open(folder.toString())) {
            jobs.ping();
        }
        database = JdbcStores.openDatabase(folder.toString());
        assertThat(database.keys().find(key.id())).contains(key);
    }
}
