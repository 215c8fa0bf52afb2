package dev.herald.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings are checked when given; building connects to nothing. */
class HeraldBuilderTest {

    @Test
    void theEnvironmentNamesTheServerAndItsDefaultIsTheLocalOne() {
        assertThatCode(() -> HeraldBuilder.fromEnv(Map.of()).build().close()).doesNotThrowAnyException();
        assertThatThrownBy(() -> HeraldBuilder.fromEnv(Map.of("HERALD_URL", "herald.example.com")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("herald.example.com");
        assertThatCode(() -> HeraldBuilder.fromEnv(Map.of("HERALD_URL", "https://herald.example.com/",
                "HERALD_TOKEN", "hk_x")).build().close()).doesNotThrowAnyException();
    }

    @Test
    void badSettingsAreRefusedWhenGiven() {
        HeraldBuilder b = Herald.builder();
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.progressInterval(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.heartbeatInterval(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maxRetries(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.url(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Herald.remote("ftp://herald.example.com", null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedClientRefusesCalls() {
        Herald herald = Herald.builder().transport(new ScriptedTransport()).build();
        herald.close();
        herald.close();
        assertThatThrownBy(() -> herald.get("j_1")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> herald.reporter("j_1")).isInstanceOf(IllegalStateException.class);
    }
}
