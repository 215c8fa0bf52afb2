package dev.herald.core.cluster;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forwarded progress updates, coalesced per owner (docs/cluster.md §2.5, §2.8): Nagle without a timer. While no
 * progress request to an owner is in flight an update goes at once, on its own; while one is, later updates to that
 * owner wait and go together, in the order they came, as one request when it answers. An owner's HTTP/2 handling of
 * a request costs far more than applying an update, so under load this divides that cost by the batch's size, and
 * adds no wait when idle.
 */
final class ProgressBatches {
    /** Updates of one request at most: an owner answers a batch once all of its updates are applied. */
    private static final int MAX = Peers.PROGRESS_BATCH;
    private final Peers peers;
    private final Map<String, Line> lines = new ConcurrentHashMap<>();

    ProgressBatches(Peers peers) {
        this.peers = peers;
    }

    /** The update's new version from the owner at {@code address}, or its refusal, as {@link Peers#forward}. */
    CompletableFuture<Long> send(String address, Forward.Progress command, String leaseToken) {
        Waiting update = new Waiting(new Peers.Update(command, leaseToken), new CompletableFuture<>());
        Line line = lines.computeIfAbsent(address, Line::new);
        if (line.goesNow(update)) {
            line.send(List.of(update));
        }
        return update.answer;
    }

    private record Waiting(Peers.Update update, CompletableFuture<Long> answer) { }

    /** The updates to one owner: at most one request in flight, the rest waiting for it. */
    private final class Line {
        private final String address;
        private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
        private boolean inFlight;

        Line(String address) {
            this.address = address;
        }

        /** Whether the update is to be sent now; else it waits for the request in flight. */
        synchronized boolean goesNow(Waiting update) {
            if (inFlight) {
                waiting.add(update);
                return false;
            }
            inFlight = true;
            return true;
        }

        /** The next batch, or none: then nothing is in flight any more. */
        synchronized List<Waiting> next() {
            List<Waiting> batch = new ArrayList<>(Math.min(waiting.size(), MAX));
            while (batch.size() < MAX && !waiting.isEmpty()) {
                batch.add(waiting.poll());
            }
            inFlight = !batch.isEmpty();
            return batch;
        }

        void send(List<Waiting> batch) {
            CompletableFuture<List<Peers.Outcome>> outcomes;
            try {
                // one alone goes as the single forward it always was
                outcomes = batch.size() == 1
                        ? peers.forward(address, batch.get(0).update().command(), batch.get(0).update().leaseToken())
                                .handle((version, failure) -> List.of(Peers.Outcome.of(version, failure)))
                        : peers.progress(address, batch.stream().map(Waiting::update).toList());
            } catch (RuntimeException e) {
                outcomes = CompletableFuture.failedFuture(e);
            }
            outcomes.whenComplete((answered, failure) -> {
                // the next batch leaves before these callers' continuations run, which may take a while
                List<Waiting> next = next();
                if (!next.isEmpty()) {
                    send(next);
                }
                answer(batch, answered, failure);
            });
        }
    }

    private static void answer(List<Waiting> batch, List<Peers.Outcome> outcomes, Throwable failure) {
        if (failure == null && (outcomes == null || outcomes.size() != batch.size())) {
            // no caller is left waiting for an answer that will not come
            failure = new HeraldException(ErrorCode.UNAVAILABLE, "the node that owns the job's tree did not answer "
                    + "every progress update; try again");
        }
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<Long> answer = batch.get(i).answer();
            Peers.Outcome outcome = failure == null ? outcomes.get(i) : Peers.Outcome.refused(Router.cause(failure));
            if (outcome.refusal() == null) {
                answer.complete(outcome.version());
            } else {
                answer.completeExceptionally(outcome.refusal());
            }
        }
    }
}
