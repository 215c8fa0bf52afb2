package dev.herald.cli;

import dev.herald.server.ServerOptions;
import picocli.CommandLine.Option;

/** {@code --url} and {@code --token}: how the remote commands reach a server. */
final class RemoteOptions {
    /** A server started with the defaults of {@code herald serve}. */
    static final String DEFAULT_URL = "http://" + ServerOptions.defaults().host() + ":" + ServerOptions.defaults().port();

    @Option(names = "--url", paramLabel = "URL",
            description = "The Herald server (default: ${DEFAULT-VALUE}). Also HERALD_URL.")
    String url = DEFAULT_URL;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API key or JWT sent as the bearer token. Also HERALD_TOKEN (preferred: "
                    + "a flag is visible to other users of the machine).")
    String token;

    ApiClient client() {
        return new ApiClient(url, token);
    }
}
