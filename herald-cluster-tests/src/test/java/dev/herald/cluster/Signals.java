package dev.herald.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Signals that {@link Process} cannot send: SIGSTOP and SIGCONT, through kill(1). */
final class Signals {
    private Signals() {
    }

    static void send(String signal, Process process) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
