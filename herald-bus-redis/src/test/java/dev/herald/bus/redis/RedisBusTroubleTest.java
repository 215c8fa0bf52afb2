package dev.herald.bus.redis;

import dev.herald.core.event.JobEvent;
import dev.herald.core.model.Job;
import dev.herald.testkit.CuttableLink;
import dev.herald.testkit.EventInbox;
import dev.herald.testkit.TestJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Two nodes on the machine's Redis, and what Redis does to them: cut connections, lost messages, strangers. */
class RedisBusTroubleTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestRedis redis = new TestRedis();

    private final List<RedisEventBus> nodes = new ArrayList<>();
    private final String cluster = TestRedis.newCluster();
    private final Job job = TestJobs.running("acme").build();
    private final AtomicInteger version = new AtomicInteger((int) job.version());

    @AfterEach
    void closeNodes() {
        nodes.forEach(RedisEventBus::close);
    }

    private RedisEventBus node(String clusterName) {
        return started(redis.node(clusterName));
    }

    private RedisEventBus started(RedisEventBus node) {
        nodes.add(node);
        return node;
    }

    private static String versionOf(JobEvent e) {
        return "v" + e.version();
    }

    /** The job's next progress event. */
    private JobEvent next() {
        return JobEvent.progress(TestJobs.next(job).version(version.incrementAndGet()).build());
    }

    @Test
    void eachNodesListenersGetItsOwnEventsAtOnceAndTheOthersInOrder() {
        RedisEventBus a = node(cluster);
        RedisEventBus b = node(cluster);
        EventInbox atA = new EventInbox(TIMEOUT);
        EventInbox atB = new EventInbox(TIMEOUT);
        a.subscribe(atA, atA::missed);
        b.subscribe(atB, atB::missed);
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            JobEvent e = next();
            events.add(e);
            a.publish(e);
            assertThat(atA.events()).as("delivered locally before publish returns").endsWith(e);
        }

        assertThat(atB.awaitCount(events.size())).containsExactlyElementsOf(events);
        await().atMost(TIMEOUT).until(() -> a.stats().published() == events.size());
        assertThat(atA.events()).as("a node's own events come back from Redis only to be dropped")
                .containsExactlyElementsOf(events);
        assertThat(b.stats()).isEqualTo(new BusStats(0, 0, events.size(), 0, 0, 0, 0));
        assertThat(atA.timesMissed() + atB.timesMissed()).isZero();
    }

    @Test
    void aBurstBeyondWhatRedisIsSentAtOnceWaitsAndIsLostNowhere() {
        RedisEventBus a = node(cluster);
        RedisEventBus b = node(cluster);
        EventInbox atB = new EventInbox(TIMEOUT);
        b.subscribe(atB, atB::missed);
        List<JobEvent> events = new ArrayList<>();
        for (int i = 0; i < BusPublisher.MAX_IN_FLIGHT * 2; i++) {
            events.add(next());
        }
        events.forEach(a::publish);

        assertThat(atB.awaitCount(events.size())).containsExactlyElementsOf(events);
        assertThat(a.stats().publishFailures()).isZero();
        assertThat(atB.timesMissed()).isZero();
    }

    @Test
    void aCutSubscriptionIsMadeAgainAndItsListenersAreToldBeforeLaterEvents() {
        RedisEventBus a = node(cluster);
        RedisEventBus b = node(cluster);
        Timeline atB = new Timeline();
        atB.on(b);
        JobEvent before = next();
        a.publish(before);
        await().atMost(TIMEOUT).until(() -> atB.entries().size() == 1);

        redis.kill(b, "sub");
        await().atMost(TIMEOUT).until(() -> atB.entries().contains(Timeline.MISSED));
        JobEvent after = next();
        a.publish(after);

        await().atMost(TIMEOUT).until(() -> atB.entries().size() == 3);
        assertThat(atB.entries()).containsExactly("v" + before.version(), Timeline.MISSED, "v" + after.version());
        assertThat(b.stats().reconnects()).isEqualTo(1);
    }

    @Test
    void publishesLostWhileRedisIsOutOfReachLeaveAHoleTheOthersAreToldOf() throws IOException {
        try (CuttableLink link = new CuttableLink(TestRedis.HOST, TestRedis.PORT)) {
            RedisEventBus a = started(RedisEventBus.start(redis.vertx(), RedisBusOptions.of(link.uri(), cluster)));
            RedisEventBus b = node(cluster);
            Timeline atB = new Timeline();
            atB.on(b);
            EventInbox atA = new EventInbox(TIMEOUT);
            a.subscribe(atA);
            List<JobEvent> events = List.of(next(), next(), next(), next());
            a.publish(events.get(0));
            await().atMost(TIMEOUT).until(() -> atB.entries().size() == 1);

            link.cut();
            a.publish(events.get(1));
            a.publish(events.get(2));
            await().atMost(TIMEOUT).until(() -> a.stats().publishFailures() == 2);
            link.mend();
            await("both of its connections back").atMost(TIMEOUT).until(() -> a.stats().reconnects() == 2);
            a.publish(events.get(3));

            await().atMost(TIMEOUT).until(() -> atB.entries().size() == 3);
            assertThat(atB.entries()).containsExactly(versionOf(events.get(0)), Timeline.MISSED,
                    versionOf(events.get(3)));
            assertThat(atA.events()).as("the local listener got every event all along").containsExactlyElementsOf(events);
            assertThat(b.stats().gaps()).isEqualTo(1);
            assertThat(a.stats().published()).isEqualTo(2);
        }
    }

    @Test
    void aSubscriberOutOfReachOfRedisIsToldOnceItIsBackAndGetsLaterEvents() throws IOException {
        try (CuttableLink link = new CuttableLink(TestRedis.HOST, TestRedis.PORT)) {
            RedisEventBus a = node(cluster);
            RedisEventBus b = started(RedisEventBus.start(redis.vertx(), RedisBusOptions.of(link.uri(), cluster)));
            Timeline atB = new Timeline();
            atB.on(b);
            List<JobEvent> events = List.of(next(), next(), next());
            a.publish(events.get(0));
            await().atMost(TIMEOUT).until(() -> atB.entries().size() == 1);

            link.cut();
            a.publish(events.get(1));
            await().atMost(TIMEOUT).until(() -> a.stats().published() == 2);
            link.mend();
            await().atMost(TIMEOUT).until(() -> atB.entries().contains(Timeline.MISSED));
            a.publish(events.get(2));

            await().atMost(TIMEOUT).until(() -> atB.entries().size() == 3);
            assertThat(atB.entries()).containsExactly(versionOf(events.get(0)), Timeline.MISSED,
                    versionOf(events.get(2)));
            await("its publishing connection back too").atMost(TIMEOUT).until(() -> b.stats().reconnects() == 2);
        }
    }

    @Test
    void aSubscriptionThatFallsSilentIsGivenUpAndMadeAgain() throws IOException {
        try (CuttableLink link = new CuttableLink(TestRedis.HOST, TestRedis.PORT)) {
            RedisEventBus a = node(cluster);
            RedisEventBus b = started(RedisEventBus.start(redis.vertx(), RedisBusOptions.of(link.uri(), cluster)));
            Timeline atB = new Timeline();
            atB.on(b);

            link.silence();
            await("the silence noticed").atMost(TIMEOUT).until(() -> !b.connected());
            link.mend();
            await().atMost(TIMEOUT).until(() -> atB.entries().contains(Timeline.MISSED));
            JobEvent after = next();
            a.publish(after);

            await().atMost(TIMEOUT).until(() -> atB.entries().size() == 2);
            assertThat(atB.entries()).containsExactly(Timeline.MISSED, versionOf(after));
            assertThat(b.connected()).isTrue();
        }
    }

    @Test
    void aHoleInAnotherNodesSequenceIsToldOnceBeforeTheEventAfterIt() {
        RedisEventBus b = node(cluster);
        Timeline atB = new Timeline();
        atB.on(b);
        String channel = b.options().channel();
        for (long sequence : new long[] {1, 2, 4, 5}) {
            JobEvent e = next();
            redis.publish(channel, BusEnvelope.encode("ghost", sequence, 0, e, BusEnvelope.eventJson(e)));
        }

        await().atMost(TIMEOUT).until(() -> atB.entries().size() == 5);
        long v = job.version();
        assertThat(atB.entries()).containsExactly("v" + (v + 1), "v" + (v + 2), Timeline.MISSED, "v" + (v + 3),
                "v" + (v + 4));
        assertThat(b.stats().gaps()).isEqualTo(1);
    }

    @Test
    void messagesThatAreNoEventsOfANodeAreCountedAndIgnored() {
        RedisEventBus a = node(cluster);
        RedisEventBus b = node(cluster);
        EventInbox atB = new EventInbox(TIMEOUT);
        b.subscribe(atB, atB::missed);
        JobEvent e = next();
        String good = BusEnvelope.encode("ghost", 1, 0, e, BusEnvelope.eventJson(e));
        List<String> strangers = List.of(
                "not json at all",
                "[1,2,3]",
                "{\"n\":\"ghost\",\"s\":2}",
                good.replace("\"s\":1", "\"s\":\"two\""),
                good.replace("\"t\":\"progress\"", "\"t\":\"status\""),
                good.replace("\"type\":\"progress\"", "\"type\":\"rumour\""),
                good.replace("\"a\":[]", "\"a\":[7]"),
                good.substring(0, good.length() - 10));
        strangers.forEach(m -> redis.publish(b.options().channel(), m));
        JobEvent fine = next();
        a.publish(fine);

        assertThat(atB.awaitReceived(fine)).containsExactly(fine);
        assertThat(b.stats().dropped()).isEqualTo(strangers.size());
        assertThat(b.stats().received()).isEqualTo(1);
        assertThat(atB.timesMissed()).isZero();
    }

    @Test
    void anotherClusterOnTheSameRedisHearsNothing() {
        RedisEventBus a = node(cluster);
        RedisEventBus b = node(cluster);
        String elsewhere = TestRedis.newCluster();
        RedisEventBus c = node(elsewhere);
        RedisEventBus d = node(elsewhere);
        EventInbox atB = new EventInbox(TIMEOUT);
        EventInbox atD = new EventInbox(TIMEOUT);
        b.subscribe(atB);
        d.subscribe(atD);
        JobEvent ours = next();
        JobEvent theirs = next();

        a.publish(ours);
        atB.awaitReceived(ours);
        c.publish(theirs);

        assertThat(atD.awaitReceived(theirs)).containsExactly(theirs);
        assertThat(atB.events()).containsExactly(ours);
    }

    @Test
    void startingWithoutRedisFailsSayingWhichRedis() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String nowhere = "redis://127.0.0.1:" + port;

        assertThatThrownBy(() -> RedisEventBus.start(redis.vertx(), RedisBusOptions.of(nowhere, "herald")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Redis at " + nowhere + " could not be reached");
    }

    @Test
    void optionsThatCannotNameAChannelAndAConnectionAreRefused() {
        assertThatThrownBy(() -> RedisBusOptions.of("127.0.0.1:6379", "herald"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://host:port");
        assertThatThrownBy(() -> RedisBusOptions.of(TestRedis.URI, "my cluster"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster name");
        assertThatThrownBy(() -> new RedisBusOptions(TestRedis.URI, "herald", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id");
    }
}
