package dev.herald.examples;

import dev.herald.client.Herald;

/** How every example reaches a server: {@code URL TOKEN} as its first two arguments, else HERALD_URL/HERALD_TOKEN. */
final class Connect {
    private Connect() {
    }

    static Herald herald(String[] args) {
        return args.length >= 2 ? Herald.remote(args[0], args[1]) : Herald.fromEnv();
    }
}
