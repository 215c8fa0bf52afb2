package dev.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of a job's progress as {@code herald watch} shows it:
 * <pre>[#########-----------]  45.0%  loading 400/1000 rows  Loading rows  ETA 41s (30s-1m05s)</pre>
 * with {@code STALLED} and {@code overdue} after the counts when the server says so (API §10), and, for a parent, a second line with its children's summary. Pure functions of
 * the job's JSON (API §1), so they are unit-tested without a terminal.
 */
final class ProgressLine {
    static final int BAR_WIDTH = 20;

    private ProgressLine() {
    }

    /** The progress line, at most {@code maxWidth} characters (the message is shortened first). */
    static String render(JsonNode job, int maxWidth) {
        JsonNode progress = job.path("progress");
        String status = job.path("status").asText("");
        double percent = "completed".equals(status) ? 100 : progress.path("percent").asDouble(0);
        percent = Math.max(0, Math.min(100, percent));

        String head = bar(percent) + " " + String.format(Locale.ROOT, "%5.1f%%", percent);
        List<String> parts = new ArrayList<>();
        if (!"running".equals(status) && !status.isEmpty()) {
            parts.add(status);
        }
        String counts = counts(progress);
        String stage = text(progress, "stage");
        if (stage != null && counts != null) {
            parts.add(stage + " " + counts);
        } else if (stage != null) {
            parts.add(stage);
        } else if (counts != null) {
            parts.add(counts);
        }
        if (job.path("stalled").asBoolean(false)) {
            parts.add("STALLED");
        }
        if (job.path("overdue").asBoolean(false)) {
            parts.add("overdue");
        }
        String eta = "running".equals(status) ? eta(job.path("eta")) : null;
        String message = text(progress, "message");

        StringBuilder line = new StringBuilder(head);
        for (String p : parts) {
            line.append("  ").append(p);
        }
        String tail = eta == null ? "" : "  " + eta;
        if (message != null) {
            message = message.replaceAll("\\s+", " ").trim();
            int room = maxWidth - line.length() - tail.length() - 2;
            if (room >= 8 && !message.isEmpty()) {
                line.append("  ").append(shorten(message, room));
            }
        }
        line.append(tail);
        return line.length() > maxWidth ? shorten(line.toString(), maxWidth) : line.toString();
    }

    /** The second line of a parent ({@code children.text}), or null for a job without children. */
    static String childrenLine(JsonNode job) {
        JsonNode children = job.path("children");
        if (!children.isObject()) {
            return null;
        }
        String text = text(children, "text");
        if (text == null) {
            text = children.path("completed").asLong() + " of " + children.path("total").asLong() + " completed";
        }
        return "  children: " + text;
    }

    static String bar(double percent) {
        int filled = (int) Math.floor(Math.max(0, Math.min(100, percent)) / 100.0 * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    /** {@code 400/1000 rows}, {@code 400 rows}, or null without {@code current}. */
    static String counts(JsonNode progress) {
        JsonNode current = progress.path("current");
        if (!current.isNumber()) {
            return null;
        }
        StringBuilder b = new StringBuilder(number(current));
        if (progress.path("total").isNumber()) {
            b.append('/').append(number(progress.path("total")));
        }
        String unit = text(progress, "unit");
        if (unit != null) {
            b.append(' ').append(unit);
        }
        return b.toString();
    }

    /** {@code ETA 41s}, {@code ETA 3m05s (2m10s-5m00s)} with a range that says more than the estimate, or null. */
    static String eta(JsonNode eta) {
        JsonNode ms = eta.path("remainingMs");
        if (!ms.isNumber()) {
            return null;
        }
        String text = "ETA " + duration(Math.max(0, ms.asLong()));
        JsonNode low = eta.path("low");
        JsonNode high = eta.path("high");
        if (low.isNumber() && high.isNumber()) {
            String from = duration(Math.max(0, low.asLong()));
            String to = duration(Math.max(0, high.asLong()));
            if (!from.equals(to)) {
                text += " (" + from + "-" + to + ")";
            }
        }
        return text;
    }

    static String duration(long ms) {
        long s = (ms + 999) / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format(Locale.ROOT, "%dd%02dh", s / 86_400, (s % 86_400) / 3600);
    }

    private static String number(JsonNode n) {
        if (n.isIntegralNumber()) {
            return n.asText();
        }
        BigDecimal d = n.decimalValue().stripTrailingZeros();
        return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    static String shorten(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return max <= 3 ? s.substring(0, Math.max(0, max)) : s.substring(0, max - 3) + "...";
    }
}
