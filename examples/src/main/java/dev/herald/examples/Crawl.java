package dev.herald.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.client.Herald;
import dev.herald.client.JobContext;
import dev.herald.client.JobFilter;
import dev.herald.client.JobSpec;
import dev.herald.client.Runner;
import dev.herald.core.model.Job;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * A crawl run by 8 workers in two JVMs (SDK.md §7): the {@code crawl} job reads the site's map and enqueues one
 * {@code page} child per page; {@link Runner}s with 4 workers each, in this JVM and in a second one this program
 * starts, claim the pages as they come. Run: {@code java -cp ... dev.herald.examples.Crawl [URL TOKEN]} (the
 * second JVM runs {@code Crawl URL TOKEN --worker}).
 */
public final class Crawl {
    static final int PAGES = 100;
    static final int WORKERS_PER_JVM = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Site(String root, int pages) {
    }

    record Page(String url) {
    }

    private Crawl() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[2].equals("--worker")) {
            Herald herald = Connect.herald(args);
            Runner runner = workers(herald);
            Runtime.getRuntime().addShutdownHook(new Thread(runner::close)); // a graceful stop gives its jobs back
            System.out.println("ready");
            return; // the runner's threads keep this JVM alive
        }
        try (Herald herald = Connect.herald(args); Runner runner = workers(herald)) {
            Process other = secondJvm(args);
            try {
                Job crawl = runner.enqueue(JobSpec.of("crawl").name("Crawl example.com")
                        .input(new Site("https://example.com", PAGES)));
                Job done = herald.awaitFinished(crawl.id(), Duration.ofMinutes(2));
                Map<?, ?> result = JSON.readValue(done.result().text(), Map.class);
                Map<?, ?> byWorker = (Map<?, ?>) result.get("byWorker");
                System.out.println("crawl " + done.status().wire() + ": " + result.get("pages") + " pages by "
                        + byWorker.size() + " JVMs " + byWorker);
            } finally {
                other.destroy();
                other.waitFor();
            }
        }
    }

    private static Runner workers(Herald herald) {
        return Runner.builder(herald)
                .handle("crawl", ctx -> crawl(herald, ctx))
                .handle("page", Crawl::fetch)
                .concurrency(WORKERS_PER_JVM)
                .worker("crawler-" + ProcessHandle.current().pid())
                .start();
    }

    /** Enqueues a page per entry of the site's map, then follows the pages to their end. */
    private static Map<String, Object> crawl(Herald herald, JobContext ctx) throws Exception {
        Site site = ctx.input(Site.class);
        ctx.stage("pages").unit("pages").progress(0, site.pages());
        for (int i = 1; i <= site.pages(); i++) {
            ctx.child(JobSpec.of("page").name("page " + i).input(new Page(site.root() + "/page/" + i)));
        }
        int done = 0;
        while (done < site.pages()) {
            ctx.throwIfCancelled();
            Thread.sleep(100);
            Job self = herald.get(ctx.jobId());
            done = self.children() == null ? 0 : self.children().completed() + self.children().failed();
            ctx.progress(done, site.pages());
        }
        Map<String, Integer> byWorker = new TreeMap<>();
        for (Job page : herald.list(JobFilter.all().parentId(ctx.jobId()).limit(site.pages())).items()) {
            String worker = JSON.readTree(page.result().text()).get("worker").asText();
            byWorker.merge(worker, 1, Integer::sum);
        }
        return Map.of("pages", done, "byWorker", byWorker);
    }

    /** A page "fetched": a few tens of milliseconds, as a real fetch would take. */
    private static Map<String, Object> fetch(JobContext ctx) throws InterruptedException {
        Page page = ctx.input(Page.class);
        Thread.sleep(20 + Math.floorMod(page.url().hashCode(), 30));
        return Map.of("url", page.url(), "links", Math.floorMod(page.url().hashCode(), 7),
                "worker", ctx.job().lease().worker());
    }

    /** The second JVM's workers, started before the crawl so that both JVMs share its pages. */
    private static Process secondJvm(String[] args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String url = args.length >= 2 ? args[0] : System.getenv().getOrDefault("HERALD_URL", Herald.DEFAULT_URL);
        String token = args.length >= 2 ? args[1] : System.getenv().getOrDefault("HERALD_TOKEN", "");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Crawl.class.getName(),
                url, token, "--worker").redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.equals("ready")) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "second-jvm-output");
                drain.setDaemon(true);
                drain.start();
                return p;
            }
        }
        throw new IllegalStateException("the second JVM exited with " + p.waitFor());
    }
}
