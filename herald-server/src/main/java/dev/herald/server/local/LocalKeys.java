package dev.herald.server.local;

import dev.herald.client.keys.CreatedKey;
import dev.herald.client.keys.KeyInfo;
import dev.herald.client.keys.Keys;
import dev.herald.client.keys.NewKey;
import dev.herald.client.transport.RequestBodies;
import dev.herald.core.auth.ApiKey;
import dev.herald.server.auth.Principal;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.rest.KeyBodies;
import dev.herald.server.rest.KeyRoutes;

import java.util.List;

/**
 * The key routes' calls as the operator, like {@link LocalTransport}'s jobs: the body the remote client would send
 * is read by the route's own rules, so a key is refused with the same code as over REST.
 */
final class LocalKeys implements Keys {
    private final LocalTransport transport;
    private final KeyRoutes routes;
    private final BodyReader bodies;
    private final Principal operator;

    LocalKeys(LocalTransport transport, KeyRoutes routes, BodyReader bodies, Principal operator) {
        this.transport = transport;
        this.routes = routes;
        this.bodies = bodies;
        this.operator = operator;
    }

    @Override
    public CreatedKey create(NewKey key) {
        return transport.call(() -> routes.create(operator, bodies.read(RequestBodies.key(key), KeyBodies.CREATE))
                .thenApply(created -> new CreatedKey(info(created.key()), created.token())));
    }

    @Override
    public List<KeyInfo> list() {
        return transport.call(() -> routes.list(operator).thenApply(all -> all.stream().map(LocalKeys::info).toList()));
    }

    @Override
    public void revoke(String id) {
        transport.call(() -> routes.revoke(operator, id));
    }

    private static KeyInfo info(ApiKey k) {
        return new KeyInfo(k.id(), k.name(), k.project(), k.scope(), k.createdAt(), k.expiresAt(), k.revokedAt());
    }
}
