package dev.herald.client;

/**
 * What a {@link Runner} does with a claimed job of one type (SDK.md §7): its result (any JSON-able object, or
 * null) completes the job; an exception fails the attempt, and the job is tried again after the runner's backoff
 * while attempts remain, else it fails with the exception's message.
 */
@FunctionalInterface
public interface Handler {
    Object handle(JobContext ctx) throws Exception;
}
