package io.aiops.policy.application.port.out;

import java.io.IOException;

/** Reads a price source an operator configured: a file, or an http(s) URL the outbound policy permits. */
public interface PriceSourceReader {

    /** Largest source read: the whole genai-prices data.json is about 1 MB. */
    long MAX_BYTES = 64L * 1024 * 1024;

    /**
     * The bytes at {@code location}.
     *
     * @throws IOException naming why it could not be read (missing file, HTTP status, refused address, too large)
     */
    byte[] read(String location) throws IOException;
}
