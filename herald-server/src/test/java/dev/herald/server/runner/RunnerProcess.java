package dev.herald.server.runner;

import dev.herald.client.Herald;
import dev.herald.client.Runner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker in a JVM of its own, for the test that kills it: {@code RunnerProcess URL TOKEN TYPE LEASE_MS} runs the
 * jobs of {@code TYPE} with a handler that logs its start and then never ends, and prints {@code ready} once its
 * runner is started.
 */
public final class RunnerProcess {
    private RunnerProcess() {
    }

    public static void main(String[] args) throws InterruptedException {
        Herald herald = Herald.remote(args[0], args[1]);
        long pid = ProcessHandle.current().pid();
        Runner.builder(herald).handle(args[2], ctx -> {
            ctx.info("attempt " + ctx.attempt() + " started in process " + pid);
            new CountDownLatch(1).await();
            return null;
        }).lease(Duration.ofMillis(Long.parseLong(args[3]))).worker("process-" + pid).start();
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
