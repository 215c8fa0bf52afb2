package dev.herald.server.sdk;

import dev.herald.client.Herald;
import dev.herald.client.JobFilter;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.core.model.LogLine;
import dev.herald.core.model.RawJson;
import dev.herald.server.support.TestServer;
import org.junit.jupiter.api.Test;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java SDK example, taken from the README as it is, compiled, and run as a program of its own
 * (HERALD_URL and HERALD_TOKEN in its environment) against a real server: the example cannot rot.
 */
class SdkReadmeExampleTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

    @Test
    void theReadmesExampleRunsAgainstARealServer() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        Matcher block = JAVA_BLOCK.matcher(readme.substring(readme.indexOf("## Java SDK")));
        assertThat(block.find()).as("a java block in the README's Java SDK section").isTrue();
        String source = block.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).isTrue();

        Path dir = Files.createTempDirectory("herald-readme");
        try (TestServer server = TestServer.start()) {
            Path file = dir.resolve(name.group(1) + ".java");
            Files.writeString(file, source);
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            int compiled = javac.run(null, errors, errors, "-d", dir.toString(), "-cp", classPath, file.toString());
            assertThat(compiled).as("javac: %s", errors.toString(StandardCharsets.UTF_8)).isZero();

            ProcessBuilder run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", dir + File.pathSeparator + classPath, name.group(1)).redirectErrorStream(true);
            run.environment().put("HERALD_URL", server.baseUrl());
            run.environment().put("HERALD_TOKEN", TestServer.TOKEN);
            Process p = run.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the example ends").isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();

            try (Herald herald = Herald.remote(server.baseUrl(), TestServer.TOKEN)) {
                List<Job> jobs = herald.list(JobFilter.all().type("import-csv")).items();
                assertThat(jobs).hasSize(1);
                Job job = jobs.get(0);
                assertThat(job.status()).isEqualTo(JobStatus.COMPLETED);
                assertThat(job.progress().stage()).isEqualTo("loading");
                assertThat(job.progress().current()).isEqualTo(1000.0);
                assertThat(job.result()).isEqualTo(new RawJson("{\"rows\":1000}"));
                assertThat(herald.logs(job.id(), 0, 10)).extracting(LogLine::message).containsExactly("loaded 1000 rows");
            }
        } finally {
            TestServer.deleteRecursively(dir);
        }
    }
}
