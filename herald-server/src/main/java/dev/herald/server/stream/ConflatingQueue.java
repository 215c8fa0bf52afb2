package dev.herald.server.stream;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stream's queue of undelivered events. Every event waits its turn while the reader keeps up; only while
 * its connection cannot take more ({@link #conflate}), or once it owes too many, does an event that carries
 * only state (progress, children) replace the undelivered newest one of its job: the newer state is all a
 * slow reader needs, so it costs memory per job, not per update. Status, log and every other event are
 * kept; they are counted against the reader's {@link Budget}, shared by all the queues of one reader (the
 * streams of one WebSocket), and when it is spent the queue overflows and the reader is cut off (it
 * resumes from its cursor).
 */
public final class ConflatingQueue {

    /**
     * How many events may wait for one reader, whatever the number of its queues: kept events (past that
     * the reader is cut off) and, as many again, superseded states (past that they conflate). Thread-safe.
     */
    public static final class Budget {
        private final int max;
        private final AtomicInteger kept = new AtomicInteger();
        private final AtomicInteger states = new AtomicInteger();

        public Budget(int max) {
            this.max = max;
        }

        private boolean take(AtomicInteger used) {
            int n;
            do {
                n = used.get();
                if (n >= max) {
                    return false;
                }
            } while (!used.compareAndSet(n, n + 1));
            return true;
        }
    }

    private static final class Node {
        final EncodedEvent event;
        final boolean state;
        /** A state no longer its job's newest that holds a share of the budget's states. */
        boolean superseded;
        Node prev;
        Node next;

        Node(EncodedEvent event) {
            this.event = event;
            this.state = event.event().type().isConflatable();
        }
    }

    private final Budget budget;
    private Node head;
    private Node tail;
    /** The newest waiting state of each job. */
    private Map<String, Node> newestState;
    private int kept;
    private int superseded;
    private boolean conflating;
    private boolean closed;

    public ConflatingQueue(Budget budget) {
        this.budget = budget;
    }

    /** Adds the event; false when the reader's budget is spent (it must be disconnected). Once closed, drops it. */
    public synchronized boolean offer(EncodedEvent e) {
        if (closed) {
            return true;
        }
        Node n = new Node(e);
        if (n.state) {
            if (newestState == null) {
                newestState = new HashMap<>();
            }
            Node older = newestState.put(e.event().jobId(), n);
            if (older != null) {
                if (!conflating && budget.take(budget.states)) {
                    older.superseded = true;
                    superseded++;
                } else {
                    unlink(older);
                }
            }
        } else {
            if (!budget.take(budget.kept)) {
                return false;
            }
            kept++;
        }
        append(n);
        return true;
    }

    /** While on, a new state replaces the waiting one of its job: the reader's connection cannot take more. */
    public synchronized void conflate(boolean on) {
        conflating = on;
    }

    public synchronized boolean isEmpty() {
        return head == null;
    }

    /** The oldest waiting event, or null when none waits. */
    public synchronized EncodedEvent poll() {
        Node n = head;
        if (n == null) {
            return null;
        }
        unlink(n);
        if (!n.state) {
            kept--;
            budget.kept.decrementAndGet();
        } else if (n.superseded) {
            superseded--;
            budget.states.decrementAndGet();
        } else {
            newestState.remove(n.event.event().jobId(), n);
        }
        return n.event;
    }

    /** Drops what waits and gives its share of the budget back; later offers are dropped too. */
    public synchronized void close() {
        closed = true;
        budget.kept.addAndGet(-kept);
        budget.states.addAndGet(-superseded);
        kept = 0;
        superseded = 0;
        head = null;
        tail = null;
        newestState = null;
    }

    private void append(Node n) {
        n.prev = tail;
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
    }

    private void unlink(Node n) {
        if (n.prev == null) {
            head = n.next;
        } else {
            n.prev.next = n.next;
        }
        if (n.next == null) {
            tail = n.prev;
        } else {
            n.next.prev = n.prev;
        }
        n.prev = null;
        n.next = null;
    }
}
