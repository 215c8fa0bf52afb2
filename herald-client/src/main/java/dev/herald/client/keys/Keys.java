package dev.herald.client.keys;

import java.util.List;

/**
 * API keys of a server (API.md §5, {@code /keys}), from {@link dev.herald.client.Herald#keys()}: an extension of
 * this client beyond SDK.md, for tools such as {@code herald keys}. Every call needs an admin token of all
 * projects; any other is refused with {@code unauthorized}. Errors are
 * {@link dev.herald.core.model.HeraldException}s with the API's code.
 *
 * <pre>{@code
 * CreatedKey key = herald.keys().create(NewKey.of("acme", Scope.WRITE).name("importer").expiresIn(Duration.ofDays(30)));
 * String token = key.token();                        // shown this once: the server keeps only a hash
 * herald.keys().revoke(key.key().id());
 * }</pre>
 */
public interface Keys {
    /**
     * Creates a key. Sent once, never tried again on its own (a lost answer could otherwise make two keys).
     *
     * @throws dev.herald.core.model.HeraldException {@code invalid_field} for a project or name the server refuses
     */
    CreatedKey create(NewKey key);

    /** Every key, revoked and expired ones too. */
    List<KeyInfo> list();

    /**
     * Revokes a key: requests with it are refused from now on and its open streams close. Sent once.
     *
     * @throws dev.herald.core.model.HeraldException {@code not_found} for an unknown or already revoked key
     */
    void revoke(String id);
}
