package dev.herald.cli;

import dev.herald.client.keys.CreatedKey;
import dev.herald.client.keys.KeyInfo;
import dev.herald.client.keys.NewKey;
import dev.herald.core.auth.Scope;
import dev.herald.json.Times;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.Locale;
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
            Scope wanted = Scope.fromWire(scope.trim().toLowerCase(Locale.ROOT)).orElseThrow(() ->
                    new ParameterException(spec.commandLine(), "--scope must be read, write or admin, not " + scope));
            return remote.run(spec, RemoteOptions.NOT_FOUND, (herald, out) -> {
                CreatedKey created = herald.keys().create(NewKey.of(project, wanted).name(name).expiresIn(expires));
                out.println("key " + created.key().id() + " created (" + wanted.wire() + " on " + project + ")");
                out.println("token (shown once, store it now): " + created.token());
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
            return remote.run(spec, RemoteOptions.NOT_FOUND, (herald, out) -> {
                out.printf("%-14s %-20s %-16s %-6s %s%n", "ID", "NAME", "PROJECT", "SCOPE", "STATE");
                for (KeyInfo k : herald.keys().list()) {
                    String state = k.revokedAt() != null ? "revoked " + Times.format(k.revokedAt())
                            : k.expiresAt() != null ? "expires " + Times.format(k.expiresAt()) : "active";
                    out.printf("%-14s %-20s %-16s %-6s %s%n", k.id(), k.name() == null ? "" : k.name(), k.project(),
                            k.scope().wire(), state);
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
            return remote.run(spec, "no such active key: " + id, (herald, out) -> {
                herald.keys().revoke(id);
                out.println("key " + id + " revoked");
            });
        }
    }
}
