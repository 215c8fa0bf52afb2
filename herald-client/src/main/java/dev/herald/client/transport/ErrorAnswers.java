package dev.herald.client.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;
import dev.herald.json.JobJson;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Error answers as exceptions: the body {@code {"error":{"code","message","field"?,"status"?}}} of API.md §6 when
 * there is one; otherwise (a proxy's page, an empty body) the code that belongs to the HTTP status. 408, 429 and
 * 5xx are {@link RetryableException}s carrying the {@code Retry-After} the server sent.
 */
final class ErrorAnswers {
    private ErrorAnswers() {
    }

    static HeraldException of(int httpStatus, String body, String retryAfterHeader, Instant now) {
        JsonNode error = errorObject(body);
        if (isRetryable(httpStatus)) {
            return new RetryableException(code(error, httpStatus), message(error, httpStatus),
                    retryAfter(retryAfterHeader, now));
        }
        return fromErrorObject(error, httpStatus);
    }

    static boolean isRetryable(int httpStatus) {
        return httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    }

    /** The refusal an error object ({@code {"code","message","field"?,"status"?}}) describes. */
    static HeraldException fromErrorObject(JsonNode error, int httpStatus) {
        String field = error.path("field").isTextual() ? error.get("field").asText() : null;
        JobStatus status = JobStatus.fromWire(error.path("status").asText("")).orElse(null);
        return new HeraldException(code(error, httpStatus), message(error, httpStatus), field, status);
    }

    /**
     * {@code Retry-After} as seconds or as an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable, so
     * the caller's own backoff applies.
     */
    static Duration retryAfter(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        if (value.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(value));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String message(JsonNode error, int httpStatus) {
        return error.path("message").isTextual() ? error.get("message").asText()
                : "the server answered HTTP " + httpStatus;
    }

    private static ErrorCode code(JsonNode error, int httpStatus) {
        String wire = error.path("code").asText(null);
        for (ErrorCode c : ErrorCode.values()) {
            if (c.wire().equals(wire)) {
                return c;
            }
        }
        if (httpStatus == 403) {
            return ErrorCode.UNAUTHORIZED;
        }
        for (ErrorCode c : ErrorCode.values()) {
            if (c.httpStatus() == httpStatus) {
                return c;
            }
        }
        return httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 ? ErrorCode.INVALID_FIELD
                : ErrorCode.UNAVAILABLE;
    }

    private static JsonNode errorObject(String body) {
        if (body == null || body.isBlank()) {
            return JobJson.mapper().missingNode();
        }
        try {
            return JobJson.mapper().readTree(body).path("error");
        } catch (IOException e) {
            return JobJson.mapper().missingNode();
        }
    }
}
