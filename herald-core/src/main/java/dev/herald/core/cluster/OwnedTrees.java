package dev.herald.core.cluster;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The trees this node owns and has jobs of in memory (docs/cluster.md §2.4): claimed on first touch,
 * released when their last job leaves memory, dropped when the store says another node has them. A
 * tree leaves this map before its row is released, under the same lock a claim takes, so a claim never
 * finds a tree whose row is going.
 */
public final class OwnedTrees {
    private static final System.Logger LOG = System.getLogger(OwnedTrees.class.getName());

    private final NodeLease lease;
    private final Ownership ownership;
    private final Map<String, OwnedTree> trees = new HashMap<>();
    private final LongAdder cleanTakeovers = new LongAdder();
    private final LongAdder uncleanTakeovers = new LongAdder();
    private final LongAdder fenced = new LongAdder();
    private volatile Consumer<String> onTakeover = root -> { };

    public OwnedTrees(NodeLease lease, Ownership ownership) {
        this.lease = lease;
        this.ownership = ownership;
    }

    /**
     * Told the root of every tree this node takes from a node that did not let it go, on the claiming thread, once
     * the tree is held here: its parents' summaries are to be counted again (docs/cluster.md §5).
     */
    public void onTakeover(Consumer<String> action) {
        onTakeover = action;
    }

    /** Whether this node may act as an owner now: one volatile read. */
    public boolean mayAct() {
        return lease.isValid();
    }

    /** A root this node is creating: its tree is this node's from the creation's commit on. Counts the root. */
    public synchronized OwnedTree created(String root) {
        OwnedTree tree = new OwnedTree(root, false, false);
        tree.jobs = 1;
        trees.put(root, tree);
        return tree;
    }

    /** Another job of a tree held here came into memory (a child created under its parent). */
    public synchronized void joined(OwnedTree tree) {
        tree.jobs++;
    }

    /**
     * The tree of the job being loaded, counting one more job of it in memory: the one held here, else claimed in the
     * store. Blocks (a store statement).
     *
     * @throws HeraldException {@code unavailable} when the lease is not valid; {@link Moved} when another node owns the tree
     */
    public OwnedTree claim(Placement job) {
        String root = job.rootId();
        synchronized (this) {
            OwnedTree held = trees.get(root);
            if (held != null) {
                held.jobs++;
                return held;
            }
        }
        if (!mayAct()) {
            throw lapsed();
        }
        Ownership.Claim claim = ownership.claim(root);
        if (!claim.mine()) {
            throw Moved.ownedBy(job, claim.address());
        }
        OwnedTree tree;
        synchronized (this) {
            OwnedTree raced = trees.get(root);
            if (raced != null) {
                raced.jobs++;
                return raced;
            }
            tree = new OwnedTree(root, claim.takenOver(), true);
            tree.jobs = 1;
            trees.put(root, tree);
            (claim.takenOver() ? uncleanTakeovers : cleanTakeovers).increment();
        }
        if (claim.takenOver()) {
            onTakeover.accept(root);
        }
        return tree;
    }

    /**
     * A job of the tree left memory; with {@code release}, the tree's row is deleted when it was the last,
     * so the next claim (here or elsewhere) is clean. Blocks when it releases.
     */
    public synchronized void left(OwnedTree tree, boolean release) {
        if (--tree.jobs > 0 || tree.isGone()) {
            return;
        }
        tree.let();
        trees.remove(tree.root(), tree);
        if (release && !tree.claims()) {
            try {
                ownership.release(tree.root());
            } catch (RuntimeException e) {
                // the row stays this node's: claimed again here as its own, taken over elsewhere once this node is gone
                LOG.log(System.Logger.Level.WARNING, "tree " + tree.root() + " could not be released", e);
            }
        }
    }

    /**
     * Lets every tree of this node go, its row deleted, so that the next claim of each is clean: at a stop that wrote
     * everything. Rows left by a release that failed go too. Blocks.
     */
    public synchronized void releaseAll() {
        trees.values().forEach(OwnedTree::let);
        trees.clear();
        for (String root : ownership.owned()) {
            try {
                ownership.release(root);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "tree " + root + " could not be released", e);
            }
        }
    }

    /** The store gave the tree to another node: it is no longer this node's, whatever its jobs in memory. */
    public synchronized void fencedOut(String root) {
        OwnedTree tree = trees.remove(root);
        if (tree != null) {
            tree.let();
            fenced.increment();
        }
    }

    /** The roots held here that the store no longer lists as this node's (after the lease was regained). Blocks. */
    public List<String> notOwned() {
        Set<String> owned = ownership.owned();
        synchronized (this) {
            return trees.values().stream().filter(t -> !t.claims() && !owned.contains(t.root()))
                    .map(OwnedTree::root).toList();
        }
    }

    /** @param duties the duties whose locks this node holds */
    public synchronized ClusterStats stats(Set<String> duties) {
        return new ClusterStats(trees.size(), cleanTakeovers.sum(), uncleanTakeovers.sum(), fenced.sum(),
                lease.isValid(), duties);
    }

    public static HeraldException lapsed() {
        return new HeraldException(ErrorCode.UNAVAILABLE, "this node's lease on the cluster lapsed; try again");
    }
}
