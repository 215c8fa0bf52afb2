package dev.herald.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;

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

    /** The exception for an error answer: the server's {@code error.message} when it sent one. */
    static ApiException answered(int status, String body, String retryAfter) {
        String code = null;
        String message = null;
        if (body != null && !body.isBlank()) {
            try {
                JsonNode error = ApiClient.JSON.readTree(body).path("error");
                code = error.path("code").isTextual() ? error.path("code").asText() : null;
                message = error.path("message").isTextual() ? error.path("message").asText() : null;
                if (message != null && error.path("field").isTextual()) {
                    message += " (field " + error.path("field").asText() + ")";
                }
            } catch (JsonProcessingException ignored) {
                // not JSON: fall through to the status text
            }
        }
        if (message == null) {
            message = "the server answered HTTP " + status;
        }
        long retryMs = -1;
        if (retryAfter != null) {
            try {
                retryMs = Math.max(0, Long.parseLong(retryAfter.trim())) * 1000;
            } catch (NumberFormatException ignored) {
                retryMs = 1000;
            }
        }
        return new ApiException(status, code, message, retryMs);
    }

    /** No answer came from {@code baseUrl}. */
    static ApiException unreachable(String baseUrl, IOException e) {
        String why = e instanceof ConnectException ? "connection refused"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new ApiException(UNREACHABLE, "unreachable", "cannot reach " + baseUrl + ": " + why, -1);
    }

    /** The thread was interrupted while waiting for an answer. */
    static ApiException interrupted() {
        return new ApiException(UNREACHABLE, "interrupted", "interrupted", -1);
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
