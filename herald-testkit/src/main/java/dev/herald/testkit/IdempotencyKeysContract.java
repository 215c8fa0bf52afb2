package dev.herald.testkit;

import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link JobStoreContract} section on idempotency keys: each leads to its job within its
 * project, and the first writer of a key wins.
 */
public interface IdempotencyKeysContract extends JobStoreFixture {
    @Test
    default void aKeyLeadsToItsJobWithinItsProject() {
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "order-1", "job-a"))
                .key(new IdempotencyKey(GLOBEX, "order-1", "job-g")));
        assertThat(store().jobIdForIdempotencyKey(ACME, "order-1")).contains("job-a");
        assertThat(store().jobIdForIdempotencyKey(GLOBEX, "order-1")).contains("job-g");
        assertThat(store().jobIdForIdempotencyKey(ACME, "order-2")).isEmpty();
        assertThat(store().jobIdForIdempotencyKey("initech", "order-1")).isEmpty();
    }

    @Test
    default void theFirstWriterWins() {
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "first"))
                .key(new IdempotencyKey(ACME, "k1", "second in the same batch")));
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "a later batch")));
        assertThat(store().jobIdForIdempotencyKey(ACME, "k1")).contains("first");
    }
}
