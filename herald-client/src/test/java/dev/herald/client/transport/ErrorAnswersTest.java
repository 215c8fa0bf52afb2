package dev.herald.client.transport;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.JobStatus;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Error answers of API.md §6, and the ones a proxy gives, as exceptions. */
class ErrorAnswersTest {
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void theBodysCodeMessageFieldAndStatusAreKept() {
        HeraldException e = ErrorAnswers.of(409, "{\"error\":{\"code\":\"job_finished\",\"message\":\"the job is "
                + "cancelled\",\"status\":\"cancelled\"}}", null, NOW);
        assertThat(e).isNotInstanceOf(RetryableException.class);
        assertThat(e.code()).isEqualTo(ErrorCode.JOB_FINISHED);
        assertThat(e.getMessage()).isEqualTo("the job is cancelled");
        assertThat(e.status()).isEqualTo(JobStatus.CANCELLED);

        HeraldException invalid = ErrorAnswers.of(400, "{\"error\":{\"code\":\"invalid_progress\",\"message\":\"m\","
                + "\"field\":\"current\"}}", null, NOW);
        assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_PROGRESS);
        assertThat(invalid.field()).isEqualTo("current");
    }

    @Test
    void rateLimitsAndUnavailabilityMayPassWithTheirRetryAfter() {
        HeraldException limited = ErrorAnswers.of(429, "{\"error\":{\"code\":\"rate_limited\",\"message\":\"m\"}}",
                "3", NOW);
        assertThat(limited).isInstanceOf(RetryableException.class);
        assertThat(limited.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(((RetryableException) limited).retryAfter()).contains(Duration.ofSeconds(3));

        HeraldException unavailable = ErrorAnswers.of(503, "", "Sun, 06 Dec 2026 10:00:07 GMT", NOW);
        assertThat(unavailable.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(((RetryableException) unavailable).retryAfter()).contains(Duration.ofSeconds(7));
    }

    @Test
    void aProxysAnswerWithoutABodyGetsTheCodeOfItsStatus() {
        assertThat(ErrorAnswers.of(502, "<html>Bad Gateway</html>", null, NOW))
                .isInstanceOf(RetryableException.class).extracting(HeraldException::code)
                .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(ErrorAnswers.of(408, null, null, NOW)).isInstanceOf(RetryableException.class);
        assertThat(ErrorAnswers.of(404, null, null, NOW).code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(ErrorAnswers.of(403, "Forbidden", null, NOW).code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(ErrorAnswers.of(404, null, null, NOW).getMessage()).isEqualTo("the server answered HTTP 404");
    }

    @Test
    void otherClientErrorsAreNotRetried() {
        for (int status : new int[]{400, 401, 404, 409, 413, 415}) {
            assertThat(ErrorAnswers.of(status, "", null, NOW)).as("HTTP %d", status)
                    .isNotInstanceOf(RetryableException.class);
        }
    }

    @Test
    void anUnreadableRetryAfterLeavesTheClientsOwnBackoff() {
        assertThat(ErrorAnswers.retryAfter("soon", NOW)).isNull();
        assertThat(ErrorAnswers.retryAfter(null, NOW)).isNull();
        assertThat(ErrorAnswers.retryAfter("Sun, 06 Dec 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }
}
