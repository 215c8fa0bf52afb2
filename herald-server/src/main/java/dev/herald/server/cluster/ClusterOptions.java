package dev.herald.server.cluster;

import java.util.Objects;

/**
 * How {@code herald serve} runs as one node of a cluster (docs/cluster.md §2.5, §13.6).
 *
 * @param name    the cluster's name ({@code --cluster}): nodes of one name on one database are one cluster
 * @param host    where the cluster listener binds, and the host other nodes reach it at ({@code --cluster-address})
 * @param port    the cluster listener's port, 0 for any free one ({@code --cluster-port})
 * @param secret  what nodes show each other ({@code --cluster-secret}); null: the one kept in the database
 */
public record ClusterOptions(String name, String host, int port, String secret) {
    public static final int DEFAULT_PORT = 9090;

    public ClusterOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--cluster-port must be between 0 and 65535, not " + port);
        }
        if (secret != null && secret.length() < 16) {
            throw new IllegalArgumentException("--cluster-secret must be at least 16 characters");
        }
    }
}
