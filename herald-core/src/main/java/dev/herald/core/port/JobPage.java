package dev.herald.core.port;

import dev.herald.core.model.Job;

import java.util.List;

/** One page of a listing; {@code next} is null on the last page. */
public record JobPage(List<Job> items, ListCursor next) {
}
