package dev.herald.server.browser;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.herald.server.auth.AuthOptions;
import dev.herald.server.support.Chromium;
import dev.herald.server.support.TestServer;
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
 * The browser benchmark of BENCHMARKS.md (not part of the build; run with -Dherald.bench=true): a page watching
 * 1 000 running jobs, each moved 10 times a second through progress:batch, frame intervals measured in the page
 * with requestAnimationFrame and the Performance API (long tasks) in headless Chromium. With
 * -Dherald.bench.profile=true it first prints where the page's main thread spends its time.
 */
@EnabledIfSystemProperty(named = "herald.bench", matches = "true")
class BrowserFrameBench {
    private static final int JOBS = Integer.getInteger("herald.bench.jobs", 1000);
    private static final int PER_SECOND = 10;
    private static final int MEASURE_MS = 15_000;

    @Test
    void thousandLiveJobsTenUpdatesASecondEach() throws Exception {
        try (TestServer server = TestServer.start(o -> o.withAuth(AuthOptions.defaults().withWriteLimit(1e9, 1_000_000)))) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add(createWith(server, "{\"type\":\"bench\",\"name\":\"job " + i + "\",\"status\":\"running\"}"));
            }
            Chromium.driver().get(server.baseUrl() + "/test/bench.html");
            Chromium.js("startBench(arguments[0], arguments[1])", TestServer.TOKEN, ids);
            Chromium.waitFor("every snapshot", Duration.ofSeconds(30), () -> "delivered=" + Chromium.js("return delivered"),
                    d -> ((Number) Chromium.js("return delivered")).intValue() >= JOBS);

            AtomicInteger round = new AtomicInteger();
            ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
            producer.scheduleAtFixedRate(() -> {
                int r = round.incrementAndGet();
                // batches of 250 keep each body under the 64 KiB request limit
                for (int from = 0; from < ids.size(); from += 250) {
                    ArrayNode batch = JSON.createArrayNode();
                    for (String id : ids.subList(from, Math.min(ids.size(), from + 250))) {
                        batch.addObject().put("jobId", id).put("current", r % 100_000).put("total", 100_000)
                                .put("message", "round " + r);
                    }
                    int status = server.post("/api/v1/progress:batch", batch.toString()).statusCode();
                    if (status != 200) {
                        System.err.println("browser bench: progress:batch answered " + status);
                    }
                }
            }, 0, 1000 / PER_SECOND, TimeUnit.MILLISECONDS);
            try {
                Chromium.waitFor("updates flowing", Duration.ofSeconds(10), () -> "",
                        d -> ((Number) Chromium.js("return delivered")).intValue() > 3 * JOBS);
                if (Boolean.getBoolean("herald.bench.profile")) {
                    profile();
                }
                Chromium.driver().manage().timeouts().scriptTimeout(Duration.ofMillis(MEASURE_MS + 10_000));
                @SuppressWarnings("unchecked")
                Map<String, Object> result = (Map<String, Object>) ((JavascriptExecutor) Chromium.driver())
                        .executeAsyncScript("measure(arguments[0], arguments[arguments.length - 1])", MEASURE_MS);
                report(result, round.get());
            } finally {
                producer.shutdownNow();
                Chromium.driver().get("about:blank");
            }
        }
    }

    private static void report(Map<String, Object> result, int rounds) throws IOException {
        System.out.println("browser bench: load average at the end " + Files.readString(Path.of("/proc/loadavg")).trim());
        @SuppressWarnings("unchecked")
        List<Number> raw = (List<Number>) result.get("intervals");
        double[] frames = raw.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        assertThat(frames).isNotEmpty();
        double seconds = ((Number) result.get("seconds")).doubleValue();
        long over16 = Arrays.stream(frames).filter(f -> f > 16.7 + 1).count();
        System.out.printf("browser bench: %d jobs x %d/s (%d rounds sent); %d frames in %.1f s; frame interval "
                        + "p50 %.1f ms, p99 %.1f ms, max %.1f ms; frames over 17.7 ms: %d; long tasks: %s; "
                        + "events taken %.0f/s%n",
                JOBS, PER_SECOND, rounds, frames.length, seconds, percentile(frames, 50), percentile(frames, 99),
                frames[frames.length - 1], over16, result.get("longTasks"),
                ((Number) result.get("events")).doubleValue() / seconds);
    }

    /** Where the page's main thread spends its time: self time per function over 5 s, from the V8 profiler. */
    @SuppressWarnings("unchecked")
    private static void profile() {
        ChromeDriver chrome = (ChromeDriver) Chromium.driver();
        chrome.executeCdpCommand("Profiler.enable", Map.of());
        chrome.executeCdpCommand("Profiler.start", Map.of());
        ((JavascriptExecutor) chrome).executeAsyncScript("setTimeout(arguments[0], 5000)"); // the page runs meanwhile
        Map<String, Object> profile = (Map<String, Object>) chrome.executeCdpCommand("Profiler.stop", Map.of()).get("profile");
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
                .forEach(e -> System.out.printf("browser bench profile: %5.1f%% %s%n", 100.0 * e.getValue() / all, e.getKey()));
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
