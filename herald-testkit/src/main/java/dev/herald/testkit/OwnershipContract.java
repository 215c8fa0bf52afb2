package dev.herald.testkit;

import dev.herald.core.cluster.NodeLease;
import dev.herald.core.cluster.Ownership;
import dev.herald.core.cluster.Ownership.Claim;
import dev.herald.core.cluster.Placement;
import dev.herald.core.cluster.Placements;
import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.WriteBatch;
import dev.herald.core.port.WriteConflict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.herald.testkit.JobStoreFixture.ACME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tree ownership on a store that several nodes share (docs/cluster.md §2.3–§2.6): claims on first
 * touch, takeover only once the owner's lease is gone, release, the fence that refuses a commit
 * of a node that no longer owns its tree, new roots claimed in their creation's transaction, and
 * placements. Two nodes here are two stores, each with its own connections, on one database.
 */
public abstract class OwnershipContract {
    private final List<Node> nodes = new ArrayList<>();
    private Node a;
    private Node b;

    /** One node's view of the shared store. */
    protected interface Node extends AutoCloseable {
        JobStore store();

        NodeLease lease();

        Ownership ownership();

        Placements.Source placements();

        /** The address the node advertises to the others. */
        String address();

        @Override
        void close() throws Exception;
    }

    /** A node on a new, empty database; called once per test, first. */
    protected abstract Node newNode() throws Exception;

    /** Another node on the database of {@link #newNode}. */
    protected abstract Node anotherNode() throws Exception;

    /** Ends the node's lease behind its back, as a killed process or a database restart would. */
    protected abstract void killLease(Node node) throws Exception;

    /** Called after each test, once the nodes are closed. */
    protected void cleanUp() throws Exception {
    }

    @BeforeEach
    void openNodes() throws Exception {
        a = newNode();
        nodes.add(a);
        b = anotherNode();
        nodes.add(b);
    }

    @AfterEach
    void closeNodes() throws Exception {
        try {
            for (Node node : nodes) {
                node.close();
            }
        } finally {
            cleanUp();
        }
    }

    @Test
    void theFirstNodeToTouchATreeOwnsItAndTheOthersAreToldWhereItIs() {
        Claim first = a.ownership().claim("root-1");
        assertThat(first).isEqualTo(new Claim(a.lease().nodeId(), null, true, false));
        assertThat(b.ownership().claim("root-1")).isEqualTo(new Claim(a.lease().nodeId(), a.address(), false, false));
        assertThat(a.ownership().claim("root-1")).as("claiming one's own tree again").isEqualTo(first);
        assertThat(a.ownership().owned()).containsExactly("root-1");
        assertThat(b.ownership().owned()).isEmpty();
    }

    @Test
    void aTreeIsTakenOverOnlyOnceItsOwnersLeaseIsGone() throws Exception {
        a.ownership().claim("root-1");
        assertThat(b.ownership().claim("root-1").mine()).isFalse();
        killLease(a);
        assertThat(b.ownership().claim("root-1")).isEqualTo(new Claim(b.lease().nodeId(), null, true, true));
        assertThat(a.ownership().claim("root-1")).isEqualTo(new Claim(b.lease().nodeId(), b.address(), false, false));
        assertThat(b.ownership().claim("root-1").takenOver()).as("still taken over while B owns it").isTrue();
        assertThat(a.ownership().owned()).isEmpty();
    }

    @Test
    void aClosedLeaseLetsItsTreesGo() throws Exception {
        a.ownership().claim("root-1");
        a.lease().close();
        assertThat(a.lease().isValid()).isFalse();
        assertThat(b.ownership().claim("root-1")).isEqualTo(new Claim(b.lease().nodeId(), null, true, true));
    }

    @Test
    void aReleasedTreeIsClaimedCleanlyByTheNextNode() {
        a.ownership().claim("root-1");
        assertThat(b.ownership().release("root-1")).as("B does not own it").isFalse();
        assertThat(a.ownership().release("root-1")).isTrue();
        assertThat(b.ownership().claim("root-1")).isEqualTo(new Claim(b.lease().nodeId(), null, true, false));
    }

    @Test
    void theFenceRefusesTheCommitOfANodeThatLostItsTree() throws Exception {
        Job job = TestJobs.running(ACME).build();
        a.ownership().claim(job.id());
        a.store().write(new WriteBatch().fence(job.id()).job(job).event(JobEvent.status(job, null)));
        killLease(a);
        assertThat(b.ownership().claim(job.id()).takenOver()).isTrue();

        Job fromA = TestJobs.next(job).build();
        long head = a.store().lastPosition();
        assertThatThrownBy(() -> a.store().write(new WriteBatch().fence(job.id()).job(fromA)
                .event(JobEvent.status(fromA, null))))
                .isInstanceOfSatisfying(WriteConflict.class, c -> {
                    assertThat(c.fencedTrees()).containsExactly(job.id());
                    assertThat(c.staleJobs()).isEmpty();
                });
        assertThat(a.store().find(job.id())).contains(job);
        assertThat(a.store().lastPosition()).as("no position was taken").isEqualTo(head);

        Job fromB = TestJobs.next(job).version(job.version() + 1_000_000).build();
        b.store().write(new WriteBatch().fence(job.id()).job(fromB));
        assertThat(b.store().find(job.id())).contains(fromB);
    }

    @Test
    void aFenceOnATreeNobodyOwnsIsRefused() {
        Job job = TestJobs.running(ACME).build();
        assertThatThrownBy(() -> a.store().write(new WriteBatch().fence(job.id()).job(job)))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.fencedTrees()).containsExactly(job.id()));
        assertThat(a.store().find(job.id())).isEmpty();
    }

    @Test
    void aNewRootIsClaimedInItsCreationsTransaction() {
        Job root = TestJobs.pending(ACME).build();
        a.store().write(new WriteBatch().claim(root.id()).job(root).event(JobEvent.status(root, null)));
        assertThat(a.ownership().owned()).containsExactly(root.id());
        assertThat(b.ownership().claim(root.id()).owner()).isEqualTo(a.lease().nodeId());

        Job other = TestJobs.pending(ACME).id(root.id() + "-b").build();
        assertThatThrownBy(() -> b.store().write(new WriteBatch().claim(root.id()).job(other)))
                .isInstanceOfSatisfying(WriteConflict.class, c -> assertThat(c.fencedTrees()).containsExactly(root.id()));
        assertThat(b.store().find(other.id())).isEmpty();
    }

    @Test
    void writesThatNameNoTreeAreNotFenced() {
        Job job = TestJobs.running(ACME).build();
        b.store().write(new WriteBatch().job(job));
        assertThat(a.store().find(job.id())).contains(job);
    }

    @Test
    void aPlacementNamesTheRootAndTheAncestorsWhereverTheyWereWritten() {
        Job root = TestJobs.pending(ACME).build();
        Job child = TestJobs.pending(ACME).parentId(root.id()).build();
        a.store().write(new WriteBatch().job(root).job(child));
        // in id order, as the store writes a batch's rows: the new child before its new parent
        Job grandchild = TestJobs.pending(ACME).id("z" + TestJobs.newId()).parentId(child.id()).build();
        Job greatGrandchild = TestJobs.pending(ACME).id("a" + TestJobs.newId()).parentId(grandchild.id()).build();
        a.store().write(new WriteBatch().job(greatGrandchild).job(grandchild));

        assertThat(b.placements().read(greatGrandchild.id())).contains(new Placement(greatGrandchild.id(),
                root.id(), ACME, List.of(grandchild.id(), child.id(), root.id())));
        assertThat(b.placements().read(child.id())).contains(new Placement(child.id(), root.id(), ACME,
                List.of(root.id())));
        assertThat(b.placements().read(root.id())).contains(new Placement(root.id(), root.id(), ACME, List.of()));
        assertThat(b.placements().read("nope")).isEmpty();
    }

    @Test
    void theLiveOwnersOfJobsOfManyTreesAreReadAtOnceWithoutClaimingAny() throws Exception {
        Job onA = TestJobs.running(ACME).build();
        Job childOnA = TestJobs.running(ACME).parentId(onA.id()).build();
        a.store().write(new WriteBatch().claim(onA.id()).job(onA).job(childOnA));
        Job onB = TestJobs.running(ACME).build();
        b.store().write(new WriteBatch().claim(onB.id()).job(onB));
        Job nobodys = TestJobs.running(ACME).build();
        b.store().write(new WriteBatch().job(nobodys));

        Ownership.Owner a1 = new Ownership.Owner(onA.id(), a.address());
        assertThat(b.ownership().liveOwnersOf(List.of(onA.id(), childOnA.id(), onB.id(), nobodys.id(), "nope")))
                .as("B's own tree, a tree nobody owns and an unknown id are left out")
                .isEqualTo(Map.of(onA.id(), a1, childOnA.id(), a1));
        assertThat(b.ownership().liveOwnerOf(childOnA.id())).contains(a1);
        assertThat(b.ownership().owned()).containsExactly(onB.id());
        assertThat(b.ownership().liveOwnersOf(List.of())).isEmpty();

        killLease(a);
        assertThat(b.ownership().liveOwnersOf(List.of(onA.id(), childOnA.id()))).as("A is gone").isEmpty();
    }

    @Test
    void aLeaseIsValidWhileHeld() {
        assertThat(a.lease().isValid()).isTrue();
        assertThat(a.lease().nodeId()).isNotEqualTo(b.lease().nodeId());
    }
}
