package dev.herald.core.time;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SettableClockTest {
    private static final Instant T0 = Instant.parse("2025-03-14T09:26:53.589Z");

    @Test
    void standsStillUntilMoved() {
        SettableClock clock = new SettableClock(T0);
        assertThat(clock.instant()).isEqualTo(T0);
        assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());

        assertThat(clock.advance(Duration.ofMinutes(11))).isEqualTo(T0.plusSeconds(660));
        assertThat(clock.instant()).isEqualTo(T0.plusSeconds(660));

        clock.set(T0);
        assertThat(clock.instant()).isEqualTo(T0);
    }

    @Test
    void aClockInAnotherZoneSharesTheTime() {
        SettableClock clock = new SettableClock(T0);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        clock.advance(Duration.ofSeconds(5));
        assertThat(paris.instant()).isEqualTo(T0.plusSeconds(5));
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.withZone(clock.getZone())).isSameAs(clock);
    }

    @Test
    void advancesFromManyThreadsAllCount() throws InterruptedException {
        SettableClock clock = new SettableClock(T0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    clock.advance(Duration.ofMillis(1));
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(clock.instant()).isEqualTo(T0.plusMillis(4000));
    }
}
