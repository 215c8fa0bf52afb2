package dev.herald.store.jdbc;

import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.cluster.Placements;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private PostgresCluster(PostgresNodeLease lease, PostgresOwnership ownership, PostgresPlacements placements) {
        this.lease = lease;
        this.ownership = ownership;
        this.placements = placements;
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
                new PostgresPlacements(database.connections()));
    }

    /** 64 bits of a hash of what names the node: the lock is free for any other use of the database. */
    static long lockKey(String cluster, String schema, String nodeId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    (cluster + "\u0000" + schema + "\u0000" + nodeId).getBytes(StandardCharsets.UTF_8));
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

    /** Where {@link Placements} reads a placement it does not hold. */
    public Placements.Source placements() {
        return placements;
    }

    @Override
    public void close() {
        lease.close();
    }
}
