package dev.herald.server.cli;

/**
 * A request the server refused (or could not be sent at all). {@link #getMessage()}
 * is the server's own message from {@code {"error":{"code","message"}}} when there
 * is one, and is meant to be shown to the user as is.
 */
final class ApiException extends RuntimeException {
    /** {@link #status()} when no answer came at all (server unreachable, connection dropped). */
    static final int UNREACHABLE = 0;

    private final int status;
    private final String code;
    private final long retryAfterMs;

    ApiException(int status, String code, String message, long retryAfterMs) {
        super(message);
        this.status = status;
        this.code = code;
        this.retryAfterMs = retryAfterMs;
    }

    /** The HTTP status, or {@link #UNREACHABLE}. */
    int status() {
        return status;
    }

    /** The server's error code ({@code not_found}, {@code job_finished}, ...), or null. */
    String code() {
        return code;
    }

    /** From a {@code Retry-After} header (429, 503), else -1. */
    long retryAfterMs() {
        return retryAfterMs;
    }

    boolean isRetryable() {
        return status == 429 || status == 503;
    }

    /** The exit code of a command that ends because of this error (see {@link ExitCodes}). */
    int exitCode() {
        return status == 401 || status == 403 || status == 404 ? ExitCodes.NOT_FOUND_OR_REFUSED : ExitCodes.SERVER_ERROR;
    }
}
