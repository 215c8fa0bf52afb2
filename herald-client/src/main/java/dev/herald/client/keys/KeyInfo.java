package dev.herald.client.keys;

import dev.herald.core.auth.Scope;

import java.time.Instant;

/** A key as the server lists it: never its secret. {@code name}, {@code expiresAt}, {@code revokedAt} may be null. */
public record KeyInfo(String id, String name, String project, Scope scope, Instant createdAt, Instant expiresAt,
                      Instant revokedAt) {
}
