package dev.herald.core.cluster;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

/**
 * A command refused by this node because another node owns the job's tree (docs/cluster.md §2.5): it was applied
 * nowhere, so the {@link Router} sends it on to the owner. Without a router it is a 503 {@code unavailable}.
 */
public final class Moved extends HeraldException {
    private final String root;
    private final String address;
    private final Placement placement;

    private Moved(String message, String root, String address, Placement placement) {
        super(ErrorCode.UNAVAILABLE, message);
        this.root = root;
        this.address = address;
        this.placement = placement;
    }

    /** The job's tree is held by the live node reachable at {@code address}. */
    public static Moved ownedBy(Placement job, String address) {
        return new Moved("the job's tree is owned by another node (" + address + "); try again", job.rootId(),
                address, job);
    }

    /** The tree was taken by another node (a fenced write); which one is not known here. */
    public static Moved fenced() {
        return new Moved("the job's tree moved to another node; try again", null, null, null);
    }

    /** The root of the tree, null when not known. */
    public String root() {
        return root;
    }

    /** Where the owner is reached, null when not known. */
    public String address() {
        return address;
    }

    /** Where the refused command's job sits, null when not known. */
    public Placement placement() {
        return placement;
    }
}
