package dev.herald.server.runner;

import dev.herald.client.Backoff;
import dev.herald.client.Herald;
import dev.herald.client.JobContext;
import dev.herald.client.JobSpec;
import dev.herald.client.Runner;
import dev.herald.client.RunnerBuilder;
import dev.herald.client.transport.Completed;
import dev.herald.client.transport.HttpTransport;
import dev.herald.client.transport.Transport;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The SDK's {@link Runner} (SDK.md §7) on a real server, over HTTP and in-process. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static TestServer server;
    private static Herald remote;
    private static Herald local;
    private final List<Runner> runners = new ArrayList<>();

    /** A page to fetch: the input of the jobs below. */
    record Page(String url, int depth) {
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        // short heartbeats: a handler hears of a cancel within a fraction of a second
        remote = Herald.builder().url(server.baseUrl()).token(TestServer.TOKEN)
                .heartbeatInterval(Duration.ofMillis(200)).build();
        local = server.server().client(b -> b.heartbeatInterval(Duration.ofMillis(200)));
    }

    @AfterAll
    static void stop() {
        remote.close();
        local.close();
        server.close();
    }

    @AfterEach
    void closeRunners() {
        runners.forEach(Runner::close);
    }

    private static Herald herald(String which) {
        return "remote".equals(which) ? remote : local;
    }

    private static String newType() {
        return "run-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Runner start(String which, UnaryOperator<RunnerBuilder> settings) {
        Runner r = settings.apply(Runner.builder(herald(which))).start();
        runners.add(r);
        return r;
    }

    private static List<String> messages(Herald herald, String id) {
        return herald.logs(id, 0, 100).stream().map(LogLine::message).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aHandlerRunsTheJobWithItsInputAndCompletesItWithItsResult(String which) throws Exception {
        String type = newType();
        Runner runner = start(which, b -> b.handle(type, ctx -> {
            Page page = ctx.input(Page.class);
            ctx.stage("fetch").progress(1, 1);
            ctx.info("fetched " + page.url());
            return Map.of("url", page.url(), "depth", page.depth(), "attempt", ctx.attempt(),
                    "worker", ctx.job().lease().worker());
        }).concurrency(2));
        Job job = runner.enqueue(JobSpec.of(type).input(new Page("https://example.com/a", 3)));
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);

        Job done = herald(which).awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result().text()).contains("\"url\":\"https://example.com/a\"", "\"depth\":3",
                "\"attempt\":1", "\"worker\":\"" + runner.worker() + "\"");
        assertThat(done.progress().percent()).isEqualTo(100);
        assertThat(messages(herald(which), job.id())).containsExactly("fetched https://example.com/a");
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aJobWithoutInputReadsNull(String which) throws Exception {
        String type = newType();
        Runner runner = start(which, b -> b.handle(type, ctx -> Map.of("none", ctx.input(Page.class) == null)));
        Job done = herald(which).awaitFinished(runner.enqueue(JobSpec.of(type)).id(), WAIT);
        assertThat(done.result().text()).isEqualTo("{\"none\":true}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aHandlerThatThrowsIsRetriedAfterTheBackoffAndSucceedsOnItsSecondAttempt(String which) throws Exception {
        String type = newType();
        Runner runner = start(which, b -> b.handle(type, ctx -> {
            if (ctx.attempt() == 1) {
                throw new IllegalStateException("upstream timed out");
            }
            return Map.of("attempt", ctx.attempt());
        }).retry(Backoff.exponential(Duration.ofMillis(200), Duration.ofSeconds(1))));
        Job job = runner.enqueue(JobSpec.of(type).maxAttempts(3));

        Job done = herald(which).awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.result().text()).isEqualTo("{\"attempt\":2}");
        assertThat(messages(herald(which), job.id())).hasSize(1).first().asString()
                .startsWith("attempt 1 of 3 failed: upstream timed out; the next in ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aJobWhoseAttemptsAllFailFailsWithTheLastMessage(String which) throws Exception {
        String type = newType();
        Runner runner = start(which, b -> b.handle(type, ctx -> {
            throw new IllegalArgumentException("bad row " + ctx.attempt());
        }).retry(Backoff.exponential(Duration.ofMillis(100), Duration.ofMillis(100))));
        Job job = runner.enqueue(JobSpec.of(type).maxAttempts(2));

        Job done = herald(which).awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.FAILED);
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.error().message()).isEqualTo("bad row 2");
        assertThat(messages(herald(which), job.id())).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void aCancelIsSeenThroughTheContextAndTheHandlerIsInterruptedAfterTheGracePeriod(String which)
            throws Exception {
        String type = newType();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cancelledWhenInterrupted = new AtomicBoolean();
        Runner runner = start(which, b -> b.handle(type, ctx -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // a handler that never looks at ctx
            } catch (InterruptedException e) {
                cancelledWhenInterrupted.set(ctx.isCancelled());
                interrupted.set(true);
                throw e;
            }
            return null;
        }).gracePeriod(Duration.ofMillis(300)));
        Job job = runner.enqueue(JobSpec.of(type));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        herald(which).cancel(job.id());
        await().atMost(WAIT).untilTrue(interrupted);
        assertThat(cancelledWhenInterrupted).isTrue();
        assertThat(herald(which).get(job.id()).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void closeGivesARunningJobBackAndAnotherRunnerFinishesIt(String which) throws Exception {
        String type = newType();
        CountDownLatch started = new CountDownLatch(1);
        Runner first = start(which, b -> b.handle(type, ctx -> {
            started.countDown();
            new CountDownLatch(1).await();
            return "never";
        }).worker("first").gracePeriod(Duration.ofMillis(200)));
        Job job = first.enqueue(JobSpec.of(type));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        first.close();
        Job given = herald(which).get(job.id());
        assertThat(given.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(given.lease()).isNull();
        start(which, b -> b.handle(type, ctx -> Map.of("by", ctx.job().lease().worker())).worker("second"));
        Job done = herald(which).awaitFinished(job.id(), WAIT);
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.result().text()).isEqualTo("{\"by\":\"second\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void closeLetsAHandlerFinishWithinTheGracePeriod(String which) throws Exception {
        String type = newType();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Runner runner = start(which, b -> b.handle(type, ctx -> {
            started.countDown();
            release.await();
            return Map.of("finished", true);
        }).gracePeriod(Duration.ofSeconds(30)));
        Job job = runner.enqueue(JobSpec.of(type));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        Thread closing = new Thread(runner::close);
        closing.start();
        release.countDown();
        closing.join();
        Job done = herald(which).get(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.attempt()).isEqualTo(1);
    }

    @Test
    void eightWorkersKeepOneWaitingClaimAtATime() throws Exception {
        AtomicInteger waiting = new AtomicInteger();
        AtomicInteger mostWaiting = new AtomicInteger();
        Transport http = new HttpTransport(server.baseUrl(), TestServer.TOKEN, Duration.ofSeconds(10));
        Transport counted = around(http, (method, args, call) -> {
            boolean waits = method.getName().startsWith("claim") && ((ClaimRequest) args[0]).waitMs() > 0;
            if (waits) {
                mostWaiting.accumulateAndGet(waiting.incrementAndGet(), Math::max);
            }
            try {
                return call.call();
            } finally {
                if (waits) {
                    waiting.decrementAndGet();
                }
            }
        });
        String type = newType();
        try (Herald herald = Herald.builder().transport(counted).build()) {
            Runner runner = Runner.builder(herald).handle(type, ctx -> ctx.attempt()).concurrency(8).start();
            runners.add(runner);
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                jobs.add(runner.enqueue(JobSpec.of(type)));
            }
            for (Job job : jobs) {
                assertThat(herald.awaitFinished(job.id(), WAIT).status()).isEqualTo(JobStatus.COMPLETED);
            }
            await().atMost(WAIT).until(() -> waiting.get() == 1); // idle again: one claim waits on the server
            runner.close();
        }
        assertThat(mostWaiting).as("waiting claims at once, over the whole run").hasValue(1);
    }

    /** What a test does around each call of a transport: {@code call} makes it. */
    interface Around {
        Object call(Method method, Object[] args, Callable<Object> call) throws Exception;
    }

    /** {@code inner} with every call, its leased transports' calls too, going through {@code around}. */
    private static Transport around(Transport inner, Around around) {
        return (Transport) Proxy.newProxyInstance(Transport.class.getClassLoader(), new Class<?>[] {Transport.class},
                (proxy, method, args) -> {
                    Object answer = around.call(method, args, () -> {
                        try {
                            return method.invoke(inner, args);
                        } catch (InvocationTargetException e) {
                            throw (Exception) e.getCause();
                        }
                    });
                    return answer instanceof Transport leased ? around(leased, around) : answer;
                });
    }

    @Test
    void aBusyWorkerTakesItsNextJobInItsCompletion() throws Exception {
        AtomicInteger claimedInCompletions = new AtomicInteger();
        AtomicInteger claimsAtOnce = new AtomicInteger();
        Transport http = new HttpTransport(server.baseUrl(), TestServer.TOKEN, Duration.ofSeconds(10));
        Transport counted = around(http, (method, args, call) -> {
            Object answer = call.call();
            if (answer instanceof Completed done && !done.next().isEmpty()) {
                claimedInCompletions.incrementAndGet();
            } else if (method.getName().startsWith("claim") && ((ClaimRequest) args[0]).waitMs() == 0) {
                claimsAtOnce.incrementAndGet();
            }
            return answer;
        });
        String type = newType();
        try (Herald herald = Herald.builder().transport(counted).build()) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobs.add(herald.create(JobSpec.of(type).status(JobStatus.QUEUED)));
            }
            Runner runner = Runner.builder(herald).handle(type, ctx -> ctx.attempt()).concurrency(1).start();
            runners.add(runner);
            for (Job job : jobs) {
                assertThat(herald.awaitFinished(job.id(), WAIT).status()).isEqualTo(JobStatus.COMPLETED);
            }
            runner.close();
        }
        assertThat(claimedInCompletions).as("every job after the first came in the completion before it")
                .hasValue(19);
        assertThat(claimsAtOnce).as("no claim of its own after a completion").hasValue(0);
    }

    @Test
    void aServerThatRefusesCompletionsThatClaimGetsPlainOnes() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        Transport http = new HttpTransport(server.baseUrl(), TestServer.TOKEN, Duration.ofSeconds(10));
        Transport older = around(http, (method, args, call) -> {
            if (method.getName().equals("complete") && args.length == 3 && args[2] != null) {
                refused.incrementAndGet(); // as a server that predates the field answers, changing nothing
                throw HeraldException.field(ErrorCode.INVALID_FIELD, "claim", "unknown field 'claim'");
            }
            return call.call();
        });
        String type = newType();
        try (Herald herald = Herald.builder().transport(older).build()) {
            Runner runner = Runner.builder(herald).handle(type, ctx -> ctx.attempt()).concurrency(2).start();
            runners.add(runner);
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                jobs.add(runner.enqueue(JobSpec.of(type)));
            }
            for (Job job : jobs) {
                Job done = herald.awaitFinished(job.id(), WAIT);
                assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(done.attempt()).isEqualTo(1);
            }
            runner.close();
        }
        assertThat(refused.get()).as("refused once per worker at most, then never asked again").isBetween(1, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"remote", "local"})
    void childrenEnqueuedFromAHandlerAreRunByTheWorkers(String which) throws Exception {
        String parentType = newType();
        String childType = newType();
        Runner runner = start(which, b -> b.handle(parentType, ctx -> {
            for (int i = 0; i < 5; i++) {
                ctx.child(JobSpec.of(childType).input(new Page("https://example.com/" + i, 1)));
            }
            return null;
        }).handle(childType, (JobContext ctx) -> Map.of("url", ctx.input(Page.class).url())).concurrency(4));
        Job parent = runner.enqueue(JobSpec.of(parentType));

        await().atMost(WAIT).until(() -> {
            Job p = herald(which).get(parent.id());
            return p.children() != null && p.children().completed() == 5;
        });
        assertThat(herald(which).get(parent.id()).status()).isEqualTo(JobStatus.COMPLETED);
    }
}
