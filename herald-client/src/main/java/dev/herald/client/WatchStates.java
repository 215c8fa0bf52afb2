package dev.herald.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Where a watch stands, and who follows it: each follower hears the state it joined in, then every change, on the
 * watch's delivery queue, so changes and events reach the listeners in the order they happened.
 */
final class WatchStates {
    private final Executor delivery;
    private final List<Consumer<Watch.State>> followers = new CopyOnWriteArrayList<>();
    private volatile Watch.State state = Watch.State.CONNECTING;

    WatchStates(Executor delivery) {
        this.delivery = delivery;
    }

    Watch.State get() {
        return state;
    }

    boolean closed() {
        return state == Watch.State.CLOSED;
    }

    synchronized void set(Watch.State s) {
        state = s;
        List<Consumer<Watch.State>> told = List.copyOf(followers);
        delivery.execute(() -> told.forEach(f -> tell(f, s)));
    }

    synchronized void follow(Consumer<Watch.State> follower) {
        followers.add(follower);
        Watch.State now = state;
        delivery.execute(() -> tell(follower, now));
    }

    private static void tell(Consumer<Watch.State> follower, Watch.State s) {
        try {
            follower.accept(s);
        } catch (RuntimeException e) {
            JobChannel.LOG.log(System.Logger.Level.WARNING, "a watch's state listener failed", e);
        }
    }
}
