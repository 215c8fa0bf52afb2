package dev.herald.server.stream;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A reader's queue of undelivered events. An event that carries only state
 * (progress, children) replaces an undelivered one of the same job: the newer
 * state is all the reader needs, so a slow reader costs memory per job, not per
 * update. Status, log and every other event are kept; when more than
 * {@code maxKept} of those wait, the queue overflows and the reader is cut off
 * (it resumes from its cursor).
 */
public final class ConflatingQueue {
    private static final class Node {
        final EncodedEvent event;
        boolean dead;

        Node(EncodedEvent event) {
            this.event = event;
        }
    }

    private final int maxKept;
    private final ArrayDeque<Node> nodes = new ArrayDeque<>(4);
    private Map<String, Node> pendingState;
    private int kept;

    public ConflatingQueue(int maxKept) {
        this.maxKept = maxKept;
    }

    /** Adds the event; false when the queue overflowed (the reader must be disconnected). */
    public synchronized boolean offer(EncodedEvent e) {
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
        if (kept >= maxKept) {
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
            }
            return n.event;
        }
        return null;
    }
}
