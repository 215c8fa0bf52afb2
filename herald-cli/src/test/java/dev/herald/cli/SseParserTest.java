package dev.herald.cli;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private static List<SseParser.Event> feed(SseParser parser, String... lines) {
        List<SseParser.Event> events = new ArrayList<>();
        for (String line : lines) {
            SseParser.Event e = parser.accept(line);
            if (e != null) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void readsIdEventAndDataAndDispatchesOnBlankLine() {
        SseParser p = new SseParser();
        assertThat(p.accept("id: c1")).isNull();
        assertThat(p.accept("event: progress")).isNull();
        assertThat(p.accept("data: {\"type\":\"progress\"}")).isNull();
        SseParser.Event e = p.accept("");
        assertThat(e).isEqualTo(new SseParser.Event("c1", "progress", "{\"type\":\"progress\"}"));
        assertThat(p.lastEventId()).isEqualTo("c1");
    }

    @Test
    void ignoresCommentsAndKeepAlives() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = feed(p, ": keep-alive", "", ":", "data: x", ": in the middle", "", ": keep-alive", "");
        assertThat(events).containsExactly(new SseParser.Event(null, "message", "x"));
    }

    @Test
    void joinsMultiLineDataWithNewlines() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = feed(p, "data: first", "data:second", "data:  third", "data", "");
        assertThat(events).hasSize(1);
        // one optional space after the colon is removed, further ones are kept; "data" alone is an empty line
        assertThat(events.get(0).data()).isEqualTo("first\nsecond\n third\n");
        assertThat(events.get(0).type()).isEqualTo("message");
    }

    @Test
    void theEventTypeIsResetAfterEachEventButTheIdIsKept() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = feed(p, "id: 7", "event: status", "data: a", "", "data: b", "");
        assertThat(events).containsExactly(
                new SseParser.Event("7", "status", "a"),
                new SseParser.Event("7", "message", "b"));
    }

    @Test
    void blankLinesWithoutDataDispatchNothingButCommitTheId() {
        SseParser p = new SseParser();
        assertThat(feed(p, "", "", "event: progress", "")).isEmpty();
        assertThat(feed(p, "id: 42", "")).isEmpty();
        assertThat(p.lastEventId()).isEqualTo("42");
        // the event type of a data-less block does not leak into the next event
        assertThat(feed(p, "event: status", "", "data: x", "")).containsExactly(new SseParser.Event("42", "message", "x"));
    }

    @Test
    void anEmptyIdClearsTheLastEventId() {
        SseParser p = new SseParser();
        feed(p, "id: 5", "data: a", "");
        assertThat(p.lastEventId()).isEqualTo("5");
        assertThat(feed(p, "id", "data: b", "")).containsExactly(new SseParser.Event(null, "message", "b"));
        assertThat(p.lastEventId()).isNull();
    }

    @Test
    void anIdWithNulIsIgnored() {
        SseParser p = new SseParser();
        feed(p, "id: ok", "data: a", "", "id: bad\0id", "data: b", "");
        assertThat(p.lastEventId()).isEqualTo("ok");
    }

    @Test
    void retrySetsTheReconnectionDelayWhenItIsDigitsOnly() {
        SseParser p = new SseParser();
        assertThat(p.retryMs()).isEqualTo(SseParser.DEFAULT_RETRY_MS);
        assertThat(feed(p, "retry: 5000")).isEmpty();
        assertThat(p.retryMs()).isEqualTo(5000);
        feed(p, "retry: 1s", "retry: -1", "retry:", "retry: 12a");
        assertThat(p.retryMs()).isEqualTo(5000);
        feed(p, "retry:250");
        assertThat(p.retryMs()).isEqualTo(250);
        feed(p, "retry: 99999999999999999999999");
        assertThat(p.retryMs()).isEqualTo(250);
    }

    @Test
    void unknownFieldsAreIgnoredAndAColonInTheValueIsKept() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = feed(p, "foo: bar", "data: {\"time\":\"12:00:00\"}", "");
        assertThat(events).containsExactly(new SseParser.Event(null, "message", "{\"time\":\"12:00:00\"}"));
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() {
        SseParser p = new SseParser();
        assertThat(feed(p, "\uFEFFdata: x", "")).containsExactly(new SseParser.Event(null, "message", "x"));
    }

    @Test
    void resetDropsAHalfReceivedEventAndItsUncommittedId() {
        SseParser p = new SseParser();
        feed(p, "id: 1", "data: complete", "");
        feed(p, "id: 2", "event: progress", "data: half");
        p.reset(); // the connection dropped here
        assertThat(p.lastEventId()).isEqualTo("1");
        assertThat(feed(p, "data: next", "")).containsExactly(new SseParser.Event("1", "message", "next"));
    }

    @Test
    void parsesTheServerFramingOfApiSection3() {
        SseParser p = new SseParser();
        List<SseParser.Event> events = feed(p,
                "retry: 2000",
                "id: cur-1",
                "event: snapshot",
                "data: {\"type\":\"snapshot\",\"jobId\":\"j_1\",\"version\":3}",
                "",
                ": keep-alive",
                "id: cur-2",
                "event: log",
                "data: {\"type\":\"log\",\"jobId\":\"j_1\",\"version\":4,\"log\":{\"message\":\"a\\nb\"}}",
                "");
        assertThat(events).extracting(SseParser.Event::type).containsExactly("snapshot", "log");
        assertThat(events).extracting(SseParser.Event::id).containsExactly("cur-1", "cur-2");
        assertThat(events.get(1).data()).contains("\"a\\nb\"");
        assertThat(p.retryMs()).isEqualTo(2000);
        assertThat(p.lastEventId()).isEqualTo("cur-2");
    }
}
