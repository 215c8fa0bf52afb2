package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code herald keys create|list|revoke}: API keys, through a running server, with an admin token. */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class, sortOptions = false,
        description = {"Create, list and revoke API keys on a Herald server.",
                "Needs an admin token of all projects (--token, HERALD_TOKEN), e.g. the server's --admin-token."},
        subcommands = {KeysCommand.CreateKey.class, KeysCommand.ListKeys.class, KeysCommand.RevokeKey.class},
        footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
final class KeysCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list or revoke");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
            sortOptions = false,
            description = {"Create an API key and print its token. The token is shown this once: the server keeps "
                    + "only a hash of it."},
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class CreateKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--project", paramLabel = "PROJECT",
                description = "Required: the project the key may use, or * for all projects. Also HERALD_PROJECT.")
        String project;

        @Option(names = "--scope", paramLabel = "SCOPE",
                description = "Required: read (watch and read), write (also report and change jobs) or admin (also "
                        + "manage keys). Also HERALD_SCOPE.")
        String scope;

        @Option(names = "--name", paramLabel = "NAME",
                description = "A name to tell the key by; jobs it creates have it as their owner. Also HERALD_NAME.")
        String name;

        @Option(names = "--expires", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Lifetime of the key, e.g. 30d or 12h (default: never expires). Also HERALD_EXPIRES.")
        Duration expires;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            if (project == null || project.isBlank() || scope == null || scope.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--project and --scope are required");
            }
            return JobsCommand.call(spec, remote, (api, out) -> {
                JsonNode created = api.post("/keys", ApiClient.obj("project", project, "scope", scope, "name", name,
                        "expiresInSeconds", expires == null ? null : expires.toSeconds()));
                out.println("key " + created.at("/key/id").asText() + " created (" + scope + " on " + project + ")");
                out.println("token (shown once, store it now): " + created.path("token").asText());
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
            description = "List API keys: id, name, project, scope, and whether revoked or expired.",
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return JobsCommand.call(spec, remote, (api, out) -> {
                out.printf("%-14s %-20s %-16s %-6s %s%n", "ID", "NAME", "PROJECT", "SCOPE", "STATE");
                for (JsonNode k : api.get("/keys").path("items")) {
                    String state = !k.path("revokedAt").isNull() ? "revoked " + k.path("revokedAt").asText()
                            : !k.path("expiresAt").isNull() ? "expires " + k.path("expiresAt").asText() : "active";
                    out.printf("%-14s %-20s %-16s %-6s %s%n", k.path("id").asText(), k.path("name").asText(""),
                            k.path("project").asText(), k.path("scope").asText(), state);
                }
            });
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
            description = "Revoke an API key: new requests with it are refused at once, and its open streams close.",
            footer = ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
    static final class RevokeKey implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "KEY_ID", description = "The key to revoke (its id, from list).")
        String id;

        @Mixin
        RemoteOptions remote;

        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            return JobsCommand.call(spec, remote, "no such active key: " + id, (api, out) -> {
                api.post("/keys/" + id + "/revoke", ApiClient.obj());
                out.println("key " + id + " revoked");
            });
        }
    }
}
