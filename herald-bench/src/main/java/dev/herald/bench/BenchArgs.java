package dev.herald.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --name value} options of a benchmark, each with a default and a line of help.
 * Unknown options are refused, so a typo never silently runs the defaults.
 */
public final class BenchArgs {
    private final Map<String, String[]> known = new LinkedHashMap<>();
    private final Map<String, String> given = new LinkedHashMap<>();
    private final String usage;

    /** @param options triples of name (without {@code --}), default (null: none) and help */
    public BenchArgs(String usage, String[] args, String... options) {
        this.usage = usage;
        for (int i = 0; i + 2 < options.length; i += 3) {
            known.put(options[i], new String[] {options[i + 1], options[i + 2]});
        }
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(help());
                System.exit(0);
            }
            String name = a.startsWith("--") ? a.substring(2) : null;
            if (name == null || !known.containsKey(name) || i + 1 >= args.length) {
                System.err.println((name == null || !known.containsKey(name) ? "unknown option: " : "no value for: ") + a);
                System.err.println(help());
                System.exit(2);
            }
            given.put(name, args[++i]);
        }
    }

    public String text(String name) {
        return given.getOrDefault(name, known.get(name)[0]);
    }

    public int integer(String name) {
        return Integer.parseInt(text(name));
    }

    public String help() {
        StringBuilder b = new StringBuilder("usage: ").append(usage).append('\n');
        known.forEach((name, d) -> b.append(String.format("  --%-12s %s%s%n", name, d[1],
                d[0] == null ? "" : " (default " + d[0] + ")")));
        return b.toString();
    }

    /** The options in effect, for the report. */
    public String effective() {
        StringBuilder b = new StringBuilder();
        known.forEach((name, d) -> {
            if (!name.equals("token") && text(name) != null) {
                b.append(b.isEmpty() ? "" : " ").append("--").append(name).append(' ').append(text(name));
            }
        });
        return b.toString();
    }
}
