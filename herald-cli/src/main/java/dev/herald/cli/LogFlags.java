package dev.herald.cli;

import dev.herald.server.logging.LogOptions;
import dev.herald.server.logging.LogSetup;
import picocli.CommandLine.Option;

/**
 * How a command that runs a server logs. Each field starts at its value in {@link LogOptions#defaults()},
 * which {@link CliDefaults} and the help take as the option's default.
 */
final class LogFlags {
    private static final LogOptions DEFAULTS = LogOptions.defaults();

    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "Least severe log lines written: trace, debug, info, warn or error; at info, the connection "
                    + "pool's start and stop lines are left out (default: ${DEFAULT-VALUE}). Also HERALD_LOG_LEVEL.")
    LogOptions.Level level = DEFAULTS.level();

    @Option(names = "--log-format", paramLabel = "FORMAT",
            description = "text, or json: one object a line with time, level, logger, thread, message and, for an "
                    + "error, stack (default: ${DEFAULT-VALUE}). Logs go to standard error. Also HERALD_LOG_FORMAT.")
    LogOptions.Format format = DEFAULTS.format();

    LogOptions options() {
        return new LogOptions(level, format);
    }

    /** Logs of this process from now on follow the flags. */
    void apply() {
        LogSetup.apply(options());
    }
}
