package dev.herald.core.cluster;

import dev.herald.core.command.ProgressReport;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Forwarded progress coalesced per owner (docs/cluster.md §2.5): peers whose answers the test gives when it likes. */
class ProgressBatchesTest {
    private static final String A = "10.0.0.2:9090";
    private static final String B = "10.0.0.3:9090";

    /** A request sent and not yet answered: one update alone, or a batch. */
    private record Sent(String address, List<Peers.Update> updates, CompletableFuture<List<Peers.Outcome>> answer) {
        List<String> jobs() {
            return updates.stream().map(u -> u.command().jobId()).toList();
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final ProgressBatches batches = new ProgressBatches(new Peers() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<T> forward(String address, Forward<T> command, String leaseToken) {
            Sent one = new Sent(address, List.of(new Update((Forward.Progress) command, leaseToken)),
                    new CompletableFuture<>());
            sent.add(one);
            return (CompletableFuture<T>) one.answer().thenApply(outcomes -> {
                if (outcomes.get(0).refusal() != null) {
                    throw new CompletionException(outcomes.get(0).refusal());
                }
                return outcomes.get(0).version();
            });
        }

        @Override
        public CompletableFuture<List<Outcome>> progress(String address, List<Update> updates) {
            Sent batch = new Sent(address, updates, new CompletableFuture<>());
            sent.add(batch);
            return batch.answer();
        }
    });

    private CompletableFuture<Long> send(String address, String job) {
        return batches.send(address, new Forward.Progress(job, ProgressReport.of(1, 2)), "lease-" + job);
    }

    private static List<Peers.Outcome> versions(long... versions) {
        return Arrays.stream(versions).mapToObj(Peers.Outcome::applied).toList();
    }

    @Test
    void anUpdateGoesAtOnceAloneAndThoseSentWhileItIsInFlightGoTogetherInOrderWhenItAnswers() {
        CompletableFuture<Long> first = send(A, "j1");
        assertThat(sent).hasSize(1);
        List<CompletableFuture<Long>> later = List.of(send(A, "j2"), send(A, "j1"), send(A, "j3"));
        assertThat(sent).as("no second request while the first is in flight").hasSize(1);

        sent.get(0).answer().complete(versions(5));
        assertThat(first).isCompletedWithValue(5L);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).jobs()).as("one request, in the order sent").containsExactly("j2", "j1", "j3");
        assertThat(sent.get(1).updates().get(0).leaseToken()).isEqualTo("lease-j2");
        assertThat(later).allMatch(f -> !f.isDone());

        sent.get(1).answer().complete(versions(7, 6, 9));
        assertThat(later.stream().map(CompletableFuture::join)).containsExactly(7L, 6L, 9L);

        // idle again: the next goes at once
        send(A, "j4");
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).jobs()).containsExactly("j4");
    }

    @Test
    void eachUpdateOfABatchGetsItsOwnRefusal() {
        send(A, "j0");
        CompletableFuture<Long> moved = send(A, "j1");
        CompletableFuture<Long> finished = send(A, "j2");
        CompletableFuture<Long> applied = send(A, "j3");
        sent.get(0).answer().complete(versions(1));
        HeraldException jobFinished = new HeraldException(ErrorCode.JOB_FINISHED, "the job is completed", null,
                JobStatus.COMPLETED);
        sent.get(1).answer().complete(List.of(Peers.Outcome.refused(Moved.fenced()),
                Peers.Outcome.refused(jobFinished), Peers.Outcome.applied(4)));

        assertThatThrownBy(moved::join).hasCauseInstanceOf(Moved.class);
        assertThatThrownBy(finished::join).hasCause(jobFinished);
        assertThat(applied).isCompletedWithValue(4L);
    }

    @Test
    void aBatchThatFailsWholeFailsEachOfItsUpdatesSo() {
        send(A, "j0");
        CompletableFuture<Long> x = send(A, "j1");
        CompletableFuture<Long> y = send(A, "j2");
        sent.get(0).answer().complete(versions(1));
        Peers.Unreachable unreachable = new Peers.Unreachable(A, new RuntimeException("refused"));
        sent.get(1).answer().completeExceptionally(unreachable);

        assertThatThrownBy(x::join).hasCause(unreachable);
        assertThatThrownBy(y::join).hasCause(unreachable);
    }

    @Test
    void anAnswerWithTooFewOutcomesLeavesNoUpdateWaiting() {
        send(A, "j0");
        CompletableFuture<Long> x = send(A, "j1");
        CompletableFuture<Long> y = send(A, "j2");
        sent.get(0).answer().complete(versions(1));
        sent.get(1).answer().complete(versions(2));

        assertThatThrownBy(x::join).cause().isInstanceOf(HeraldException.class);
        assertThatThrownBy(y::join).cause().isInstanceOf(HeraldException.class);
    }

    @Test
    void eachOwnerHasItsOwnLine() {
        send(A, "j1");
        send(B, "k1");
        send(A, "j2");
        assertThat(sent).extracting(Sent::address).containsExactly(A, B);
        sent.get(1).answer().complete(versions(1));
        assertThat(sent).as("B's answer sends nothing of A's").hasSize(2);
        sent.get(0).answer().complete(versions(1));
        assertThat(sent.get(2).address()).isEqualTo(A);
        assertThat(sent.get(2).jobs()).containsExactly("j2");
    }

    @Test
    void aBatchHasAtMostTheCapTheRestGoNext() {
        send(A, "first");
        List<CompletableFuture<Long>> queued = IntStream.range(0, Peers.PROGRESS_BATCH + 10)
                .mapToObj(i -> send(A, "j" + i)).toList();
        sent.get(0).answer().complete(versions(1));
        assertThat(sent.get(1).updates()).hasSize(Peers.PROGRESS_BATCH);
        assertThat(sent.get(1).jobs().get(0)).isEqualTo("j0");

        sent.get(1).answer().complete(versions(IntStream.range(0, Peers.PROGRESS_BATCH).mapToLong(i -> i).toArray()));
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).jobs()).hasSize(10).first().isEqualTo("j" + Peers.PROGRESS_BATCH);
        sent.get(2).answer().complete(versions(IntStream.range(0, 10).mapToLong(i -> 1000 + i).toArray()));
        assertThat(queued).allMatch(CompletableFuture::isDone);
        assertThat(queued.get(Peers.PROGRESS_BATCH).join()).isEqualTo(1000L);
    }
}
