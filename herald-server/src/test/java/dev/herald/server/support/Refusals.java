package dev.herald.server.support;

import dev.herald.core.model.ErrorCode;
import dev.herald.core.model.HeraldException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Assertions on refusals made before anything reaches the wire. */
public final class Refusals {
    private Refusals() {
    }

    /** Asserts a refusal with exactly this code and field (null for none); returns its message. */
    public static String refused(ThrowingCallable call, ErrorCode code, String field) {
        HeraldException[] caught = new HeraldException[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(HeraldException.class, e -> {
            assertThat(e.code()).as("code of: " + e.getMessage()).isEqualTo(code);
            assertThat(e.field()).as("field of: " + e.getMessage()).isEqualTo(field);
            caught[0] = e;
        });
        return caught[0].getMessage();
    }
}
