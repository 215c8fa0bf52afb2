package dev.herald.client.transport;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;

import java.time.Duration;
import java.util.Optional;

/**
 * A call that may pass when made again later: the server could not be reached or did not answer in time, or it
 * answered 408, 429 ({@code rate_limited}) or 5xx ({@code unavailable}). The request may or may not have been
 * applied. When the client gives up, this is the exception its caller sees.
 */
public class RetryableException extends HeraldException {
    private final Duration retryAfter;

    /** @param retryAfter the server's {@code Retry-After}, or null */
    public RetryableException(ErrorCode code, String message, Duration retryAfter) {
        super(code, message);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked to wait ({@code Retry-After}), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
