package dev.herald.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationConverterTest {

    @Test
    void readsANumberWithAUnit() {
        assertThat(DurationConverter.parse("200ms")).isEqualTo(Duration.ofMillis(200));
        assertThat(DurationConverter.parse("15s")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsSeveralPartsCaseAndSpacesAroundAndIso() {
        assertThat(DurationConverter.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationConverter.parse("1m500ms")).isEqualTo(Duration.ofMillis(60_500));
        assertThat(DurationConverter.parse(" 15S ")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DurationConverter.parse("PT15S")).isEqualTo(Duration.ofSeconds(15));
        assertThat(DurationConverter.parse("p7d")).isEqualTo(Duration.ofDays(7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "200", "ms", "1.5s", "-5s", "5 s", "5sec", "5min", "abc", "7d!", "s5", "PT-5S", "P", "99999999999999d"})
    void refusesAnythingElseWithAClearMessage(String text) {
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("200ms, 15s, 5m, 7d");
    }

    @Test
    void formatsBackToTheShortForm() {
        assertThat(DurationConverter.format(Duration.ofMillis(200))).isEqualTo("200ms");
        assertThat(DurationConverter.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(DurationConverter.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(DurationConverter.format(Duration.ZERO)).isEqualTo("0s");
        for (String s : new String[]{"200ms", "15s", "5m", "7d", "1d2h3m4s5ms"}) {
            assertThat(DurationConverter.format(DurationConverter.parse(s))).isEqualTo(s);
        }
    }
}
