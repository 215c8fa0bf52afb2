package dev.herald.server.rest;

import dev.herald.core.auth.Scope;
import dev.herald.server.edge.body.Body;
import dev.herald.server.edge.body.Field;
import dev.herald.server.edge.body.Numbers;
import dev.herald.server.edge.body.ObjectShape;
import dev.herald.server.edge.body.Shapes;
import dev.herald.server.edge.body.Text;

import java.time.Duration;
import java.util.List;

/** The body of {@code POST /keys}. */
public final class KeyBodies {
    /** A hundred years: beyond that a key's expiry would not fit a timestamp anyway. */
    private static final long LONGEST_LIFE_SECONDS = 100L * 365 * 24 * 3600;

    private static final Field<String> PROJECT =
            Field.required("project", Text.ID).described("A project, or * for all.");
    private static final Field<Scope> SCOPE =
            Field.required("scope", Shapes.choice(List.of(Scope.values()), Scope::wire));
    private static final Field<String> NAME = Field.optional("name", Text.ID);
    private static final Field<Long> EXPIRES_IN_SECONDS =
            Field.optional("expiresInSeconds", Numbers.whole(1, LONGEST_LIFE_SECONDS));

    /** A new key. */
    public record NewKey(String project, Scope scope, String name, Duration expiresIn) {
    }

    public static final Body<NewKey> CREATE = Body.required("CreateApiKey", ObjectShape.of("A new API key.",
            v -> new NewKey(v.get(PROJECT), v.get(SCOPE), v.get(NAME),
                    v.get(EXPIRES_IN_SECONDS) == null ? null : Duration.ofSeconds(v.get(EXPIRES_IN_SECONDS))),
            PROJECT, SCOPE, NAME, EXPIRES_IN_SECONDS));

    private KeyBodies() {
    }
}
