package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code herald watch} prints. On a terminal: the progress line (and the
 * children line of a parent) redrawn in place, with log lines and notes printed
 * above it. Elsewhere (a pipe, a file, a CI log): one line per change, no control
 * characters.
 */
final class WatchDisplay {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

    private final PrintWriter out;
    private final boolean terminal;
    private final int width;
    private final ZoneId zone;

    /** Terminal: the lines currently drawn at the bottom (redrawn in place). */
    private List<String> drawn = List.of();
    /** Plain: the last printed progress and children lines. */
    private String lastLine;
    private String lastChildren;

    WatchDisplay(PrintWriter out, boolean terminal, int width, ZoneId zone) {
        this.out = out;
        this.terminal = terminal;
        this.width = Math.max(40, width);
        this.zone = zone;
    }

    /** For the real terminal: ANSI redraw when stdout is a terminal, plain lines otherwise. */
    static WatchDisplay forConsole(PrintWriter out, Map<String, String> env) {
        boolean terminal = isTerminal() && !"dumb".equals(env.get("TERM"));
        int width = 100;
        try {
            String columns = env.get("COLUMNS");
            if (columns != null) {
                width = Integer.parseInt(columns.trim());
            }
        } catch (NumberFormatException ignored) {
            // keep the default
        }
        return new WatchDisplay(out, terminal, terminal ? width - 1 : 400, ZoneId.systemDefault());
    }

    /** True when stdout and stdin are a terminal ({@code System.console()}, and on Java 22+ {@code Console.isTerminal()}). */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true;
        }
    }

    /** Shows the job's state (from any event carrying {@code job}). */
    void job(JsonNode job) {
        String line = ProgressLine.render(job, width);
        String children = ProgressLine.childrenLine(job);
        if (terminal) {
            List<String> lines = new ArrayList<>(2);
            lines.add(line);
            if (children != null) {
                lines.add(ProgressLine.shorten(children, width));
            }
            if (!lines.equals(drawn)) {
                clear();
                draw(lines);
            }
        } else {
            if (!line.equals(lastLine)) {
                out.println(line);
                lastLine = line;
            }
            if (children != null && !children.equals(lastChildren)) {
                out.println(children);
                lastChildren = children;
            }
            out.flush();
        }
    }

    /** Prints a log line (the {@code log} object of a log event) above the progress. */
    void log(JsonNode log) {
        above(formatLog(log));
    }

    String formatLog(JsonNode log) {
        StringBuilder b = new StringBuilder();
        String time = log.path("time").asText("");
        try {
            b.append(CLOCK.format(Instant.parse(time).atZone(zone)));
        } catch (DateTimeParseException e) {
            b.append(time.isEmpty() ? "--:--:--" : time);
        }
        b.append(' ').append(String.format(Locale.ROOT, "%-5s", log.path("level").asText("info").toUpperCase(Locale.ROOT)));
        b.append(' ').append(log.path("message").asText(""));
        JsonNode fields = log.path("fields");
        if (fields.isObject()) {
            for (Map.Entry<String, JsonNode> f : fields.properties()) {
                b.append(' ').append(f.getKey()).append('=')
                        .append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue().toString());
            }
        }
        return b.toString();
    }

    /** Prints a line above the progress (a log line, a note about the connection). */
    void above(String text) {
        if (terminal && !drawn.isEmpty()) {
            List<String> keep = drawn;
            clear();
            out.println(text);
            draw(keep);
        } else {
            out.println(text);
            out.flush();
        }
    }

    /** Leaves the progress on screen and moves below it (before the final message and exit). */
    void end() {
        if (terminal && !drawn.isEmpty()) {
            out.println();
            drawn = List.of();
        }
        out.flush();
    }

    private void clear() {
        if (drawn.isEmpty()) {
            return;
        }
        StringBuilder b = new StringBuilder("\r");
        if (drawn.size() > 1) {
            b.append("\033[").append(drawn.size() - 1).append('A');
        }
        b.append("\033[J");
        out.print(b);
        drawn = List.of();
    }

    private void draw(List<String> lines) {
        out.print(String.join("\n", lines));
        out.flush();
        drawn = List.copyOf(lines);
    }
}
