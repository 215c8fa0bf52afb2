package dev.herald.cli;

import dev.herald.server.cluster.ClusterOptions;
import picocli.CommandLine.Option;

/** The options of {@code herald serve} that make it one node of a cluster (docs/cluster.md). */
final class ClusterFlags {
    @Option(names = "--cluster", paramLabel = "NAME",
            description = "Run as a node of the cluster of this name, sharing the PostgreSQL --store with its other "
                    + "nodes; writes on jobs another node owns are forwarded there. Also HERALD_CLUSTER.")
    String cluster;

    @Option(names = "--cluster-address", paramLabel = "HOST",
            description = "With --cluster: the host other nodes reach this one at, on the private network; the "
                    + "cluster listener binds to it (default: --host). Also HERALD_CLUSTER_ADDRESS.")
    String address;

    @Option(names = "--cluster-port", paramLabel = "PORT",
            description = "With --cluster: port of the cluster listener, which takes commands forwarded by other "
                    + "nodes; keep it off the load balancer (default: ${DEFAULT-VALUE}). Also HERALD_CLUSTER_PORT.")
    int port = ClusterOptions.DEFAULT_PORT;

    @Option(names = "--cluster-secret", paramLabel = "SECRET",
            description = "With --cluster: the secret nodes show each other (at least 16 characters); by default "
                    + "one is generated and kept in the store. Also HERALD_CLUSTER_SECRET (preferred over the flag).")
    String secret;

    /**
     * The cluster options, or null to run alone.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    ClusterOptions options(String host) {
        if (cluster == null || cluster.isBlank()) {
            if (address != null || secret != null) {
                throw new IllegalArgumentException("--cluster-address and --cluster-secret need --cluster NAME");
            }
            return null;
        }
        String name = cluster.trim();
        if (!name.matches("[A-Za-z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("--cluster must be 1 to 100 letters, digits, '.', '_' or '-', not '"
                    + name + "'");
        }
        return new ClusterOptions(name, address == null || address.isBlank() ? host : address.trim(), port,
                secret == null || secret.isBlank() ? null : secret);
    }
}
