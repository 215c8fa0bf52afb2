package dev.herald.core.auth;

import java.util.Locale;
import java.util.Optional;

/** What a credential may do. Each scope includes the ones before it: read &lt; write &lt; admin. */
public enum Scope {
    /** Read jobs, events and logs. */
    READ,
    /** Also create jobs and report progress. */
    WRITE,
    /** Also manage API keys. */
    ADMIN;

    /** True if a credential with this scope may do what needs {@code needed}. */
    public boolean allows(Scope needed) {
        return compareTo(needed) >= 0;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Scope> fromWire(String text) {
        for (Scope s : values()) {
            if (s.wire().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
