package dev.herald.server.browser;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.ManyJobs;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.herald.server.support.JobsOverRest.JSON;
import static dev.herald.server.support.JobsOverRest.createWith;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser benchmark of BENCHMARKS.md (not part of the build; run with -Dherald.bench=true): 1 000 running
 * jobs, each moved 10 times a second through progress:batch, watched by a page in headless Chromium whose frame
 * intervals are measured in the page with requestAnimationFrame and the Performance API (long tasks). Three pages:
 * the bench page (every job a row, none virtualized), the dashboard's page of a parent of 1 000 children, and the
 * dashboard's list of 10 000 jobs (the newest 1 000 of them moving), held still and then scrolling.
 * With -Dherald.bench.profile=true it first prints where the page's main thread spends its time.
 */
@EnabledIfSystemProperty(named = "herald.bench", matches = "true")
class BrowserFrameBench {
    private static final int JOBS = Integer.getInteger("herald.bench.jobs", 1000);
    private static final int PER_SECOND = 10;
    private static final int LIST_JOBS = 10_000;
    private static final int MEASURE_MS = 15_000;
    /** Frame intervals (requestAnimationFrame to requestAnimationFrame) over ms, and the long tasks meanwhile; with
     *  a scroll step, the dashboard's list scrolls down by that many pixels each frame. */
    private static final String MEASURE = """
            const [ms, step, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
            const list = document.getElementById('job-list');
            const intervals = [];
            let longTasks = 0;
            const observer = new PerformanceObserver((entries) => { longTasks += entries.getEntries().length; });
            observer.observe({ type: 'longtask' });
            const before = window.delivered ?? -1;
            const start = performance.now();
            let last = start;
            requestAnimationFrame(function tick(now) {
              if (step) list.scrollTop += step;
              intervals.push(now - last);
              last = now;
              if (now - start < ms) return requestAnimationFrame(tick);
              observer.disconnect();
              done({ intervals: intervals.slice(1), seconds: (now - start) / 1000, longTasks,
                events: window.delivered == null ? -1 : window.delivered - before });
            });""";

    private TestServer server;
    private final List<String> ids = new ArrayList<>();
    private final AtomicInteger round = new AtomicInteger();
    private final ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() {
        server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(1e9, 1_000_000)));
    }

    @AfterEach
    void stop() {
        producer.shutdownNow();
        Chromium.driver().get("about:blank");
        server.close();
    }

    @Test
    void aPageOfAThousandLiveJobs() throws IOException {
        createJobs(null);
        Chromium.driver().get(server.baseUrl() + "/test/bench.html");
        Chromium.js("startBench(arguments[0], arguments[1])", TestServer.TOKEN, ids);
        Chromium.waitFor("every snapshot", Duration.ofSeconds(30), () -> "delivered=" + Chromium.js("return delivered"),
                d -> ((Number) Chromium.js("return delivered")).intValue() >= JOBS);
        produce(ids);
        Chromium.waitFor("updates flowing", Duration.ofSeconds(10), () -> "",
                d -> ((Number) Chromium.js("return delivered")).intValue() > 3 * JOBS);
        measure("bench page, " + JOBS + " rows", 0);
    }

    @Test
    void theDashboardsListOfTenThousandJobs() throws IOException {
        List<String> all = ManyJobs.create(server, LIST_JOBS,
                i -> "{\"type\":\"bench\",\"name\":\"job " + i + "\",\"status\":\"running\"}");
        Chromium.driver().get(server.baseUrl() + "/?token=" + TestServer.TOKEN);
        Chromium.waitFor("the counts", Duration.ofSeconds(30), () -> "", d -> String.valueOf(LIST_JOBS).equals(
                Chromium.js("return document.getElementById('count-running').textContent")));
        produce(all.subList(LIST_JOBS - JOBS, LIST_JOBS)); // the newest: the ones the list keeps live
        Chromium.waitFor("rows moving", Duration.ofSeconds(10), () -> "", d -> Boolean.TRUE.equals(Chromium.js(
                "return [...document.querySelectorAll('.job-row .percent')].some((p) => p.textContent !== '0.0%')")));
        measure("dashboard list, " + LIST_JOBS + " jobs, " + JOBS + " moving, held still", 0);
        // 122 px rows, 3 a frame: at 60 frames a second some 2 700 rows in 15 s, 13 pages of 200 loaded on the way
        measure("dashboard list, " + LIST_JOBS + " jobs, " + JOBS + " moving, scrolled 366 px a frame", 366);
    }

    @Test
    void theDashboardsPageOfAParentOfAThousandLiveChildren() throws IOException {
        String parent = createWith(server, "{\"type\":\"bench-parent\",\"name\":\"parent\",\"status\":\"running\"}");
        createJobs(parent);
        Chromium.driver().get(server.baseUrl() + "/?token=" + TestServer.TOKEN + "#/jobs/" + parent);
        Chromium.waitFor("the roll-up", Duration.ofSeconds(30), () -> "",
                d -> String.valueOf(Chromium.js("return document.getElementById('job-rollup').textContent"))
                        .contains(JOBS + " running"));
        produce(ids);
        Chromium.waitFor("children moving", Duration.ofSeconds(10), () -> "",
                d -> !String.valueOf(Chromium.js("return document.querySelector('.child-row .percent').textContent"))
                        .equals("0.0%"));
        measure("dashboard job page, " + JOBS + " children", 0);
    }

    private void createJobs(String parentId) {
        for (int i = 0; i < JOBS; i++) {
            ids.add(createWith(server, "{\"type\":\"bench\",\"name\":\"job " + i + "\",\"status\":\"running\""
                    + (parentId == null ? "" : ",\"parentId\":\"" + parentId + "\"") + "}"));
        }
    }

    /** Every job moves PER_SECOND times a second, in batches of 250 (under the 64 KiB request limit). */
    private void produce(List<String> moving) {
        producer.scheduleAtFixedRate(() -> {
            int r = round.incrementAndGet();
            for (int from = 0; from < moving.size(); from += 250) {
                ArrayNode batch = JSON.createArrayNode();
                for (String id : moving.subList(from, Math.min(moving.size(), from + 250))) {
                    batch.addObject().put("jobId", id).put("current", r % 1000).put("total", 1000)
                            .put("message", "round " + r);
                }
                int status = server.post("/api/v1/progress:batch", batch.toString()).statusCode();
                if (status != 200) {
                    System.err.println("browser bench: progress:batch answered " + status);
                }
            }
        }, 0, 1000 / PER_SECOND, TimeUnit.MILLISECONDS);
    }

    private void measure(String what, int scrollStep) throws IOException {
        if (Boolean.getBoolean("herald.bench.profile")) {
            profile();
        }
        Chromium.driver().manage().timeouts().scriptTimeout(Duration.ofMillis(MEASURE_MS + 10_000));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) Chromium.driver())
                .executeAsyncScript(MEASURE, MEASURE_MS, scrollStep);
        @SuppressWarnings("unchecked")
        List<Number> raw = (List<Number>) result.get("intervals");
        double[] frames = raw.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        assertThat(frames).isNotEmpty();
        double seconds = ((Number) result.get("seconds")).doubleValue();
        long late = Arrays.stream(frames).filter(f -> f > 17.7).count();
        double events = ((Number) result.get("events")).doubleValue();
        System.out.printf("browser bench: %s, each updated %d/s (%d rounds sent); %d frames in %.1f s; frame interval "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; frames over 17.7 ms: %d; long tasks: %s; "
                        + "events taken: %s; load average at the end: %s%n",
                what, PER_SECOND, round.get(), frames.length, seconds, percentile(frames, 50), percentile(frames, 99),
                frames[frames.length - 1], late, result.get("longTasks"),
                events < 0 ? "not counted" : String.format("%.0f/s", events / seconds),
                Files.readString(Path.of("/proc/loadavg")).trim());
    }

    /** Where the page's main thread spends its time: self time per function over 5 s, from the V8 profiler. */
    @SuppressWarnings("unchecked")
    private static void profile() {
        ChromeDriver chrome = (ChromeDriver) Chromium.driver();
        chrome.executeCdpCommand("Profiler.enable", Map.of());
        chrome.executeCdpCommand("Profiler.start", Map.of());
        ((JavascriptExecutor) chrome).executeAsyncScript("setTimeout(arguments[0], 5000)"); // the page runs meanwhile
        Map<String, Object> profile = (Map<String, Object>) chrome.executeCdpCommand("Profiler.stop", Map.of())
                .get("profile");
        Map<String, Long> self = new TreeMap<>();
        long total = 0;
        for (Map<String, Object> node : (List<Map<String, Object>>) profile.get("nodes")) {
            Map<String, Object> frame = (Map<String, Object>) node.get("callFrame");
            long hits = ((Number) node.getOrDefault("hitCount", 0)).longValue();
            self.merge(frame.get("functionName") + " " + frame.get("url") + ":" + frame.get("lineNumber"), hits, Long::sum);
            total += hits;
        }
        long all = total;
        self.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.printf("browser bench profile: %5.1f%% %s%n",
                        100.0 * e.getValue() / all, e.getKey()));
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
