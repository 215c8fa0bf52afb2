package dev.herald.server;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EventLoopTransportTest {

    @Test
    void runsOnEpollByDefaultOnLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux")
                && "amd64".equals(System.getProperty("os.arch")), "the native library is packaged for Linux x86-64");
        Vertx vertx = EventLoopTransport.start();
        try {
            assertThat(vertx.isNativeTransportEnabled()).isTrue();
            assertThat(((VertxInternal) vertx).transport().getClass().getSimpleName()).isEqualTo("EpollTransport");
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void nioWhenAsked() {
        Vertx vertx = EventLoopTransport.start("NIO");
        try {
            assertThat(vertx.isNativeTransportEnabled()).isFalse();
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void anUnknownTransportIsRefusedByName() {
        assertThatThrownBy(() -> EventLoopTransport.start("kqueue2"))
                .hasMessageContaining("herald.transport is nio or epoll, not kqueue2");
    }
}
