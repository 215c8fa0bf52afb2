package dev.herald.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.client.keys.CreatedKey;
import dev.herald.client.keys.KeyInfo;
import dev.herald.client.keys.Keys;
import dev.herald.client.keys.NewKey;
import dev.herald.core.auth.Scope;
import dev.herald.json.Times;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code POST /keys}, {@code GET /keys}, {@code POST /keys/{id}/revoke}: one request per call. */
final class HttpKeys implements Keys {
    private final HttpExchange exchange;

    HttpKeys(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public CreatedKey create(NewKey key) {
        JsonNode answer = exchange.post("/keys", RequestBodies.key(key), Map.of());
        return new CreatedKey(info(answer.path("key")), answer.path("token").asText());
    }

    @Override
    public List<KeyInfo> list() {
        List<KeyInfo> keys = new ArrayList<>();
        exchange.get("/keys").path("items").forEach(k -> keys.add(info(k)));
        return keys;
    }

    @Override
    public void revoke(String id) {
        exchange.post("/keys/" + HttpTransport.encode(id) + "/revoke", "{}", Map.of());
    }

    private static KeyInfo info(JsonNode k) {
        return new KeyInfo(k.path("id").asText(), k.path("name").textValue(), k.path("project").asText(),
                Scope.fromWire(k.path("scope").asText()).orElse(null), Times.parse(k.path("createdAt").textValue()),
                Times.parse(k.path("expiresAt").textValue()), Times.parse(k.path("revokedAt").textValue()));
    }
}
