package io.aiops.providers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Recorded example payloads under {@code src/test/resources}, built from the providers' documented formats. */
final class Payloads {

    private Payloads() {}

    static String read(String path) {
        try (InputStream in = Payloads.class.getResourceAsStream("/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing test payload " + path, e);
        }
    }
}
