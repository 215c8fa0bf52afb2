package dev.herald.testkit;

import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteConflict;
import dev.herald.core.port.WriteBatch.IdempotencyKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link JobStoreContract} section on idempotency keys: each leads to its job within its
 * project; the first writer of a key keeps it, and another job's write of it is a conflict.
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
    default void aKeyTakenByAnotherJobIsAConflictAndTheFirstWriterKeepsIt() {
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "first")));
        assertThatThrownBy(() -> store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "a later batch"))))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.takenKeys())
                        .containsExactly(new IdempotencyKey(ACME, "k1", "first")));
        assertThatThrownBy(() -> store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k2", "one"))
                .key(new IdempotencyKey(ACME, "k2", "another in the same batch"))))
                .isInstanceOf(WriteConflict.class);
        assertThat(store().jobIdForIdempotencyKey(ACME, "k1")).contains("first");
        assertThat(store().jobIdForIdempotencyKey(ACME, "k2")).isEmpty();
    }

    @Test
    default void aKeyWrittenAgainForItsOwnJobIsNoConflict() {
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "first")));
        store().write(new WriteBatch().key(new IdempotencyKey(ACME, "k1", "first")));
        assertThat(store().jobIdForIdempotencyKey(ACME, "k1")).contains("first");
    }
}
