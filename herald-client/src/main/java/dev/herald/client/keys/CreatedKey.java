package dev.herald.client.keys;

/** A key just created, with its token: the only time the token is known to anyone but its holder. */
public record CreatedKey(KeyInfo key, String token) {
}
