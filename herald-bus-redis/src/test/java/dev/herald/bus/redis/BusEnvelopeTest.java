package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLevel;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.testkit.TestJobs;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.herald.testkit.TestJobs.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Without Redis: what goes on the channel comes back exactly. */
class BusEnvelopeTest {

    @Test
    void everyKindOfEventComesBackExactlyWithItsHeader() {
        Job parent = TestJobs.everyField("acme");
        Job child = TestJobs.pending("acme").parentId(parent.id()).build();
        List<String> ancestors = List.of(parent.id(), TestJobs.newId());
        List<JobEvent> events = List.of(
                JobEvent.status(child, null).at(41).within(ancestors),
                JobEvent.status(TestJobs.next(child).status(JobStatus.RUNNING).build(), JobStatus.PENDING).at(42),
                JobEvent.progress(TestJobs.running("acme").build()).at(42).within(ancestors),
                JobEvent.log(child, new LogLine(3, T0, LogLevel.ERROR, "out of \"memory\"\n",
                        new RawJson("{\"rss\":1536.5,\"pids\":[7,9],\"oom\":true}"))).at(43),
                JobEvent.children(parent).at(43),
                JobEvent.snapshot(parent, 43),
                JobEvent.deleted(child, T0.plusSeconds(5)).at(43));

        for (JobEvent e : events) {
            String message = BusEnvelope.encode("node-1", 7, 1_700_000_000_123L, e, BusEnvelope.eventJson(e));
            assertThat(message).startsWith(BusEnvelope.ownPrefix("node-1"));
            assertThat(BusEnvelope.decode(message)).isEqualTo(new BusEnvelope("node-1", 7, 1_700_000_000_123L, e));
            assertThat(BusEnvelope.decode(message).event().json()).as("the publisher's text, not encoded again")
                    .isEqualTo(BusEnvelope.eventJson(e));
        }
    }

    @Test
    void theHeaderIsReadWithoutTheEvent() {
        List<String> ancestors = List.of(TestJobs.newId(), TestJobs.newId());
        JobEvent e = JobEvent.progress(TestJobs.running("acme").build()).at(42).within(ancestors);
        String message = BusEnvelope.encode("node-1", 7, 1_700_000_000_123L, e, BusEnvelope.eventJson(e));

        assertThat(BusEnvelope.header(message)).isEqualTo(new BusEnvelope.Header("node-1", 7, 1_700_000_000_123L,
                e.type(), e.jobId(), "acme", ancestors));
        // the event is not read: a broken one does not stop the header
        assertThat(BusEnvelope.header(message.substring(0, message.indexOf(",\"d\":") + 6) + "broken"))
                .isEqualTo(BusEnvelope.header(message));
    }

    @Test
    void aHeaderNotLaidOutAsEncodedIsLeftToTheWholeReading() {
        JobEvent e = JobEvent.progress(TestJobs.running("acme").build()).at(5);
        String message = BusEnvelope.encode("node-1", 1, 0, e, BusEnvelope.eventJson(e));
        int d = message.indexOf(",\"d\":");
        String eventFirst = "{\"d\":" + message.substring(d + 5, message.length() - 1) + ","
                + message.substring(1, d) + "}";

        for (String other : List.of(eventFirst, message.replace("\"s\":1", "\"s\":\"1\""),
                message.replace("\"t\":\"progress\"", "\"t\":\"gossip\""),
                message.replace("\"a\":[]", "\"a\":[1,[2]]"), "[1]", "not json", "{\"n\":\"x\"}")) {
            assertThat(BusEnvelope.header(other)).as(other).isNull();
        }
    }

    @Test
    void anEnvelopeWithItsEventNotLastIsReadButItsTextNotKept() {
        JobEvent e = JobEvent.progress(TestJobs.running("acme").build()).at(5);
        String message = BusEnvelope.encode("node-1", 1, 0, e, BusEnvelope.eventJson(e));
        int d = message.indexOf(",\"d\":");
        String reordered = "{\"d\":" + message.substring(d + 5, message.length() - 1) + "," + message.substring(1, d)
                + "}";

        assertThat(BusEnvelope.decode(reordered).event()).isEqualTo(e);
        assertThat(BusEnvelope.decode(reordered).event().json()).isNull();
    }

    @Test
    void theBusAddressNamesRedisAndTheCluster() {
        RedisBusOptions named = RedisBusOptions.fromAddress("redis://u:p%40ss@cache.internal:6380/orders");
        assertThat(named.redisUri()).isEqualTo("redis://u:p%40ss@cache.internal:6380");
        assertThat(named.channel()).isEqualTo("orders:events");
        assertThat(RedisBusOptions.fromAddress("rediss://127.0.0.1:6379").channel()).isEqualTo("herald:events");
        assertThat(RedisBusOptions.fromAddress("redis://127.0.0.1:6379/").name()).isEqualTo("herald");
        // a node started with --cluster NAME: the cluster's name unless the path names another
        assertThat(RedisBusOptions.fromAddress("redis://127.0.0.1:6379", "prod").channel()).isEqualTo("prod:events");
        assertThat(RedisBusOptions.fromAddress("redis://127.0.0.1:6379/orders", "prod").name()).isEqualTo("orders");
        for (String bad : List.of("127.0.0.1:6379", "redis://127.0.0.1", "http://127.0.0.1:6379",
                "redis://127.0.0.1:6379/a/b", "redis://127.0.0.1:6379/x?db=1", "redis://[::1:6379")) {
            assertThatThrownBy(() -> RedisBusOptions.fromAddress(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://host:port");
        }
    }

    @Test
    void aResultAboveTheStreamsCapCrossesWhole() {
        String big = "\"" + "x".repeat(20 * 1024) + "\"";
        JobEvent done = JobEvent.status(TestJobs.completed("acme", T0).result(new RawJson(big)).build(),
                JobStatus.RUNNING).at(9);

        String message = BusEnvelope.encode("node-1", 1, 0, done, BusEnvelope.eventJson(done));

        assertThat(BusEnvelope.decode(message).event()).isEqualTo(done);
    }

    @Test
    void theHeaderIsReadFromTheBytesAsFromTheTextAndWithoutTextWhenLaidOutAsEncoded() {
        JobEvent progress = JobEvent.progress(TestJobs.running("acme").build()).at(42)
                .within(List.of(TestJobs.newId(), TestJobs.newId()));
        String message = BusEnvelope.encode("node-1", 7, 1_700_000_000_123L, progress,
                BusEnvelope.eventJson(progress));
        JobEvent root = JobEvent.status(TestJobs.pending("acme").build(), null).at(0);
        String rootMessage = BusEnvelope.encode("n", 0, 0, root, BusEnvelope.eventJson(root));
        JobEvent accented = JobEvent.progress(TestJobs.running("ácme \"quoted\"").build()).at(3);
        String escapes = BusEnvelope.encode("node-1", 1, 0, accented, BusEnvelope.eventJson(accented));

        assertThat(HeaderReader.read(Buffer.buffer(message))).isEqualTo(BusEnvelope.header(message)).isNotNull();
        assertThat(HeaderReader.read(Buffer.buffer(rootMessage))).isEqualTo(BusEnvelope.header(rootMessage))
                .isNotNull();
        // what the bytes alone do not read is left to the text, with the same outcome
        assertThat(HeaderReader.read(Buffer.buffer(escapes))).isNull();
        assertThat(BusEnvelope.header(Buffer.buffer(escapes))).isEqualTo(BusEnvelope.header(escapes)).isNotNull();
        for (String other : List.of(message.replace("\"s\":7", "\"s\":-7"),
                message.replace("\"s\":7", "\"s\":07"), message.replace("\"s\":7", "\"s\":7.0"),
                message.replace("\"ts\":1700000000123", "\"ts\":17000000001230000000000"),
                message.replace(",\"v\":", ", \"v\":"), message.replace("\"t\":\"progress\"", "\"t\":\"gossip\""),
                message.replace("\"n\":\"node-1\"", "\"n\":\"\""), message.substring(0, message.indexOf(",\"a\":")),
                "[1]", "not json", "{\"n\":\"x\"}", "")) {
            assertThat(HeaderReader.read(Buffer.buffer(other))).as(other).isIn(null, BusEnvelope.header(other));
            assertThat(BusEnvelope.header(Buffer.buffer(other))).as(other).isEqualTo(BusEnvelope.header(other));
        }
    }
}
