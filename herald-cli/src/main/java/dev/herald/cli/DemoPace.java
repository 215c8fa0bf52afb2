package dev.herald.cli;

/**
 * How the demo's simulated work passes time: real time for {@code herald demo}, faster in tests, which then wait
 * for what the demo produced instead of for the clock.
 */
interface DemoPace {
    /** Real time. */
    DemoPace REAL = ms -> Thread.sleep(Math.max(1, ms));

    /** Waits {@code ms} milliseconds of demo time. */
    void pause(long ms) throws InterruptedException;

    /** {@code factor} times faster than real time (20: a second of demo time passes in 50 ms). */
    static DemoPace faster(int factor) {
        return ms -> Thread.sleep(Math.max(1, ms / factor));
    }
}
