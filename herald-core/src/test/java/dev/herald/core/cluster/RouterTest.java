package dev.herald.core.cluster;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where the router runs a command (docs/cluster.md §2.5), with the node's own answers and its peers' scripted. */
class RouterTest {
    private static final Placement JOB = new Placement("j1", "root", "acme", List.of("root"));
    private static final Forward.Progress PROGRESS = new Forward.Progress("j1", ProgressReport.of(1, 2));

    /** Answers of this node, in turn: a version, or a refusal. */
    private final Deque<Object> here = new ArrayDeque<>();
    /** Answers of the peers, in turn. */
    private final Deque<Object> peers = new ArrayDeque<>();
    private final List<String> sentTo = new ArrayList<>();
    private int ranHere;
    private final Router router = new Router(new Placements(id -> id.equals("j1") ? Optional.of(JOB)
            : Optional.empty(), 10), new Peers() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken) {
            sentTo.add(address);
            return (CompletableFuture<T>) answer(peers.removeFirst());
        }
    }, id -> false, Runnable::run);

    private long route() {
        Supplier<CompletableFuture<Long>> local = () -> {
            ranHere++;
            return answer(here.removeFirst());
        };
        return router.route(PROGRESS, null, local).join();
    }

    private static CompletableFuture<Long> answer(Object a) {
        return a instanceof RuntimeException e ? CompletableFuture.failedFuture(e)
                : CompletableFuture.completedFuture((Long) a);
    }

    @Test
    void aCommandOnATreeOfThisNodeRunsHere() {
        here.add(7L);
        assertThat(route()).isEqualTo(7L);
        assertThat(sentTo).isEmpty();
    }

    @Test
    void aCommandOnATreeAnotherNodeOwnsRunsThereAndTheNextGoesStraightThere() {
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        peers.add(8L);
        peers.add(9L);
        assertThat(route()).isEqualTo(8L);
        assertThat(route()).isEqualTo(9L);
        assertThat(sentTo).containsExactly("10.0.0.2:9090", "10.0.0.2:9090");
        assertThat(ranHere).as("the second went straight to the owner").isEqualTo(1);
        assertThat(router.forwarded()).isEqualTo(2);
    }

    @Test
    void anOwnerThatNoLongerOwnsTheTreeSendsTheCommandBackToBeRoutedAgain() {
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        peers.add(Moved.fenced());
        here.add(Moved.ownedBy(JOB, "10.0.0.3:9090"));
        peers.add(10L);
        assertThat(route()).isEqualTo(10L);
        assertThat(sentTo).containsExactly("10.0.0.2:9090", "10.0.0.3:9090");
        assertThat(router.rerouted()).isEqualTo(1);
    }

    @Test
    void anOwnerThatCannotBeReachedIsForgottenAndTheTreeClaimedHere() {
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        peers.add(new Peers.Unreachable("10.0.0.2:9090", null));
        here.add(11L);
        assertThat(route()).isEqualTo(11L);
        here.add(12L);
        assertThat(route()).as("the owner forgotten: tried here first").isEqualTo(12L);
        assertThat(sentTo).containsExactly("10.0.0.2:9090");
    }

    @Test
    void aFencedWriteRunsAgainWhereTheTreeIsNow() {
        here.add(Moved.fenced());
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        peers.add(13L);
        assertThat(route()).isEqualTo(13L);
    }

    @Test
    void theOwnersRefusalIsTheAnswer() {
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        peers.add(new HeraldException(ErrorCode.JOB_FINISHED, "done"));
        assertThatThrownBy(this::route).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(HeraldException.class).cause().hasMessage("done");
        assertThat(sentTo).hasSize(1);
    }

    @Test
    void aTreeThatKeepsMovingIsRefusedAfterAFewTries() {
        for (int i = 0; i < Router.ATTEMPTS; i++) {
            here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
            peers.add(Moved.fenced());
        }
        assertThatThrownBy(this::route).cause().isInstanceOf(HeraldException.class)
                .satisfies(e -> assertThat(((HeraldException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThat(ranHere + sentTo.size()).isLessThanOrEqualTo(2 * Router.ATTEMPTS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void progressSentWhileAForwardIsInFlightGoesAsOneRequestAndAnUpdateItMovedIsRoutedAgainAlone() {
        Placement other = new Placement("j2", "root", "acme", List.of("root"));
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        List<List<String>> batches = new ArrayList<>();
        Router held = new Router(new Placements(id -> Optional.of(id.equals("j1") ? JOB : other), 10), new Peers() {
            @Override
            public <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken) {
                sentTo.add(address);
                CompletableFuture<T> answer = new CompletableFuture<>();
                inFlight.add(answer);
                return answer;
            }

            @Override
            public CompletableFuture<List<Outcome>> progress(String address, List<Update> updates) {
                batches.add(updates.stream().map(u -> u.command().jobId()).toList());
                CompletableFuture<List<Outcome>> answer = new CompletableFuture<>();
                inFlight.add(answer);
                return answer;
            }
        }, id -> false, Runnable::run);
        here.add(Moved.ownedBy(JOB, "10.0.0.2:9090"));
        Supplier<CompletableFuture<Long>> local = () -> answer(here.removeFirst());

        CompletableFuture<Long> first = held.route(PROGRESS, null, local);
        CompletableFuture<Long> moved = held.route(PROGRESS, null, local);
        CompletableFuture<Long> applied = held.route(new Forward.Progress("j2", ProgressReport.of(2, 2)), null, local);
        assertThat(sentTo).as("one request in flight").hasSize(1);
        assertThat(batches).isEmpty();

        ((CompletableFuture<Long>) inFlight.get(0)).complete(1L);
        assertThat(first).isCompletedWithValue(1L);
        assertThat(batches).containsExactly(List.of("j1", "j2"));

        here.add(4L);
        CompletableFuture<List<Peers.Outcome>> batch = (CompletableFuture<List<Peers.Outcome>>) inFlight.get(1);
        batch.complete(List.of(Peers.Outcome.refused(Moved.fenced()), Peers.Outcome.applied(3)));
        assertThat(applied).isCompletedWithValue(3L);
        assertThat(moved).as("routed again: the owner forgotten, the tree claimed here").isCompletedWithValue(4L);
        assertThat(held.forwarded()).isEqualTo(3);
        assertThat(held.rerouted()).isEqualTo(1);
    }
}
