package dev.herald.examples;

import dev.herald.client.Herald;
import dev.herald.client.JobSpec;
import dev.herald.client.Polled;
import dev.herald.client.ProgressPoller;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Work done elsewhere, followed by polling: an image generation API (here a fake one that advances with time) is
 * asked for its status every 200 ms, and a {@link ProgressPoller} reports it into a job of two weighted stages
 * ({@code queued} 10, {@code generation} 90). Run: {@code java -cp ... dev.herald.examples.ImageGenerationPoller
 * [URL TOKEN]}.
 */
public final class ImageGenerationPoller {
    private ImageGenerationPoller() {
    }

    /** What the upstream answers about a task. */
    record TaskStatus(String state, int frames, int totalFrames) {
    }

    /** A stand-in for a third-party API: a task waits in its queue a moment, then renders a frame every 40 ms. */
    static final class FakeImageApi {
        static final int FRAMES = 24;
        private final long startedAt = System.nanoTime();

        TaskStatus status() {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
            if (ms < 300) {
                return new TaskStatus("queued", 0, FRAMES);
            }
            int frames = (int) Math.min(FRAMES, (ms - 300) / 40);
            return new TaskStatus(frames == FRAMES ? "done" : "rendering", frames, FRAMES);
        }
    }

    public static void main(String[] args) throws Exception {
        try (Herald herald = Connect.herald(args)) {
            Job job = herald.create(JobSpec.of("generate-image").name("Generate 'a lighthouse at dusk'")
                    .stage("queued", 10).stage("generation", 90).status(JobStatus.RUNNING));
            System.out.println("polling into job " + job.id());
            FakeImageApi upstream = new FakeImageApi();
            Job done = ProgressPoller.builder(herald, job.id(), upstream::status)
                    .every(Duration.ofMillis(200))
                    .map(s -> s.state().equals("queued") ? Polled.progress("queued", 0, 1).message("In the queue")
                            : Polled.progress("generation", s.frames(), s.totalFrames()).message("Rendering frames"))
                    .completeWhen(s -> s.state().equals("done"), s -> Map.of("frames", s.frames()))
                    .failWhen(s -> s.state().equals("error"), s -> "the generation failed upstream")
                    .start()
                    .get(1, TimeUnit.MINUTES);
            System.out.println("poller finished: " + done.status().wire() + " " + done.result().text());
        }
    }
}
