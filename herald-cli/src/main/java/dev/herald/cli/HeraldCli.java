package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The {@code herald} command: {@code serve}, {@code demo}, {@code watch} and
 * {@code jobs list|show|cancel}. Options come from flags, then {@code HERALD_*}
 * environment variables, then a {@code --config} properties file, then defaults
 * (see {@link CliDefaults}).
 */
@Command(name = "herald", mixinStandardHelpOptions = true, versionProvider = HeraldCli.Version.class,
        description = "Herald: real-time progress for long-running jobs.",
        subcommands = {ServeCommand.class, DemoCommand.class, WatchCommand.class, JobsCommand.class, KeysCommand.class,
                HelpCommand.class},
        footer = "%nExamples:%n"
                + "  herald demo                      a dev server with demonstration jobs%n"
                + "  herald serve --dev               a dev server on 127.0.0.1:8080%n"
                + "  HERALD_ADMIN_TOKEN=... herald serve --host 0.0.0.0 --data /var/lib/herald%n"
                + "  herald watch j_01JD... --token T a live progress bar%n"
                + "  herald jobs list --status running%n"
                + "Run 'herald COMMAND --help' for a command's options.%n"
                + ExitCodes.HELP_TEXT + CliDefaults.FOOTER)
public final class HeraldCli implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: serve, demo, watch, jobs or keys");
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line; returns the exit code (see {@link ExitCodes}). */
    public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(out, err);
        Properties config;
        try {
            Path file = CliDefaults.configFile(args, env);
            config = CliDefaults.load(file, cli);
        } catch (IllegalArgumentException e) {
            err.println("herald: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        cli.setDefaultValueProvider(new CliDefaults(env, config));
        return cli.execute(args);
    }

    /** The command line without defaults from the environment or a file (they are set by {@link #execute}). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new HeraldCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            // the message and where to read more, not the whole usage text
            CommandLine c = e.getCommandLine();
            PrintWriter w = c.getErr();
            w.println("herald: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, w);
            w.println("Run '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            w.flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
                commandLine.getErr().println("herald: " + e.getMessage());
                commandLine.getErr().flush();
                return ExitCodes.USAGE;
            }
            throw e;
        });
        return cli;
    }

    /** The version from the jar's manifest ({@code Implementation-Version}), or "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HeraldCli.class.getPackage().getImplementationVersion();
            return new String[]{"herald " + (v == null ? "(development build)" : v),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
