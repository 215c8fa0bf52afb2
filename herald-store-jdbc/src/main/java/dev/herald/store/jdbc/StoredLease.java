package dev.herald.store.jdbc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.herald.core.model.Lease;

import java.io.IOException;
import java.time.Instant;

/** A claimed job's lease in the stored state: {@code [worker, token, expiresAt, leaseMs]}, expiry in epoch ms. */
final class StoredLease {
    private StoredLease() {
    }

    static void writeField(JsonGenerator g, String field, Lease lease) throws IOException {
        if (lease == null) {
            return;
        }
        g.writeArrayFieldStart(field);
        g.writeString(lease.worker());
        g.writeString(lease.token());
        g.writeNumber(lease.expiresAt().toEpochMilli());
        g.writeNumber(lease.leaseMs());
        g.writeEndArray();
    }

    /** The array the parser stands on, up to its end. */
    static Lease read(JsonParser p) throws IOException {
        p.nextToken();
        String worker = p.getText();
        p.nextToken();
        String token = p.getText();
        p.nextToken();
        Instant expires = Instant.ofEpochMilli(p.getLongValue());
        p.nextToken();
        long leaseMs = p.getLongValue();
        p.nextToken();
        return new Lease(worker, token, expires, leaseMs);
    }
}
