package dev.herald.client;

import java.util.ArrayDeque;

/**
 * The bound on log lines waiting to be sent, over all the jobs of one client. Past it, the oldest waiting debug or
 * info line is dropped (and counted on its job's reporter); when only warn and error lines wait, the new line is.
 */
final class LineBudget {
    private final int max;
    /** Waiting debug/info lines, oldest first; lines sent since are skipped when met. */
    private final ArrayDeque<QueuedWrite.Line> droppable = new ArrayDeque<>();
    private int waiting;

    LineBudget(int max) {
        this.max = max;
    }

    /** Counts a line that starts waiting; the line dropped to make room for it, or null. */
    synchronized QueuedWrite.Line admit(QueuedWrite.Line line) {
        waiting++;
        if (line.isDroppable()) {
            droppable.add(line);
        }
        if (waiting <= max) {
            compact();
            return null;
        }
        QueuedWrite.Line oldest;
        while ((oldest = droppable.poll()) != null) {
            if (oldest.drop()) {
                waiting--;
                return oldest;
            }
        }
        line.drop();
        waiting--;
        return line;
    }

    /** A line that was sent, refused or abandoned no longer waits. */
    synchronized void release() {
        waiting--;
    }

    synchronized int waiting() {
        return waiting;
    }

    /** Lines sent long ago would otherwise pile up behind one that waits. */
    private void compact() {
        if (droppable.size() > 2 * max) {
            droppable.removeIf(QueuedWrite::isDone);
        }
    }
}
