package dev.herald.core.engine;

import dev.herald.core.cluster.ClusterNode;
import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.cluster.Peers;
import dev.herald.core.model.Job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Stored jobs as the live node that owns their tree holds them now (docs/cluster.md §2.5): the store is up to a
 * flush interval behind that node's memory. Costs one store read (who owns the tree, if alive) and, only for a tree
 * another live node owns, one request to it for all the jobs at once. An owner that cannot be reached, or that
 * fails, leaves the stored states: a read never fails for want of the owner.
 */
final class OwnersStates {
    private final Ownership ownership;
    private final Peers peers;
    private final Executor reads;

    private OwnersStates(Ownership ownership, Peers peers, Executor reads) {
        this.ownership = ownership;
        this.peers = peers;
        this.reads = reads;
    }

    /** Null outside a cluster, or on a node that reaches no peers: stored states are then the newest. */
    static OwnersStates of(ClusterNode node, Executor reads) {
        return node == null || node.peers() == null ? null : new OwnersStates(node.ownership(), node.peers(), reads);
    }

    /** Jobs of one tree, read from the store: each replaced by its owner's state when that is newer. */
    CompletableFuture<List<Job>> newest(List<Job> stored) {
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(stored);
        }
        return CompletableFuture.supplyAsync(() -> ownership.liveOwnerOf(stored.get(0).id()), reads)
                .thenCompose(owner -> owner.isEmpty() ? CompletableFuture.completedFuture(stored)
                        : peers.forward(owner.get().address(), new Forward.Newest(owner.get().root(),
                                stored.stream().map(Job::id).toList()), null).thenApply(held -> newer(stored, held)))
                .exceptionally(e -> stored);
    }

    CompletableFuture<Job> newest(Job stored) {
        return newest(List.of(stored)).thenApply(jobs -> jobs.get(0));
    }

    /**
     * Jobs of any trees (a listing, a project's unfinished jobs), read from the store, as {@link #newest(List)}
     * answers them: one store read for all their owners, then one request to each live other owner, at once. An owner
     * that fails leaves its jobs' stored states only.
     */
    CompletableFuture<List<Job>> newestOfAnyTrees(List<Job> stored) {
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(stored);
        }
        List<String> ids = stored.stream().map(Job::id).toList();
        return CompletableFuture.supplyAsync(() -> ownership.liveOwnersOf(ids), reads).thenCompose(owners -> {
            Map<String, List<String>> idsByNode = new HashMap<>();
            Map<String, String> aRootByNode = new HashMap<>();
            owners.forEach((id, owner) -> {
                idsByNode.computeIfAbsent(owner.address(), node -> new ArrayList<>()).add(id);
                aRootByNode.putIfAbsent(owner.address(), owner.root());
            });
            // the owner answers from its memory whichever of its trees the ids are in: the root only routes
            List<CompletableFuture<List<Job>>> asks = idsByNode.entrySet().stream()
                    .map(e -> peers.forward(e.getKey(), new Forward.Newest(aRootByNode.get(e.getKey()), e.getValue()),
                            null).exceptionally(failed -> List.<Job>of()))
                    .toList();
            return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v ->
                    newer(stored, asks.stream().flatMap(ask -> ask.join().stream()).toList()));
        }).exceptionally(e -> stored);
    }

    private static List<Job> newer(List<Job> stored, List<Job> held) {
        Map<String, Job> byId = new HashMap<>();
        held.forEach(job -> byId.put(job.id(), job));
        return stored.stream().map(job -> {
            Job owners = byId.get(job.id());
            return owners != null && owners.version() > job.version() ? owners : job;
        }).toList();
    }
}
