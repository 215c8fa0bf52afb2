package dev.herald.store.jdbc;

import dev.herald.core.cluster.DutyLocks;
import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.cluster.Placements;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * This process as one node of a cluster on a shared PostgreSQL store (docs/cluster.md §2): its
 * lease, the ownership of trees and placements, and from joining on a fence on every write of
 * the database's job store. Closing it ends the lease; the database stays open.
 */
public final class PostgresCluster implements AutoCloseable {
    private final PostgresNodeLease lease;
    private final PostgresOwnership ownership;
    private final PostgresPlacements placements;
    private final Connections connections;
    private final String cluster;
    private final String schema;

    private PostgresCluster(PostgresNodeLease lease, PostgresOwnership ownership, PostgresPlacements placements,
                            Connections connections, String cluster, String schema) {
        this.lease = lease;
        this.ownership = ownership;
        this.placements = placements;
        this.connections = connections;
        this.cluster = cluster;
        this.schema = schema;
    }

    /**
     * Joins as a new node with a random id: takes its lease (pinged every second, judged on
     * {@code nanoClock}, {@link System#nanoTime} outside tests) and fences the store's writes.
     *
     * @param cluster the cluster's name ({@code --cluster}), part of the lease's lock key
     * @param address where other nodes reach this one ({@code --cluster-address})
     * @throws IllegalStateException if the database is not PostgreSQL
     * @throws StoreException        if the lease cannot be taken
     */
    public static PostgresCluster join(JdbcDatabase database, String cluster, String address,
                                       LongSupplier nanoClock, NodeLease.Listener listener) {
        return join(database, cluster, address, nanoClock, listener, true);
    }

    static PostgresCluster join(JdbcDatabase database, String cluster, String address, LongSupplier nanoClock,
                                NodeLease.Listener listener, boolean pinging) {
        if (database.dialect() != Dialect.POSTGRESQL) {
            throw new IllegalStateException("only a PostgreSQL store can be shared by a cluster, not "
                    + database.location());
        }
        String nodeId = UUID.randomUUID().toString().replace("-", "");
        JdbcLocation location = database.location();
        PostgresNodeLease lease = PostgresNodeLease.take(location, nodeId,
                lockKey(cluster, location.schema(), nodeId), address, nanoClock, listener, pinging);
        database.jobStore().fenceAs(nodeId);
        return new PostgresCluster(lease, new PostgresOwnership(database.connections(), nodeId),
                new PostgresPlacements(database.connections()), database.connections(), cluster, location.schema());
    }

    /** 64 bits of a hash of what names the node (or a duty): the lock is free for any other use of the database. */
    static long lockKey(String cluster, String schema, String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    (cluster + "\u0000" + schema + "\u0000" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public NodeLease lease() {
        return lease;
    }

    PostgresNodeLease postgresLease() {
        return lease;
    }

    public Ownership ownership() {
        return ownership;
    }

    /**
     * The locks of the cluster's duties (docs/cluster.md §6): {@code pg_try_advisory_lock} of a hash of the schema,
     * the cluster and the duty, session-level on the lease's own connection, so they go with the lease.
     */
    public DutyLocks dutyLocks() {
        return duty -> lease.tryLock(lockKey(cluster, schema, "duty " + duty));
    }

    /** Where {@link Placements} reads a placement it does not hold. */
    public Placements.Source placements() {
        return placements;
    }

    /**
     * The secret the nodes of this cluster show each other (docs/cluster.md §13.6): 32 random bytes made by the
     * first node that asks, kept in {@code herald_meta}, which only those with the database's credentials read.
     */
    public String secret() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String name = "cluster_secret:" + cluster;
        try {
            return connections.read(c -> {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO herald_meta (name, value) VALUES (?, ?) "
                        + "ON CONFLICT (name) DO UPDATE SET value = herald_meta.value RETURNING value")) {
                    s.setString(1, name);
                    s.setString(2, HexFormat.of().formatHex(random));
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("could not read the cluster's secret", e);
        }
    }

    @Override
    public void close() {
        lease.close();
    }
}
