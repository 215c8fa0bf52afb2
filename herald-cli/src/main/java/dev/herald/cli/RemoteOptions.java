package dev.herald.cli;

import dev.herald.client.Herald;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.server.ServerOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** {@code --url} and {@code --token}: how the remote commands reach a server, through the Java SDK. */
final class RemoteOptions {
    /** A server started with the defaults of {@code herald serve}. */
    static final String DEFAULT_URL = "http://" + ServerOptions.defaults().host() + ":" + ServerOptions.defaults().port();
    /** A command line answers soon: a call the server could not answer is tried twice more, not the SDK's five. */
    private static final int RETRIES = 2;
    static final String NOT_FOUND = "no such job (or not readable with this token)";

    @Option(names = "--url", paramLabel = "URL",
            description = "The Herald server (default: ${DEFAULT-VALUE}). Also HERALD_URL.")
    String url = DEFAULT_URL;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API key or JWT sent as the bearer token. Also HERALD_TOKEN (preferred: "
                    + "a flag is visible to other users of the machine).")
    String token;

    /** A client of the server; {@link IllegalArgumentException} (a usage error) for a URL that is not http(s). */
    Herald client() {
        return Herald.builder().url(url).token(token).maxRetries(RETRIES).build();
    }

    /** What one request of a remote command does with the client. */
    interface Request {
        void run(Herald herald, PrintWriter out);
    }

    /** Runs {@code request}; a refusal is printed as the user should read it, and becomes the exit code. */
    int run(CommandSpec spec, String notFound, Request request) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Herald herald = client()) {
            request.run(herald, out);
            out.flush();
            return ExitCodes.OK;
        } catch (HeraldException e) {
            err.println("herald: " + explain(e, notFound));
            err.flush();
            return exitCode(e);
        }
    }

    /** The server's message, or what a 404 or 401 means for this command. */
    String explain(HeraldException e, String notFound) {
        if (e.code() == ErrorCode.NOT_FOUND) {
            return notFound;
        }
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            return "token refused" + (token == null || token.isBlank()
                    ? " (no token given: use --token or HERALD_TOKEN)" : "");
        }
        return e.field() == null ? e.getMessage() : e.getMessage() + " (field " + e.field() + ")";
    }

    static int exitCode(HeraldException e) {
        return e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.UNAUTHORIZED
                ? ExitCodes.NOT_FOUND_OR_REFUSED : ExitCodes.SERVER_ERROR;
    }
}
