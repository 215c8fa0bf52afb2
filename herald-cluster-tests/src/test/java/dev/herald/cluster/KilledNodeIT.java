package dev.herald.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The owner of a tree killed with SIGKILL right after its writes were acknowledged: nothing acknowledged is lost,
 * every reader on the other nodes saw it, and the tree moves on (docs/cluster.md §8.1, §8.2, §8.3). Node A owns
 * each case's tree and is started again after each case, on the same ports.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KilledNodeIT {
    @RegisterExtension
    static final Nodes NODES = Nodes.of(3);

    private final Node owner = NODES.get(0);
    private final String a = owner.base();
    private final String b = NODES.get(1).base();
    private final String c = NODES.get(2).base();

    @AfterEach
    void startTheOwnerAgain() {
        if (!owner.alive()) {
            owner.restart();
        }
    }

    @Test
    void acknowledgedTransitionsAndLogLinesSurviveTheOwnerKilled() throws Exception {
        String job = Api.create(a, "\"type\":\"killed\"");
        try (SseReader onB = SseReader.job(b, job, null); SseReader onC = SseReader.job(c, job, null)) {
            Api.post(b, "/jobs/" + job + "/start", "{}");
            for (int i = 1; i <= 6; i++) {
                Api.log(i % 2 == 0 ? a : b, job, "line " + i);
            }
            Api.progress(a, job, 500);
            owner.kill();

            for (SseReader reader : List.of(onB, onC)) {
                reader.awaitEvent(e -> e.logSeq() == 6);
                assertThat(reader.events("log")).extracting(SseReader.Event::logSeq)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, 6).boxed().toList());
                assertThat(reader.events("status")).extracting(e -> e.data().path("to").asText())
                        .containsExactly("running");
            }
            for (String node : List.of(b, c)) {
                assertThat(Api.get(node, "/jobs/" + job).get("status").asText()).isEqualTo("running");
                assertThat(Api.get(node, "/jobs/" + job + "/logs").get("items")).hasSize(6);
            }

            Api.log(c, job, "after the kill");
            for (SseReader reader : List.of(onB, onC)) {
                reader.awaitEvent(e -> e.logSeq() == 7);
                BetweenNodesIT.assertVersionsIncrease(reader.events());
            }
        }
    }

    @Test
    void aParentThatCompletesWithItsChildrenFinishesOnceWhenItsOwnerIsKilledAfterTheLastChild() throws Exception {
        String parent = Api.create(a, "\"type\":\"parent\",\"status\":\"running\",\"completeWithChildren\":true");
        List<String> children = List.of(
                Api.create(a, "\"type\":\"child\",\"status\":\"running\",\"parentId\":\"" + parent + "\""),
                Api.create(a, "\"type\":\"child\",\"status\":\"running\",\"parentId\":\"" + parent + "\""));
        String first;
        try (SseReader onB = SseReader.job(b, parent, null)) {
            first = onB.lastCursor();
            Api.post(a, "/jobs/" + children.get(0) + "/complete", "{}");
            Api.post(c, "/jobs/" + children.get(1) + "/complete", "{}");
            owner.kill();

            onB.awaitEvent(e -> e.type().equals("status") && e.data().path("to").asText().equals("completed"));
        }
        BetweenNodesIT.assertFinishedOnce(c, parent, first);
    }
}
