package dev.herald.client;

/**
 * The progress one poll of a third-party API shows, as a {@link ProgressPoller} reports it:
 * {@code Polled.progress("generation", s.done(), s.total()).message(s.phase())}. Immutable. Reported through a
 * {@link Reporter}, so the job's stages and weights apply and the same checks hold (a stage the job does not
 * have, {@code done} above {@code total}: the poll counts as failed).
 */
public final class Polled {
    private final String stage;
    private final Double done;
    private final Double total;
    private final Double percent;
    private final String message;

    private Polled(String stage, Double done, Double total, Double percent, String message) {
        this.stage = stage;
        this.done = done;
        this.total = total;
        this.percent = percent;
        this.message = message;
    }

    /** {@code done} units of {@code total} in one of the job's stages. */
    public static Polled progress(String stage, double done, double total) {
        return new Polled(Arguments.text(stage, "stage"), done, total, null, null);
    }

    /** {@code done} units of {@code total}, for a job without stages (or in the stage it is in). */
    public static Polled progress(double done, double total) {
        return new Polled(null, done, total, null, null);
    }

    /** A percent (0 to 100), for an API that tells no counts. */
    public static Polled percent(double percent) {
        return new Polled(null, null, null, percent, null);
    }

    /** A line for people ("Rendering frames"); null for none. */
    public Polled message(String text) {
        return new Polled(stage, done, total, percent, text);
    }

    void reportTo(Reporter r) {
        if (stage != null) {
            r.stage(stage);
        }
        if (done != null) {
            r.progress(done, total);
        }
        if (percent != null) {
            r.percent(percent);
        }
        if (message != null) {
            r.message(message);
        }
    }
}
