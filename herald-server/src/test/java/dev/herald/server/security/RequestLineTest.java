package dev.herald.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.server.support.RawHttp;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request line the server cannot take (an HTTP version other than 1.0 and 1.1, or no line at all) is bad input:
 * a 4xx with the error body of API §6, never a 5xx or an empty answer. Over a raw socket, as no HTTP client sends these.
 */
class RequestLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "GET /api/v1/jobs HTTP/2.0|400|invalid_field",
            "GET /api/v1/jobs HTTP/9.9|400|invalid_field",
            "GET /api/v1/jobs HTTP/0.9|400|invalid_field",
            "GET /api/v1/jobs HTTPS/1.1|400|invalid_field",
            "GET /api/v1/jobs FOO|400|invalid_field",
            "GET /api/v1/jobs|400|invalid_field",
            "GET /api/v1/jobs HTTP/1.1 extra|400|invalid_field",
    })
    void anUnreadableRequestLineIsA400WithTheErrorBody(String line, int status, String code) throws IOException {
        refused(line + "\r\nHost: 127.0.0.1\r\n", status, code);
    }

    @Test
    void aRequestLineOrHeadersTooLongAreTooLargeWithTheErrorBody() throws IOException {
        refused("GET /api/v1/jobs?q=" + "x".repeat(70_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", 413, "too_large");
        refused("GET /api/v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "x".repeat(20_000) + "\r\n",
                413, "too_large");
    }

    /** Sends a head (whose last header line is given) with the token; the answer must be the error of API §6. */
    private static void refused(String head, int status, String code) throws IOException {
        String answer;
        try (Socket s = new Socket("127.0.0.1", server.server().port())) {
            s.setSoTimeout(30_000);
            answer = RawHttp.exchange(s, head + "Authorization: Bearer " + TestServer.TOKEN + "\r\n\r\n");
        }
        assertThat(answer).as("the status line is one the client can read").matches("(?s)HTTP/1\\.[01] .*");
        assertThat(RawHttp.status(answer)).as(answer).isEqualTo(status);
        assertThat(answer).containsIgnoringCase("Content-Type: application/json");
        JsonNode error = JSON.readTree(RawHttp.body(answer)).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotBlank();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {"HTTP/1.0", "HTTP/1.1"})
    void theVersionsSpokenAreServed(String version) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.server().port())) {
            s.setSoTimeout(30_000);
            String answer = RawHttp.exchange(s, "GET /api/v1/jobs " + version + "\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestServer.TOKEN + "\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(answer)).as(answer).isEqualTo(200);
        }
    }
}
