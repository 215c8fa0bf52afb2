package dev.herald.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Live objects per class of a server process ({@code jcmd PID GC.class_histogram}), to see what a stream holds. */
final class HeapHistogram {
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    /** Per class name: {instances, bytes}. */
    private final Map<String, long[]> classes = new HashMap<>();

    static HeapHistogram of(ServerProcess server) throws Exception {
        HeapHistogram h = new HeapHistogram();
        Matcher m = ROW.matcher(server.jcmd("GC.class_histogram"));
        while (m.find()) {
            h.classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                    (x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
        }
        return h;
    }

    /** Prints the {@code top} classes that grew most from {@code before}, in objects and bytes per stream. */
    void printGrowth(HeapHistogram before, int streams, int top) {
        System.out.printf("heap growth per stream by class (top %d of GC.class_histogram, %,d streams):%n", top, streams);
        classes.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), new long[] {
                        e.getValue()[0] - before.classes.getOrDefault(e.getKey(), new long[2])[0],
                        e.getValue()[1] - before.classes.getOrDefault(e.getKey(), new long[2])[1]}))
                .sorted((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]))
                .limit(top)
                .forEach(e -> System.out.printf("  %8.2f objects %9.1f bytes  %s%n", e.getValue()[0] / (double) streams,
                        e.getValue()[1] / (double) streams, e.getKey()));
    }
}
