package dev.herald.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Which admin token a server starts with: the one given, one made up for {@code --dev}, or none (JWTs only). */
final class AdminCredential {
    private AdminCredential() {
    }

    /** The token, or null for JWTs only; throws {@link IllegalStateException} with a message for the user. */
    static String choose(ServerOptions options) {
        String token = options.adminToken();
        if (options.dev() && !isLoopback(options.host())) {
            throw new IllegalStateException("--dev only works on a loopback address (127.0.0.1, ::1 or localhost), not "
                    + options.host() + ": on any other address, pass --admin-token instead");
        }
        if (token != null && !token.isBlank()) {
            return token;
        }
        if (options.dev()) {
            return generate();
        }
        if (options.auth().jwt() == null) {
            throw new IllegalStateException("no credentials configured: pass --admin-token TOKEN (or set "
                    + "HERALD_ADMIN_TOKEN), or accept JWTs with --jwt-secret or --jwt-public-key, "
                    + "or use --dev on a loopback address for local development");
        }
        return null; // no admin credential, so no API keys can be made or revoked
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String generate() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        // "ha_" (herald admin) cannot be mistaken for an API key ("hk_")
        return "ha_" + HexFormat.of().formatHex(bytes);
    }
}
