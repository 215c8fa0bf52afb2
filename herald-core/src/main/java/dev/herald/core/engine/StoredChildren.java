package dev.herald.core.engine;

import dev.herald.core.model.Job;
import dev.herald.core.port.JobPage;
import dev.herald.core.port.JobQuery;
import dev.herald.core.port.JobStore;
import dev.herald.core.port.ListCursor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/** A parent's children as the store holds them, read a page at a time so a wide tree never sits in memory whole. Blocks. */
final class StoredChildren {
    private static final int PAGE = 500;

    private final JobStore store;

    StoredChildren(JobStore store) {
        this.store = store;
    }

    void forEach(String parentId, Consumer<Job> action) {
        ListCursor cursor = null;
        do {
            JobPage page = store.list(new JobQuery(null, null, null, parentId, null, PAGE, cursor));
            page.items().forEach(action);
            cursor = page.next();
        } while (cursor != null);
    }

    /** Every stored descendant's id, parents before their children. */
    Set<String> descendantIds(String rootId) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> parents = new ArrayDeque<>();
        parents.add(rootId);
        while (!parents.isEmpty()) {
            forEach(parents.poll(), child -> {
                if (found.add(child.id())) {
                    parents.add(child.id());
                }
            });
        }
        return found;
    }
}
