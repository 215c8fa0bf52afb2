package dev.herald.bus.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Where the bus meets the other nodes.
 *
 * @param redisUri the Redis server, {@code redis://host:port} (the Vert.x client's form, with user, password and
 *                 database if needed)
 * @param name     the cluster's name: its nodes share the channel {@code NAME:events}, other clusters on the same
 *                 Redis see none of it
 * @param nodeId   this node, unique per process start; also the name of its connections in {@code CLIENT LIST}
 */
public record RedisBusOptions(String redisUri, String name, String nodeId) {
    public static final String DEFAULT_NAME = "herald";

    /** Redis takes any channel, but a client name must not hold spaces: both stay plain. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RedisBusOptions {
        if (redisUri == null || !(redisUri.startsWith("redis://") || redisUri.startsWith("rediss://"))) {
            throw new IllegalArgumentException("the Redis address must look like redis://host:port, not " + redisUri);
        }
        requirePlain("cluster name", name);
        requirePlain("node id", nodeId);
    }

    /** A node of the cluster {@code name} with a new random id. */
    public static RedisBusOptions of(String redisUri, String name) {
        return new RedisBusOptions(redisUri, name, UUID.randomUUID().toString());
    }

    /** {@link #fromAddress(String, String)} with the cluster named {@code herald} when the path leaves it out. */
    public static RedisBusOptions fromAddress(String address) {
        return fromAddress(address, DEFAULT_NAME);
    }

    /**
     * A node with a new random id, from the address {@code --bus} takes: {@code redis://host:port[/name]} (or
     * {@code rediss://}, with user and password if needed). The path names the cluster, {@code defaultName} when
     * left out; it is no Redis database, which pub/sub ignores.
     */
    public static RedisBusOptions fromAddress(String address, String defaultName) {
        URI uri;
        try {
            uri = new URI(address == null ? "" : address.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the bus must look like redis://host:port[/name], not " + address);
        }
        if (uri.getHost() == null || uri.getPort() < 0 || uri.getQuery() != null || uri.getFragment() != null
                || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("the bus must look like redis://host:port[/name], not " + address);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        try {
            return of(uri.getScheme() + "://" + uri.getRawAuthority(),
                    path.isEmpty() || path.equals("/") ? defaultName : path.substring(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the bus must look like redis://host:port[/name]: " + e.getMessage());
        }
    }

    public String channel() {
        return name + ":events";
    }

    private static void requirePlain(String what, String value) {
        if (value == null || !PLAIN.matcher(value).matches()) {
            throw new IllegalArgumentException("the " + what + " must be 1 to 64 letters, digits, '.', '_' or '-', not "
                    + (value == null ? "missing" : "'" + value + "'"));
        }
    }
}
