package dev.herald.server.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SLF4J, {@link System.Logger} and java.util.logging all end in the one Logback setup, in its format and at its
 * level. Runs in this JVM with standard error captured, and puts the defaults back afterwards.
 */
class LogSetupTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "dev.herald.test.LogSetupTest";
    private final PrintStream stderr = System.err;

    @AfterEach
    void putBackTheDefaults() {
        System.setErr(stderr);
        LogSetup.apply(LogOptions.defaults());
    }

    /** Logs one line at each level through each facade under {@code apply(options)}; what reached standard error. */
    private List<String> logThroughEveryFacade(LogOptions options) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogSetup.apply(options);
        org.slf4j.Logger slf4j = LoggerFactory.getLogger(NAME + ".slf4j");
        slf4j.debug("slf4j debug");
        slf4j.info("slf4j info");
        slf4j.error("slf4j error", new IllegalStateException("slf4j failure"));
        System.Logger platform = System.getLogger(NAME + ".platform");
        platform.log(System.Logger.Level.DEBUG, "platform debug");
        platform.log(System.Logger.Level.INFO, "platform info");
        platform.log(System.Logger.Level.ERROR, "platform error", new IllegalStateException("platform failure"));
        Logger jul = Logger.getLogger(NAME + ".jul");
        jul.fine("jul debug");
        jul.info("jul info");
        jul.log(Level.SEVERE, "jul error", new IllegalStateException("jul failure"));
        System.setErr(stderr);
        return captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(NAME)).toList();
    }

    @Test
    void jsonLinesHaveTheFieldsAndTheStackForEveryFacade() {
        List<String> lines = logThroughEveryFacade(LogOptions.defaults().withFormat(LogOptions.Format.JSON));
        assertThat(lines).hasSize(6);
        for (String line : lines) {
            JsonNode n = tree(line);
            assertThat(Instant.parse(n.get("time").asText())).isBefore(Instant.now().plusSeconds(1));
            assertThat(n.get("level").asText()).isIn("INFO", "ERROR");
            assertThat(n.get("logger").asText()).startsWith(NAME + ".");
            assertThat(n.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
            String facade = n.get("logger").asText().substring(NAME.length() + 1);
            assertThat(n.get("message").asText()).isEqualTo(facade + " " + n.get("level").asText().toLowerCase());
            if (n.get("level").asText().equals("ERROR")) {
                assertThat(n.get("stack").asText()).startsWith("java.lang.IllegalStateException: " + facade + " failure")
                        .contains("\tat " + LogSetupTest.class.getName());
            } else {
                assertThat(n.has("stack")).isFalse();
            }
        }
    }

    @Test
    void theLevelHoldsForEveryFacade() {
        assertThat(logThroughEveryFacade(LogOptions.defaults().withLevel(LogOptions.Level.DEBUG)))
                .filteredOn(l -> l.contains(" DEBUG ")).hasSize(3);
        List<String> warn = logThroughEveryFacade(LogOptions.defaults().withLevel(LogOptions.Level.WARN));
        assertThat(warn).hasSize(3).allMatch(l -> l.contains(" ERROR "));
        assertThat(warn.get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[.+] ERROR +" + NAME
                + "\\.slf4j - slf4j error");
    }

    @Test
    void theConnectionPoolIsQuietAtInfoOnly() {
        ch.qos.logback.classic.Logger hikari = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("com.zaxxer.hikari.pool");
        LogSetup.apply(LogOptions.defaults());
        assertThat(hikari.isInfoEnabled()).isFalse();
        assertThat(hikari.isWarnEnabled()).isTrue();
        LogSetup.apply(LogOptions.defaults().withLevel(LogOptions.Level.DEBUG));
        assertThat(hikari.isDebugEnabled()).isTrue();
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + line, e);
        }
    }
}
