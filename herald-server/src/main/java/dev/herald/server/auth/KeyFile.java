package dev.herald.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The text of a key file, read once at start; a file too large to be a key is refused before it is read. */
final class KeyFile {
    private static final long MAX_BYTES = 1024 * 1024;

    private KeyFile() {
    }

    /** @param what names the kind of file in error messages, e.g. "JWKS file" */
    static String read(Path file, String what) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(what + " " + file + " does not exist or is not a file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(what + " " + file + " is too large to be a key file");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + e, e);
        }
    }
}
