package dev.herald.cli;

/** Exit codes of the {@code herald} command, listed in {@code herald --help}. */
final class ExitCodes {
    static final int OK = 0;
    /** {@code watch}: the job failed. */
    static final int JOB_FAILED = 1;
    /**
     * Bad usage or bad configuration: picocli's own usage code, every bad option value (checked before anything
     * is sent), and {@code serve}/{@code demo} start errors.
     */
    static final int USAGE = 2;
    /** {@code watch}: the job was cancelled. */
    static final int JOB_CANCELLED = 3;
    /** No such job (or not readable with this token), or the token was refused. */
    static final int NOT_FOUND_OR_REFUSED = 4;
    /** The server refused the request for another reason, answered with an error, or could not be reached. */
    static final int SERVER_ERROR = 5;

    static final String HELP_TEXT = "%nExit codes:%n"
            + "  0  success (watch: the job completed)%n"
            + "  1  watch: the job failed%n"
            + "  2  bad usage (a missing argument, an unknown option, a bad option value) or bad configuration%n"
            + "  3  watch: the job was cancelled%n"
            + "  4  no such job (or not readable with this token), or token refused%n"
            + "  5  the server refused the request, failed, or could not be reached%n";

    private ExitCodes() {
    }
}
