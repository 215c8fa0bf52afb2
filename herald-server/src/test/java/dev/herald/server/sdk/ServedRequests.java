package dev.herald.server.sdk;

import dev.herald.server.support.TestServer;

/** How many requests a server answered, by route and status, from its {@code /metrics}. */
final class ServedRequests {
    static final String PROGRESS = "POST /jobs/{id}/progress";
    static final String BATCH = "POST /progress:batch";
    static final String LOGS = "POST /jobs/{id}/logs";
    static final String HEARTBEAT = "POST /jobs/{id}/heartbeat";

    private ServedRequests() {
    }

    /** Requests of {@code route} ("POST /jobs/{id}/progress") answered with any status. */
    static long of(TestServer server, String route) {
        return of(server, route, null);
    }

    /** Requests of {@code route} answered with {@code status}, or with any status when it is null. */
    static long of(TestServer server, String route, Integer status) {
        String text = server.get("/metrics").body();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("herald_http_requests_total{") && line.contains("route=\"" + route + "\"")
                    && (status == null || line.contains("status=\"" + status + "\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }
}
