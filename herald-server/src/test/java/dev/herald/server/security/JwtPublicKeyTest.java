package dev.herald.server.security;

import dev.herald.server.support.WsClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.auth.JwtOptions;
import dev.herald.server.support.SseClient;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.herald.server.security.Sec.API;
import static dev.herald.server.security.Sec.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** JWTs verified with a PEM public key (API §5): RS256 for an RSA key, ES256 for an EC P-256 key, nothing else. */
class JwtPublicKeyTest {
    @TempDir
    Path dir;

    @Test
    void rs256TokensOfTheConfiguredKeyWorkAndNothingElseDoes() {
        KeyPair rsa = Jwts.rsa();
        Path pem = Jwts.writePem(dir, "rsa.pem", rsa.getPublic());
        try (TestServer server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withJwt(JwtOptions.publicKey(pem))))) {
            Map<String, Object> good = Jwts.claims("rsa-user", List.of("a"), "write", 3600);
            check(server, Jwts.rs256(rsa, good), c -> Jwts.rs256(rsa, c));

            // the public key is public: an HS256 token keyed with it (algorithm confusion) must not pass
            byte[] pemBytes = Jwts.pem(rsa.getPublic()).getBytes(StandardCharsets.UTF_8);
            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("HS256 keyed with the PEM text", Jwts.hs(JWSAlgorithm.HS256, pemBytes, good));
            bad.put("HS256 keyed with the DER key", Jwts.hs(JWSAlgorithm.HS256, rsa.getPublic().getEncoded(), good));
            bad.put("HS256 with some secret", Jwts.hs256(JwtAccessTest.SECRET, good));
            bad.put("RS256 of another key", Jwts.rs256(Jwts.rsa(), good));
            bad.put("ES256", Jwts.es256(Jwts.ec(), good));
            bad.put("alg none", Jwts.none(good, ""));
            bad.put("expired", Jwts.rs256(rsa, Jwts.claims("rsa-user", List.of("a"), "write", -3600)));
            bad.put("missing exp", Jwts.rs256(rsa, Jwts.with(good, "exp", null)));
            bad.put("tampered payload", Jwts.withPayload(Jwts.rs256(rsa, good),
                    Jwts.with(good, "projects", List.of("*"))));
            bad.put("bad signature", Jwts.badSignature(Jwts.rs256(rsa, good)));
            refused(server, bad);
        }
    }

    @Test
    void es256TokensOfTheConfiguredKeyWorkAndNothingElseDoes() {
        KeyPair ec = Jwts.ec();
        Path pem = Jwts.writePem(dir, "ec.pem", ec.getPublic());
        try (TestServer server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withJwt(JwtOptions.publicKey(pem))))) {
            Map<String, Object> good = Jwts.claims("ec-user", List.of("a"), "write", 3600);
            check(server, Jwts.es256(ec, good), c -> Jwts.es256(ec, c));

            byte[] pemBytes = Jwts.pem(ec.getPublic()).getBytes(StandardCharsets.UTF_8);
            Map<String, String> bad = new LinkedHashMap<>();
            bad.put("HS256 keyed with the PEM text", Jwts.hs(JWSAlgorithm.HS256, pemBytes, good));
            bad.put("ES256 of another key", Jwts.es256(Jwts.ec(), good));
            bad.put("RS256", Jwts.rs256(Jwts.rsa(), good));
            bad.put("alg none", Jwts.none(good, ""));
            bad.put("expired", Jwts.es256(ec, Jwts.claims("ec-user", List.of("a"), "write", -3600)));
            bad.put("missing exp", Jwts.es256(ec, Jwts.with(good, "exp", null)));
            bad.put("tampered payload", Jwts.withPayload(Jwts.es256(ec, good), Jwts.with(good, "scope", "admin")));
            bad.put("bad signature", Jwts.badSignature(Jwts.es256(ec, good)));
            refused(server, bad);
        }
    }

    /** A valid token: owner from sub, its project, read scope enforced, and streams. */
    private static void check(TestServer server, String token, Function<Map<String, Object>, String> mint) {
        String sub = Sec.tree(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8)).get("sub").asText();
        JsonNode job = Sec.create(server, token, "{\"type\":\"signed\"}");
        assertThat(job.get("owner").asText()).isEqualTo(sub);
        assertThat(job.get("project").asText()).isEqualTo("a");
        String id = job.get("id").asText();
        String bJob = Sec.adminJob(server, "{\"type\":\"b\",\"project\":\"b\"}");
        assertThat(Sec.get(server, API + "/jobs/" + bJob, token).statusCode()).isEqualTo(404);
        try (SseClient sse = Sec.sseWithQueryToken(server, API + "/jobs/" + id + "/events", token);
             WsClient ws = WsClient.connect(server, API + "/jobs/" + id + "/ws", token, false)) {
            assertThat(Sec.next(sse).event()).isEqualTo("snapshot");
            ws.until(n -> n.path("type").asText().equals("snapshot"));
        }
        String reader = mint.apply(Jwts.claims("reader", List.of("*"), "read", 3600));
        assertThat(Sec.get(server, API + "/jobs/" + bJob, reader).statusCode()).isEqualTo(200);
        assertError(Sec.post(server, API + "/jobs/" + id + "/start", reader, null), 401, "unauthorized");
    }

    private static void refused(TestServer server, Map<String, String> bad) {
        String aJob = Sec.adminJob(server, "{\"type\":\"a\",\"project\":\"a\"}");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            HttpResponse<String> r = Sec.get(server, API + "/jobs", e.getValue());
            assertThat(r.statusCode()).as("%s -> %s", e.getKey(), r.body()).isEqualTo(401);
            assertError(r, 401, "unauthorized");
            assertThat(Sec.post(server, API + "/jobs", e.getValue(), "{\"type\":\"x\"}").statusCode())
                    .as(e.getKey()).isEqualTo(401);
            try (SseClient sse = Sec.sseWithQueryToken(server, API + "/jobs/" + aJob + "/events", e.getValue())) {
                assertThat(sse.status()).as("SSE, %s", e.getKey()).isEqualTo(401);
            }
            assertThat(WsClient.refusal(server, API + "/jobs/" + aJob + "/ws", e.getValue(), false).status())
                    .as("WS, %s", e.getKey()).isEqualTo(401);
        }
    }
}
