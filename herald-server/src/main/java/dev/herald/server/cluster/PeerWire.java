package dev.herald.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.client.transport.RequestBodies;
import dev.herald.core.cluster.Forward;
import dev.herald.core.cluster.Moved;
import dev.herald.core.command.ClaimRequest;
import dev.herald.core.engine.JobEngine;
import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import dev.herald.core.model.Job;
import dev.herald.core.model.JobStatus;
import dev.herald.json.EventJson;
import dev.herald.json.JobJson;
import dev.herald.server.edge.BodyReader;
import dev.herald.server.rest.ClaimBodies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A forwarded command on the wire between nodes: the public write's path under {@code /cluster/v1/} and its body
 * (API §2 shapes, so the owner reads it with the public routes' readers), and the owner's answer read back.
 */
final class PeerWire {
    private static final System.Logger LOG = System.getLogger(PeerWire.class.getName());
    static final String PREFIX = "/cluster/v1/jobs";
    /** Set on an owner's refusal of a command on a tree it does not own: the sender routes it again. */
    static final String MOVED = "Herald-Moved";
    /** The subject of the caller that created a forwarded child: its owner. */
    static final String OWNER = "Herald-Owner";
    private static final String REQUEST = "request";
    private static final String PROJECTS = "projects";
    private static final String IDS = "ids";

    private PeerWire() {
    }

    static String path(Forward<?> command) {
        if (command instanceof Forward.CreateChild) {
            return PREFIX;
        }
        return PREFIX + "/" + command.jobId() + "/" + action(command);
    }

    /** The command's name for the meters: the route's last segment, {@code create} for a child's creation. */
    static String command(Forward<?> command) {
        return command instanceof Forward.CreateChild ? "create" : action(command);
    }

    private static String action(Forward<?> command) {
        if (command instanceof Forward.Log) {
            return "logs";
        }
        // Progress, Start, Complete... : the public route's last segment is the record's name
        return command.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    static String body(Forward<?> command) {
        if (command instanceof Forward.Progress p) {
            return RequestBodies.progress(p.report());
        } else if (command instanceof Forward.Complete c) {
            return RequestBodies.complete(c.result());
        } else if (command instanceof Forward.Fail f) {
            return RequestBodies.fail(f.error());
        } else if (command instanceof Forward.Retry r) {
            return RequestBodies.retry(Duration.ofMillis(r.delayMs()));
        } else if (command instanceof Forward.Log l) {
            return RequestBodies.log(l.entry());
        } else if (command instanceof Forward.CreateChild c) {
            return RequestBodies.create(c.job(), c.job().input());
        } else if (command instanceof Forward.Newest n) {
            ObjectNode newest = JobJson.mapper().createObjectNode();
            n.ids().forEach(newest.putArray(IDS)::add);
            return newest.toString();
        } else if (command instanceof Forward.Claim c) {
            // the public body leaves the projects out (they are the token's): the owner needs them to match the job
            ObjectNode claim = JobJson.mapper().createObjectNode().set(REQUEST, tree(RequestBodies.claim(c.request())));
            if (c.request().projects() != null) {
                c.request().projects().forEach(claim.putArray(PROJECTS)::add);
            }
            return claim.toString();
        }
        return "{}";
    }

    /** A forwarded claim as the owner reads it: the public claim's body, and the claimer's projects (none: any). */
    static ClaimRequest claim(String body, BodyReader bodies) {
        JsonNode claim;
        try {
            claim = JobJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.INVALID_JSON, "a forwarded claim is not JSON");
        }
        if (!claim.path(REQUEST).isObject()) {
            throw new HeraldException(ErrorCode.INVALID_FIELD, "a forwarded claim has a request", REQUEST, null);
        }
        ClaimRequest request = bodies.read(claim.get(REQUEST).toString(), ClaimBodies.CLAIM);
        if (!claim.path(PROJECTS).isArray()) {
            return request;
        }
        Set<String> projects = new HashSet<>();
        claim.get(PROJECTS).forEach(p -> projects.add(p.asText()));
        return request.within(projects);
    }

    /** The ids a {@link Forward.Newest} asks for, at most {@code max}. */
    static List<String> newest(String body, int max) {
        JsonNode ids = tree(body).path(IDS);
        if (!ids.isArray() || ids.size() > max) {
            throw new HeraldException(ErrorCode.INVALID_FIELD, "a read of newest states names at most " + max
                    + " jobs", IDS, null);
        }
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(id.asText()));
        return out;
    }

    /** The owner's answer as the command's result: what the owner's engine answered it. */
    @SuppressWarnings("unchecked")
    static <T> T answer(Forward<T> command, int status, String body) {
        Object answer;
        if (command instanceof Forward.Progress) {
            answer = tree(body).get("version").asLong();
        } else if (command instanceof Forward.Heartbeat) {
            answer = null;
        } else if (command instanceof Forward.Expire) {
            // 204: a node of the previous release, which deleted or left the job without saying which
            answer = status == 204 || tree(body).path("deleted").asBoolean();
        } else if (command instanceof Forward.Log) {
            answer = EventJson.logFromNode(tree(body));
        } else if (command instanceof Forward.CreateChild) {
            answer = new JobEngine.Created(JobJson.fromJson(body), status == 201);
        } else if (command instanceof Forward.Newest) {
            List<Job> held = new ArrayList<>();
            tree(body).forEach(job -> held.add(JobJson.fromNode(job)));
            answer = held;
        } else if (command instanceof Forward.Claim) {
            answer = status == 204 ? Optional.empty() : Optional.of(JobJson.fromJson(body));
        } else {
            answer = JobJson.fromJson(body);
        }
        return (T) answer;
    }

    /** The owner's refusal, as it refused: {@link Moved} when it does not own the tree. */
    static RuntimeException refusal(int status, String movedHeader, String body) {
        if (movedHeader != null) {
            return Moved.fenced();
        }
        if (status == 401) {
            // the caller's own credential was accepted here: the nodes disagree on the cluster's secret
            LOG.log(System.Logger.Level.ERROR, "a node of the cluster refused this node's secret: give every node "
                    + "the same --cluster-secret");
            return new HeraldException(ErrorCode.UNAVAILABLE, "the node that owns the job's tree refused this node; "
                    + "try again");
        }
        JsonNode error;
        try {
            error = tree(body).get("error");
        } catch (RuntimeException e) {
            error = null;
        }
        return refusal(status, false, error);
    }

    /** A refusal as the owner sent it ({@code {"code","message",...}}), {@link Moved} when {@code moved}. */
    static RuntimeException refusal(int status, boolean moved, JsonNode error) {
        if (moved) {
            return Moved.fenced();
        }
        try {
            ErrorCode code = Arrays.stream(ErrorCode.values())
                    .filter(c -> c.wire().equals(error.get("code").asText())).findFirst().orElseThrow();
            JobStatus jobStatus = error.has("status") ? JobStatus.fromWire(error.get("status").asText()).orElse(null)
                    : null;
            return new HeraldException(code, error.get("message").asText(),
                    error.has("field") ? error.get("field").asText() : null, jobStatus);
        } catch (RuntimeException e) {
            return new HeraldException(ErrorCode.UNAVAILABLE, "the node that owns the job's tree answered "
                    + status + "; try again");
        }
    }

    static JsonNode tree(String body) {
        try {
            return JobJson.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
