package dev.herald.server.api;

import dev.herald.json.Times;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire's times, written by hand, are what the general formatter writes, for any instant. */
class WireTimesTest {
    private static final DateTimeFormatter GENERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void everyInstantIsWrittenAsTheGeneralFormatterWritesIt() {
        SplittableRandom random = new SplittableRandom(10);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L, 300_000_000_000L),
                    random.nextInt(1_000_000_000));
            assertThat(Times.format(t)).as("%s", t).isEqualTo(GENERAL.format(t));
        }
    }

    @Test
    void edgesOfDaysYearsAndTheFourDigitRange() {
        for (String text : new String[]{"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z",
                "2026-12-31T23:59:59.999Z", "2024-02-29T12:00:00.001Z", "0001-01-01T00:00:00Z",
                "0000-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z", "+10000-01-01T00:00:00Z",
                "-0001-06-01T00:00:00Z"}) {
            Instant t = Instant.parse(text);
            assertThat(Times.format(t)).as(text).isEqualTo(GENERAL.format(t));
        }
        assertThat(Times.format(null)).isNull();
        assertThat(Times.format(Instant.parse("2026-12-07T23:41:31.5Z"))).isEqualTo("2026-12-07T23:41:31.500Z");
    }
}
