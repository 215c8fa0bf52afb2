package dev.herald.server.cli;

import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}: how the remote commands reach a server. */
final class RemoteOptions {
    static final String DEFAULT_URL = "http://127.0.0.1:8080";

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:HERALD_URL:-" + DEFAULT_URL + "}",
            description = "The Herald server (default: ${DEFAULT-VALUE}). Also HERALD_URL.")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:HERALD_TOKEN}",
            description = "API key or JWT sent as the bearer token. Also HERALD_TOKEN (preferred: "
                    + "a flag is visible to other users of the machine).")
    String token;

    ApiClient client() {
        return new ApiClient(url, token);
    }
}
