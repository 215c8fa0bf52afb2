package dev.herald.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --config FILE} option every command accepts. Its value is read before
 * parsing (see {@link CliDefaults#configFile}); this mixin only declares and documents it.
 */
final class ConfigOption {
    @Option(names = CliDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Java properties file with default values for the options, keyed by long option name "
                    + "(e.g. port=9090). Also HERALD_CONFIG.")
    Path config;
}
