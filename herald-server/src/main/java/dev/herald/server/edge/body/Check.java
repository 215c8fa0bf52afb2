package dev.herald.server.edge.body;

import java.util.function.Consumer;

/**
 * A rule between fields of one object, run where it stands among them, so a body with several faults is refused
 * for the first in reading order. It throws to refuse.
 */
public record Check(Consumer<Values> rule) implements Part {
}
