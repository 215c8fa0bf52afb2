package dev.herald.core.cluster;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Runs each command where its job's tree is owned (docs/cluster.md §2.5): here when this node holds the tree or
 * can claim it, else on the live owner through {@link Peers}. A command the owner refuses as {@link Moved}, or that
 * cannot reach it, was applied nowhere and is routed again, a few times at most.
 */
public final class Router {
    /** Tries of one command, here or on an owner, before it is answered 503. */
    static final int ATTEMPTS = 4;
    /** Placements a forwarding node keeps in memory: enough for the jobs it sends on, bounded. */
    private static final int PLACEMENTS = 100_000;
    private final Placements placements;
    private final Peers peers;
    private final ProgressBatches progress;
    private final Predicate<String> held;
    private final Executor reads;
    /** Root to the address of the live node last known to own it: trees that are not this node's. */
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder rerouted = new LongAdder();

    /**
     * @param held  whether a job is in this node's memory (then its tree is this node's): answered without I/O
     * @param reads where a placement not in memory is read
     */
    public Router(Placements placements, Peers peers, Predicate<String> held, Executor reads) {
        this.placements = placements;
        this.peers = peers;
        this.progress = new ProgressBatches(peers);
        this.held = held;
        this.reads = reads;
    }

    /** A router for this node, or null when it forwards nothing (no cluster, or no peers given). */
    public static Router of(ClusterNode node, Predicate<String> held, Executor reads) {
        return node == null || node.peers() == null ? null
                : new Router(new Placements(node.placements(), PLACEMENTS), node.peers(), held, reads);
    }

    /** The command's answer, from this node ({@code here}) or from the owner of its job's tree. */
    public <T> CompletableFuture<T> route(Forward<T> command, String leaseToken, Supplier<CompletableFuture<T>> here) {
        return attempt(command, leaseToken, here, 0);
    }

    private <T> CompletableFuture<T> attempt(Forward<T> command, String leaseToken,
                                             Supplier<CompletableFuture<T>> here, int tries) {
        String id = command.jobId();
        if (owners.isEmpty() || held.test(id)) {
            return runHere(command, leaseToken, here, tries);
        }
        Placement known = placements.cached(id);
        if (known != null) {
            // the hot path of a forwarding node: no hop to a read thread for what memory has
            return routed(known.rootId(), command, leaseToken, here, tries);
        }
        return CompletableFuture.supplyAsync(() -> placements.of(id), reads).thenCompose(placement ->
                routed(placement.map(Placement::rootId).orElse(null), command, leaseToken, here, tries));
    }

    private <T> CompletableFuture<T> routed(String root, Forward<T> command, String leaseToken,
                                            Supplier<CompletableFuture<T>> here, int tries) {
        String owner = root == null ? null : owners.get(root);
        return owner == null ? runHere(command, leaseToken, here, tries)
                : send(owner, root, command, leaseToken, here, tries);
    }

    private <T> CompletableFuture<T> runHere(Forward<T> command, String leaseToken,
                                             Supplier<CompletableFuture<T>> here, int tries) {
        CompletableFuture<T> answer;
        try {
            answer = here.get();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.exceptionallyCompose(e -> {
            if (!(cause(e) instanceof Moved moved) || tries + 1 >= ATTEMPTS) {
                return CompletableFuture.failedFuture(cause(e));
            }
            if (moved.address() == null) {
                // fenced: another node took the tree; claiming it again finds which
                return attempt(command, leaseToken, here, tries + 1);
            }
            if (moved.placement() != null) {
                placements.remember(moved.placement());
            }
            owners.put(moved.root(), moved.address());
            return send(moved.address(), moved.root(), command, leaseToken, here, tries + 1);
        });
    }

    private <T> CompletableFuture<T> send(String owner, String root, Forward<T> command, String leaseToken,
                                          Supplier<CompletableFuture<T>> here, int tries) {
        forwarded.increment();
        return forward(owner, command, leaseToken).exceptionallyCompose(e -> {
            Throwable cause = cause(e);
            if (!(cause instanceof Moved || cause instanceof Peers.Unreachable)) {
                return CompletableFuture.failedFuture(cause);
            }
            // not applied there: the tree moved on, or its owner is gone and its lock probably free to claim
            owners.remove(root, owner);
            rerouted.increment();
            if (tries + 1 >= ATTEMPTS) {
                return CompletableFuture.failedFuture(new HeraldException(ErrorCode.UNAVAILABLE,
                        "the node that owns the job's tree could not be reached; try again"));
            }
            return attempt(command, leaseToken, here, tries + 1);
        });
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> forward(String owner, Forward<T> command, String leaseToken) {
        // the hot path's forwards: coalesced per owner, each still answered (and routed again) on its own
        return command instanceof Forward.Progress p ? (CompletableFuture<T>) progress.send(owner, p, leaseToken)
                : peers.forward(owner, command, leaseToken);
    }

    /** Commands sent to another node. */
    public long forwarded() {
        return forwarded.sum();
    }

    /** Forwarded commands the other node did not take (it no longer owned the tree, or could not be reached). */
    public long rerouted() {
        return rerouted.sum();
    }

    /** The failure a future's completion wraps. */
    static Throwable cause(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}
