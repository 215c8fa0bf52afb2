package dev.herald.server.stream;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream's queue of undelivered events. An event that carries only state
 * (progress, children) replaces an undelivered one of the same job: the newer
 * state is all the reader needs, so a slow reader costs memory per job, not per
 * update. Status, log and every other event are kept; they are counted against
 * the reader's {@link Budget}, shared by all the queues of one reader (the
 * streams of one WebSocket), and when it is spent the queue overflows and the
 * reader is cut off (it resumes from its cursor).
 */
public final class ConflatingQueue {

    /** How many kept events may wait for one reader, whatever the number of its queues. Thread-safe. */
    public static final class Budget {
        private final int max;
        private final AtomicInteger used = new AtomicInteger();

        public Budget(int max) {
            this.max = max;
        }

        private boolean take() {
            int n;
            do {
                n = used.get();
                if (n >= max) {
                    return false;
                }
            } while (!used.compareAndSet(n, n + 1));
            return true;
        }

        private void give(int n) {
            used.addAndGet(-n);
        }
    }

    private static final class Node {
        final EncodedEvent event;
        boolean dead;

        Node(EncodedEvent event) {
            this.event = event;
        }
    }

    private final Budget budget;
    private final ArrayDeque<Node> nodes = new ArrayDeque<>(4);
    private Map<String, Node> pendingState;
    private int kept;
    private boolean closed;

    public ConflatingQueue(Budget budget) {
        this.budget = budget;
    }

    /** Adds the event; false when the reader's budget is spent (it must be disconnected). Once closed, drops it. */
    public synchronized boolean offer(EncodedEvent e) {
        if (closed) {
            return true;
        }
        if (e.event().type().isConflatable()) {
            if (pendingState == null) {
                pendingState = new HashMap<>();
            }
            Node older = pendingState.get(e.event().jobId());
            if (older != null) {
                older.dead = true;
            }
            Node n = new Node(e);
            pendingState.put(e.event().jobId(), n);
            nodes.addLast(n);
            return true;
        }
        if (!budget.take()) {
            return false;
        }
        kept++;
        nodes.addLast(new Node(e));
        return true;
    }

    /** The oldest live event, or null when none waits. */
    public synchronized EncodedEvent poll() {
        Node n;
        while ((n = nodes.pollFirst()) != null) {
            if (n.dead) {
                continue;
            }
            if (n.event.event().type().isConflatable()) {
                pendingState.remove(n.event.event().jobId(), n);
            } else {
                kept--;
                budget.give(1);
            }
            return n.event;
        }
        return null;
    }

    /** Drops what waits and gives its share of the budget back; later offers are dropped too. */
    public synchronized void close() {
        closed = true;
        budget.give(kept);
        kept = 0;
        nodes.clear();
        pendingState = null;
    }
}
