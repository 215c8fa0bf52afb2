package dev.herald.server.edge.body;

/** A step of reading an object: a {@link Field}, or a {@link Check} of the fields read before it. */
public sealed interface Part permits Field, Check {
}
