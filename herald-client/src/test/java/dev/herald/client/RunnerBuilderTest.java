package dev.herald.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A runner's settings are checked when they are given, before anything is claimed. */
class RunnerBuilderTest {
    private final Herald herald = Herald.remote("http://127.0.0.1:1", "token");

    @AfterEach
    void close() {
        herald.close();
    }

    @Test
    void badSettingsAreRefusedAtOnce() {
        RunnerBuilder b = Runner.builder(herald);
        assertThatThrownBy(() -> b.concurrency(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.lease(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lease");
        assertThatThrownBy(() -> b.lease(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.gracePeriod(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.retry(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.worker(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.handle("", ctx -> null)).isInstanceOf(IllegalArgumentException.class);
        b.handle("import", ctx -> null);
        assertThatThrownBy(() -> b.handle("import", ctx -> null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already");
    }

    @Test
    void aRunnerNeedsAHandlerAndAClientOfTheSdks() {
        assertThatThrownBy(() -> Runner.builder(herald).start()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handler");
        Herald other = (Herald) Proxy.newProxyInstance(Herald.class.getClassLoader(), new Class<?>[] {Herald.class},
                (proxy, method, args) -> null);
        assertThatThrownBy(() -> Runner.builder(other)).isInstanceOf(IllegalArgumentException.class);
    }
}
