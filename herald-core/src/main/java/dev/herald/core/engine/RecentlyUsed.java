package dev.herald.core.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** Up to {@code capacity} values by id, the least recently used one dropped for a new one; safe across threads. */
final class RecentlyUsed<V> {
    private final Map<String, V> values;

    RecentlyUsed(int capacity) {
        this.values = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized V get(String id) {
        return values.get(id);
    }

    synchronized void put(String id, V value) {
        values.put(id, value);
    }
}
