package dev.herald.cli;

import dev.herald.server.edge.Limits;
import picocli.CommandLine.Option;

/**
 * The input limits of {@code herald serve} (API §6). Each field starts at its value in {@link Limits#defaults()},
 * which {@link CliDefaults} and the help take as the option's default.
 */
final class LimitFlags {
    private static final Limits DEFAULTS = Limits.defaults();

    @Option(names = "--max-body-bytes", paramLabel = "N",
            description = "Largest request body, in bytes (a complete body may add the largest result) "
                    + "(default: ${DEFAULT-VALUE}). Also HERALD_MAX_BODY_BYTES.")
    int maxBodyBytes = DEFAULTS.maxBodyBytes();

    @Option(names = "--max-message-chars", paramLabel = "N",
            description = "Longest progress, log or error message, in characters (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_MAX_MESSAGE_CHARS.")
    int maxMessageChars = DEFAULTS.maxMessageChars();

    @Option(names = "--max-metadata-bytes", paramLabel = "N",
            description = "Largest metadata object, in bytes of compact JSON (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_MAX_METADATA_BYTES.")
    int maxMetadataBytes = DEFAULTS.maxMetadataBytes();

    @Option(names = "--max-result-bytes", paramLabel = "N",
            description = "Largest job result, in bytes of compact JSON (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_MAX_RESULT_BYTES.")
    int maxResultBytes = DEFAULTS.maxResultBytes();

    @Option(names = "--max-json-depth", paramLabel = "N",
            description = "Deepest nesting of objects and arrays in a request (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_MAX_JSON_DEPTH.")
    int maxDepth = DEFAULTS.maxDepth();

    @Option(names = "--max-name-chars", paramLabel = "N",
            description = "Longest name, type, stage, unit, project or idempotency key, in characters "
                    + "(default: ${DEFAULT-VALUE}). Also HERALD_MAX_NAME_CHARS.")
    int maxNameChars = DEFAULTS.maxNameChars();

    @Option(names = "--max-stages", paramLabel = "N",
            description = "Most stages of one job (default: ${DEFAULT-VALUE}). Also HERALD_MAX_STAGES.")
    int maxStages = DEFAULTS.maxStages();

    @Option(names = "--max-batch-entries", paramLabel = "N",
            description = "Most entries of one progress batch (default: ${DEFAULT-VALUE}). Also HERALD_MAX_BATCH_ENTRIES.")
    int maxBatchEntries = DEFAULTS.maxBatchEntries();

    @Option(names = "--max-log-fields-bytes", paramLabel = "N",
            description = "Largest fields object of a log line, in bytes of compact JSON (default: ${DEFAULT-VALUE}). "
                    + "Also HERALD_MAX_LOG_FIELDS_BYTES.")
    int maxLogFieldsBytes = DEFAULTS.maxLogFieldsBytes();

    @Option(names = "--max-subscriptions", paramLabel = "N",
            description = "Most jobs one SSE request or WebSocket connection may subscribe to "
                    + "(default: ${DEFAULT-VALUE}). Also HERALD_MAX_SUBSCRIPTIONS.")
    int maxSubscriptions = DEFAULTS.maxSubscriptions();

    /** @throws IllegalArgumentException when a limit is not positive */
    Limits limits() {
        return new Limits(maxBodyBytes, maxMessageChars, maxMetadataBytes, maxResultBytes, maxDepth, maxNameChars,
                maxStages, maxBatchEntries, maxLogFieldsBytes, maxSubscriptions);
    }
}
