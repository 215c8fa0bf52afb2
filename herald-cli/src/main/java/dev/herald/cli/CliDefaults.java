package dev.herald.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Where an option not given on the command line takes its value from, in order:
 * the {@code HERALD_*} environment variable named after its long name
 * ({@code --flush-interval} → {@code HERALD_FLUSH_INTERVAL}), then the
 * {@code --config} properties file (key = the long name without dashes,
 * {@code flush-interval=500ms}), then the built-in default. So: flags &gt;
 * environment &gt; config file &gt; defaults.
 *
 * <p>The built-in default is the initial value of the option's field, which the
 * commands take from the options classes ({@code ServerOptions.defaults()} and the
 * like), never from a literal of their own; {@link #text} writes it the way the
 * option reads it back, so the help's {@code ${DEFAULT-VALUE}} shows it too.
 *
 * <p>The config file must be known before picocli applies defaults, so
 * {@link #configFile} finds {@code --config FILE} (or {@code HERALD_CONFIG}) in the
 * arguments first.
 */
final class CliDefaults implements CommandLine.IDefaultValueProvider {
    static final String CONFIG_OPTION = "--config";
    static final String CONFIG_ENV = "HERALD_CONFIG";

    /** Options that are not settings: never read from the environment or the file. */
    private static final Set<String> NOT_SETTINGS = Set.of("help", "version", "config");

    static final String FOOTER = "%nEvery option can also be set with a HERALD_* environment variable named after it "
            + "(--flush-interval -> HERALD_FLUSH_INTERVAL, --token -> HERALD_TOKEN), or in a Java properties file "
            + "given with --config FILE (or HERALD_CONFIG) whose keys are the long option names "
            + "(port=9090, flush-interval=500ms, admin-token=...).%n"
            + "Precedence: flags > environment variables > config file > defaults.%n";

    private final Map<String, String> env;
    private final Properties config;

    CliDefaults(Map<String, String> env, Properties config) {
        this.env = env;
        this.config = config;
    }

    /** The environment variable of an option: {@code --flush-interval} → {@code HERALD_FLUSH_INTERVAL}. */
    static String envName(String longName) {
        return "HERALD_" + strip(longName).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String strip(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '-') {
            i++;
        }
        return name.substring(i);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String key = strip(option.longestName());
        if (NOT_SETTINGS.contains(key)) {
            return null;
        }
        String v = env.get(envName(key));
        if (v != null && !v.isBlank()) {
            return v.trim();
        }
        v = config.getProperty(key);
        return v != null ? v.trim() : text(option.initialValue());
    }

    /**
     * A default as an option reads it: {@code 200ms} for a duration, {@code info} for a choice, {@code 200} for a
     * whole rate, {@code a,b} for a list; null for no value (null or an empty list).
     */
    static String text(Object value) {
        if (value == null || value instanceof Collection<?> c && c.isEmpty()) {
            return null;
        }
        if (value instanceof Duration d) {
            return DurationConverter.format(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    /**
     * The config file named by {@code --config FILE} / {@code --config=FILE} in
     * {@code args} (before a {@code --}), else by {@code HERALD_CONFIG}, else null.
     */
    static Path configFile(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (a.startsWith(CONFIG_OPTION + "=")) {
                return Path.of(a.substring(CONFIG_OPTION.length() + 1));
            }
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv.trim());
    }

    /**
     * Reads the config file; every key must be the long name of some option of
     * some command (a typo should not silently do nothing).
     *
     * @throws IllegalArgumentException with a message for the user
     */
    static Properties load(Path file, CommandLine root) {
        Properties p = new Properties();
        if (file == null) {
            return p;
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config file " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        Set<String> known = settingNames(root.getCommandSpec());
        List<String> unknown = new ArrayList<>();
        for (String key : p.stringPropertyNames()) {
            if (!known.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new IllegalArgumentException("config file " + file + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " (known keys: " + String.join(", ", known) + ")");
        }
        return p;
    }

    /** The long names (without dashes) of every option of every command that can be set from the environment or a file. */
    static Set<String> settingNames(CommandSpec spec) {
        Set<String> names = new TreeSet<>();
        collect(spec, names);
        return names;
    }

    private static void collect(CommandSpec spec, Set<String> names) {
        for (OptionSpec o : spec.options()) {
            String key = strip(o.longestName());
            if (!NOT_SETTINGS.contains(key)) {
                names.add(key);
            }
        }
        for (CommandLine sub : spec.subcommands().values()) {
            collect(sub.getCommandSpec(), names);
        }
    }
}
